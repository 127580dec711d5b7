package dev.latch.webauthn;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.access.AccessDecision;
import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys are revoked, never deleted (issue 13, item 1): a key that signed a decision can be removed
 * and then signs nothing, an administrator can revoke anyone's key with a touch, and the old
 * decision still verifies with the revoked key's stored public key.
 */
@QuarkusTest
class KeyRevocationTest {

    @Inject
    Invitations invitations;

    @Inject
    EntityManager em;

    private KeyHolder engineer;
    private KeyHolder manager;
    private AccessLevel level;

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group engineers = InventoryFixtures.group("rev-eng-" + s);
        level = InventoryFixtures.level(InventoryFixtures.cluster("prod", "rev-prod-" + s), "admin");
        InventoryFixtures.entitle(engineers, level, "requestable");
        engineer = KeyHolder.enrol(invitations, "rev-eng");
        manager = KeyHolder.enrol(invitations, "rev-mgr");
        InventoryFixtures.join(engineer.user(), engineers);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
    }

    @Test
    void aKeyThatApprovedARequestCanBeRemovedAndThenSignsNothingWhileItsDecisionStillVerifies() {
        UUID decision = approveOneRequest();
        SoftwareAuthenticator.Credential approving = manager.key().credentials().get(0);
        SoftwareAuthenticator.Credential spare = addSecondKey(manager);
        UUID approvingKey = keyIdOf(approving);

        manager.ceremony("/step-up", "{}").then().statusCode(200);
        as(manager.session()).post("/profile/keys/" + approvingKey + "/remove").then().statusCode(200)
                .body(not(containsString(">Work key<")));

        signIn(approving).then().statusCode(400).body("type", equalTo("https://latch.dev/problems/webauthn-refused"));
        signIn(spare).then().statusCode(200);
        // the profile no longer lists it, and the stored evidence still verifies with its public key
        as(manager.session()).get("/profile").then().statusCode(200).body(containsString("Spare key"));
        as(manager.session()).post("/requests/decisions/" + decision + "/verify").then().statusCode(200)
                .body(containsString("Verified: key"));
        assertNotNull(audit("key.revoked", approvingKey));
    }

    @Test
    void anAdministratorRevokesAnotherPersonsKeyWithATouchAndThePersonIsTold() {
        KeyHolder admin = KeyHolder.enrol(invitations, "rev-admin");
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(admin.user().id).admin = true);
        admin.touchLongAgo();
        SoftwareAuthenticator.Credential lost = engineer.key().credentials().get(0);
        UUID lostKey = keyIdOf(lost);
        String path = "/admin/users/" + engineer.user().id + "/keys/" + lostKey + "/revoke";

        as(admin.session()).contentType(ContentType.URLENC).formParam("reason", "lost on a train").post(path)
                .then().statusCode(428).body(containsString("Touch your security key to revoke a security key."));
        signIn(lost).then().statusCode(200);

        admin.ceremony("/step-up", "{}").then().statusCode(200);
        as(admin.session()).contentType(ContentType.URLENC).formParam("reason", "lost on a train").post(path)
                .then().statusCode(303);

        signIn(lost).then().statusCode(400).body("type", equalTo("https://latch.dev/problems/webauthn-refused"));
        as(engineer.session()).get("/profile").then().statusCode(303); // the sessions it signed in ended with it
        AuditEvent revoked = audit("key.revoked", lostKey);
        assertNotNull(revoked);
        assertEquals(admin.user().id.toString(), revoked.actorId);
        assertTrue(String.valueOf(revoked.details).contains("lost on a train"), String.valueOf(revoked.details));
        assertEquals(1L, ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT count(*) FROM notification_outbox WHERE event_key = ?1 AND channel = 'email' AND recipient = ?2")
                .setParameter(1, "key.revoked:" + lostKey).setParameter(2, engineer.user().email).getSingleResult())).longValue());
        as(admin.session()).get("/admin/users/" + engineer.user().id).then().statusCode(200).body(containsString("revoked"));
    }

    /** The engineer files a request and the manager approves it with their (first) key; returns the decision id. */
    private UUID approveOneRequest() {
        Response filed = as(engineer.session()).contentType(ContentType.URLENC).accept(ContentType.JSON)
                .formParam("level", level.id.toString()).formParam("duration", "1h").formParam("reason", "INC-9 revocation")
                .post("/requests");
        filed.then().statusCode(303);
        String location = filed.header("Location");
        UUID request = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        JsonNode started = as(manager.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("decision", "approve")).post("/requests/" + request + "/decision/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        as(manager.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + manager.key().assertion(started.path("publicKey")) + "}")
                .post("/requests/" + request + "/decision/finish").then().statusCode(200);
        return QuarkusTransaction.requiringNew().call(() -> AccessDecision.<AccessDecision>find("requestId", request).firstResult().id);
    }

    private static SoftwareAuthenticator.Credential addSecondKey(KeyHolder who) {
        QuarkusTransaction.requiringNew().run(() -> WebAuthnCredential.update("nickname = 'Work key' where userId = ?1", who.user().id));
        who.ceremony("/step-up", "{}").then().statusCode(200);
        JsonNode started = as(who.session()).contentType(ContentType.JSON).body("{\"nickname\":\"Spare key\"}").post("/profile/keys/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        as(who.session()).contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + who.key().register(started.path("publicKey")) + "}")
                .post("/profile/keys/finish").then().statusCode(200);
        return who.key().credentials().get(1);
    }

    private static Response signIn(SoftwareAuthenticator.Credential credential) {
        JsonNode started = anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .extract().as(JsonNode.class);
        String answer = new SoftwareAuthenticator().assertion(started.path("publicKey"), credential);
        return anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + answer + "}")
                .post("/signin/finish");
    }

    private static UUID keyIdOf(SoftwareAuthenticator.Credential credential) {
        return QuarkusTransaction.requiringNew().call(() -> WebAuthnCredential.byCredentialId(credential.id).orElseThrow().id);
    }

    private static AuditEvent audit(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and targetId = ?2", action,
                target.toString()).firstResult());
    }
}
