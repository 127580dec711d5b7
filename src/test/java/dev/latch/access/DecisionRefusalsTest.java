package dev.latch.access;

import static dev.latch.access.Approvals.decide;
import static dev.latch.access.Approvals.file;
import static dev.latch.access.Approvals.refusals;
import static dev.latch.access.Approvals.start;
import static dev.latch.testing.Browserless.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.KeyHolder;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A refused approve or deny is in the audit log after the request ends: who, what and why. */
@QuarkusTest
class DecisionRefusalsTest {

    @Inject
    Invitations invitations;

    private AccessLevel admin;
    private KeyHolder engineer;
    private KeyHolder manager;
    private KeyHolder peer;

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group engineers = InventoryFixtures.group("eng-" + s);
        Cluster prod = InventoryFixtures.cluster("prod", "prod-ref-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(engineers, admin, "requestable");
        engineer = KeyHolder.enrol(invitations, "eng");
        manager = KeyHolder.enrol(invitations, "mgr");
        peer = KeyHolder.enrol(invitations, "peer");
        InventoryFixtures.join(engineer.user(), engineers);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
    }

    @Test
    void approvingOnesOwnRequestIsRefusedAndAudited() {
        UUID id = file(engineer, admin, "1h");
        start(engineer, id, "approve").then().statusCode(403);
        assertRefusal(id, engineer, "own-request");
    }

    @Test
    void aDecisionBySomeoneWhoIsNotAnApproverIsRefusedAndAudited() {
        UUID id = file(engineer, admin, "1h");
        start(peer, id, "approve").then().statusCode(403);
        assertRefusal(id, peer, "not-an-approver");
    }

    @Test
    void decidingARequestAlreadyDecidedIsRefusedAndAudited() {
        UUID id = file(engineer, admin, "1h");
        Response started = start(manager, id, "approve");
        started.then().statusCode(200);
        decide(manager, id, "deny").then().statusCode(200); // meanwhile, in another tab
        Approvals.finish(manager, manager, id, started).then().statusCode(409);
        assertRefusal(id, manager, "request-decided");
    }

    @Test
    void anAssertionThatDoesNotVerifyIsRefusedAndAudited() {
        UUID id = file(engineer, admin, "1h");
        Response started = start(manager, id, "approve");
        started.then().statusCode(200);
        JsonNode options = started.as(JsonNode.class);
        String wrongKey = peer.key().assertion(options.path("publicKey"), peer.key().credentials().get(0));
        as(manager.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + options.path("ceremonyId").asText() + "\",\"credential\":" + wrongKey + "}")
                .post("/requests/" + id + "/decision/finish").then().statusCode(400);
        assertEquals(AccessRequest.PENDING, Approvals.status(id));
        assertRefusal(id, manager, "webauthn-refused");
    }

    private static void assertRefusal(UUID request, KeyHolder who, String code) {
        assertEquals(1, refusals("request.decision", request));
        AuditEvent event = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "action = 'request.decision' and targetId = ?1", request.toString()).firstResult());
        assertEquals(who.user().id.toString(), event.actorId);
        assertEquals(code, event.details.get("code"));
        assertEquals(true, event.details.get("reason") != null && !event.details.get("reason").isBlank(), event.details.toString());
    }
}
