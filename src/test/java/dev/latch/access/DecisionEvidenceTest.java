package dev.latch.access;

import static dev.latch.access.Approvals.decide;
import static dev.latch.access.Approvals.file;
import static dev.latch.access.Approvals.idOf;
import static dev.latch.access.Approvals.sql;
import static dev.latch.access.Approvals.verify;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.identity.UserSession;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.TestClock;
import dev.latch.webauthn.WebAuthnService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The evidence of a decision covers everything the grant depends on, and Verify compares what was
 * signed with the request and the decision as they are stored now, for every format version.
 */
@QuarkusTest
class DecisionEvidenceTest {

    @Inject
    Invitations invitations;

    @Inject
    WebAuthnService webauthn;

    @Inject
    ObjectMapper json;

    private AccessLevel admin;
    private KeyHolder engineer;
    private KeyHolder manager;
    private KeyHolder peer;
    private Group sre;

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group engineers = InventoryFixtures.group("eng-" + s);
        sre = InventoryFixtures.group("sre-" + s);
        Cluster prod = InventoryFixtures.cluster("prod", "prod-ev-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(engineers, admin, "requestable");
        engineer = KeyHolder.enrol(invitations, "eng");
        manager = KeyHolder.enrol(invitations, "mgr");
        peer = KeyHolder.enrol(invitations, "peer");
        InventoryFixtures.join(engineer.user(), engineers);
        InventoryFixtures.join(peer.user(), sre);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
    }

    @Test
    void theStartAndTheTicketAreSignedSoChangingEitherAfterTheDecisionFailsVerify() {
        Instant start = TestClock.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        UUID id = idOf(as(engineer.session()).contentType(ContentType.URLENC).formParam("level", admin.id.toString())
                .formParam("duration", "1h").formParam("reason", "planned migration").formParam("ticket", "https://tickets.example/CHG-7")
                .formParam("start", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").format(start.atOffset(ZoneOffset.UTC)))
                .post("/requests"));
        decide(manager, id, "approve").then().statusCode(200);
        UUID decision = decisionOf(id);
        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));

        sql("UPDATE access_request SET starts_at = ?1 WHERE id = ?2", Timestamp.from(start.plus(3, ChronoUnit.DAYS)), id);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")))
                .body(containsString("not what was signed")).body(containsString("differs in: starts_at)"));
        sql("UPDATE access_request SET starts_at = ?1 WHERE id = ?2", Timestamp.from(start), id);
        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));

        sql("UPDATE access_request SET ticket_url = 'https://tickets.example/CHG-8' WHERE id = ?1", id);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")))
                .body(containsString("not what was signed"));
    }

    @Test
    void theExtendedGrantIsSignedSoPointingTheRequestElsewhereFailsVerify() {
        UUID first = file(engineer, admin, "1h");
        decide(manager, first, "approve").then().statusCode(200);
        UUID grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", first).firstResult().id);
        UUID extension = idOf(as(engineer.session()).contentType(ContentType.URLENC).formParam("grant", grant.toString())
                .formParam("duration", "1h").formParam("reason", "still on it").post("/requests"));
        decide(manager, extension, "approve").then().statusCode(200);
        UUID decision = decisionOf(extension);
        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));

        sql("UPDATE access_request SET extends_grant_id = NULL WHERE id = ?1", extension);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")))
                .body(containsString("not what was signed"));
    }

    @Test
    void aDecisionRowThatNoLongerSaysWhatWasSignedFailsVerify() {
        UUID id = file(engineer, admin, "1h");
        decide(manager, id, "deny").then().statusCode(200);
        UUID decision = decisionOf(id);
        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));

        // the row now says approve, the key signed deny
        sql("UPDATE access_decision SET decision = 'approve' WHERE id = ?1", decision);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")))
                .body(containsString("not what was signed"));
        sql("UPDATE access_decision SET decision = 'deny' WHERE id = ?1", decision);
        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));

        // the row now names another approver
        sql("UPDATE access_decision SET approver_id = ?1 WHERE id = ?2", peer.user().id, decision);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")));
    }

    @Test
    void decisionsSignedInTheFirstFormatStillVerifyAndStillCatchAChangedDecision() throws Exception {
        UUID id = file(engineer, admin, "1h");
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        String levelName = QuarkusTransaction.requiringNew().call(() -> AccessRequests.levelName(AccessLevel.findById(admin.id)));
        // version 1, exactly as decisions were signed before the format had a version column
        String v1 = "latch-access-decision/v1\n"
                + "request:" + id + "\n"
                + "requester:" + engineer.user().username + "\n"
                + "level:" + levelName + " (" + admin.id + ")\n"
                + "duration:PT1H\n"
                + "reason:INC-1234 payments down\n"
                + "decision:approve\n";
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(nonce);
        byte[] challenge = sha256.digest(v1.getBytes(StandardCharsets.UTF_8));
        UUID session = QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find("userId = ?1 order by createdAt desc",
                manager.user().id).firstResult().id);
        WebAuthnService.Started started = webauthn.startDecision(manager.user(), session, challenge, Map.of());
        String response = manager.key().assertion(json.readTree(started.publicKeyJson()).get("publicKey"));
        WebAuthnService.VerifiedAssertion verified = webauthn.finishDecision(started.ceremonyId(), response, manager.user().id, session);
        UUID decision = UUID.randomUUID();
        sql("""
                INSERT INTO access_decision (id, request_id, approver_id, decision, nonce, canonical_content, assertion_request,
                    assertion_response, credential_id, decided_at) VALUES (?1, ?2, ?3, 'approve', ?4, ?5, ?6, ?7, ?8, now())""",
                decision, id, manager.user().id, nonce, v1, verified.ceremony().requestJson(), response, verified.credential().id);

        verify(manager, decision).then().statusCode(200).body(containsString("Verified: key"));
        sql("UPDATE access_decision SET decision = 'deny' WHERE id = ?1", decision);
        verify(manager, decision).then().statusCode(200).body(not(containsString("Verified: key")));
    }

    private static UUID decisionOf(UUID requestId) {
        UUID found = QuarkusTransaction.requiringNew().call(() -> AccessDecision.<AccessDecision>find("requestId", requestId).firstResult().id);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AccessDecision.count("requestId", requestId)));
        return found;
    }
}
