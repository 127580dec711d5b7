package dev.latch.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latch.testing.DatabaseRoles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signed checkpoints of the chain head make a deleted tail visible: whoever owns the table can lift
 * the append-only trigger and delete the newest rows, leaving a shorter chain that is valid in
 * itself, but not one that reaches the head the portal signed.
 */
@QuarkusTest
class AuditCheckpointTest {

    @Inject
    AuditLog audit;

    @Inject
    AuditVerifier verifier;

    @Inject
    AuditCheckpoints checkpoints;

    @Test
    void aCheckpointIsTheHeadSignedWithTheKeyInTheJwks() throws Exception {
        long head = audit.record(AuditEntry.of("test.before_checkpoint").bySystem("test"));
        AuditCheckpoint checkpoint = checkpoints.publish();
        assertNotNull(checkpoint);

        JWSObject jws = JWSObject.parse(checkpoint.jws);
        JWKSet jwks = JWKSet.parse(given().get("/oauth/jwks").then().statusCode(200).extract().asString());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
        assertNotNull(key, "the checkpoint names a key the JWKS publishes");
        assertTrue(jws.verify(new ECDSAVerifier(key)), "anyone with the JWKS can check it");
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        long seq = ((Number) claims.get("seq")).longValue();
        assertTrue(seq >= head, "the head at the time, or a later row");
        byte[] stored = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>findById(seq).hash);
        assertArrayEquals(stored, HexFormat.of().parseHex((String) claims.get("hash")));
        assertEquals(seq, ((Number) claims.get("rows")).longValue(), "seq starts at 1 and has no gaps");
        assertNotNull(claims.get("at"));
    }

    @Inject
    dev.latch.testing.Fixtures fixtures;

    /**
     * The owner of the database can delete the checkpoint rows with the tail; the copy in the log
     * is then what an administrator verifies against. A copy must carry the portal's signature.
     */
    @Test
    void anAdministratorVerifiesAgainstACheckpointKeptOutsideTheDatabaseAndAForgedOneIsRefused() throws Exception {
        audit.record(AuditEntry.of("test.outside").bySystem("test"));
        String logged = checkpoints.publish().jws;
        String admin = fixtures.session(fixtures.user("chkadmin", true));

        dev.latch.testing.Browserless.as(admin).contentType("application/json").accept("application/json")
                .body(Map.of("checkpoint", logged)).post("/api/v1/admin/audit/verify").then().statusCode(200)
                .body("intact", org.hamcrest.Matchers.equalTo(true))
                .body("checkpointSeq", org.hamcrest.Matchers.equalTo(((Number) JWSObject.parse(logged).getPayload().toJSONObject()
                        .get("seq")).intValue()));

        // the same signature over a head far beyond the real one: a forgery, not a lost tail
        String[] parts = logged.split("\\.");
        Map<String, Object> claims = new java.util.HashMap<>(JWSObject.parse(logged).getPayload().toJSONObject());
        claims.put("seq", ((Number) claims.get("seq")).longValue() + 1000);
        String forged = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(
                new com.nimbusds.jose.Payload(claims).toString()) + "." + parts[2];
        dev.latch.testing.Browserless.as(admin).contentType("application/json").accept("application/json")
                .body(Map.of("checkpoint", forged)).post("/api/v1/admin/audit/verify").then().statusCode(200)
                .body("intact", org.hamcrest.Matchers.equalTo(false))
                .body("problem", org.hamcrest.Matchers.containsString("signature does not verify"));

        dev.latch.testing.Browserless.as(admin).contentType("application/json").accept("application/problem+json, application/json")
                .body("{}").post("/api/v1/admin/audit/verify").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("/checkpoint-missing"));
    }

    @Test
    void deletingTheNewestRowsAsTheTablesOwnerIsReportedAgainstTheLastCheckpoint() throws Exception {
        audit.record(AuditEntry.of("test.tail").bySystem("test").detail("n", 1));
        audit.record(AuditEntry.of("test.tail").bySystem("test").detail("n", 2));
        long head = audit.record(AuditEntry.of("test.tail").bySystem("test").detail("n", 3));
        checkpoints.publish();
        assertTrue(verifier.verify().intact());

        AuditVerifier.Result result;
        try (Connection owner = DatabaseRoles.owner(); Statement s = owner.createStatement()) {
            // hold the chain's lock, so nothing is appended while the tail is gone
            s.execute("SELECT pg_advisory_lock(" + AuditLog.CHAIN_LOCK + ")");
            try {
                s.execute("CREATE TEMP TABLE gone AS SELECT * FROM audit_event WHERE seq >= " + (head - 1));
                owner.setAutoCommit(false);
                // what the owner can do: lift the trigger, delete the two newest rows, put the trigger back
                s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete");
                assertTrue(s.executeUpdate("DELETE FROM audit_event WHERE seq >= " + (head - 1)) >= 2);
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
                owner.commit();
                owner.setAutoCommit(true);

                result = verifier.verify();

                try (PreparedStatement restore = owner.prepareStatement("INSERT INTO audit_event SELECT * FROM gone")) {
                    restore.executeUpdate();
                }
            } finally {
                owner.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + AuditLog.CHAIN_LOCK + ")");
            }
        }
        assertFalse(result.intact(), "a chain shorter than the signed head is not intact");
        assertEquals(head - 1, result.brokenSeq(), "the first missing row");
        assertTrue(result.problem().contains("checkpoint"), result.problem());
        assertTrue(verifier.verify().intact(), "with the rows back, the chain reaches the checkpoint again");
    }
}
