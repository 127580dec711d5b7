package dev.latch.oauth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.latch.testing.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signing keys rotate on schedule; the JWKS keeps a retired key while tokens it signed can be valid; keys are encrypted at rest. */
@QuarkusTest
class SigningKeyRotationTest {

    @Inject
    SigningKeys keys;

    @Inject
    AccessTokens tokens;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aRotatedKeyStaysPublishedWhileItsTokensLive() throws Exception {
        Instant created = QuarkusTransaction.requiringNew().call(() -> SigningKey.<SigningKey>find("retiredAt is null").firstResult().createdAt);
        TestClock.advance(Duration.between(Instant.now(), created.plus(Duration.ofDays(30)).minus(Duration.ofMinutes(5))));
        String before = tokens.issue(UUID.randomUUID(), "rotating", UUID.randomUUID(), "jkt", "latch-cli");
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        TestClock.advance(Duration.ofMinutes(6));
        keys.rotateIfDue();
        String after = tokens.issue(UUID.randomUUID(), "rotating", UUID.randomUUID(), "jkt", "latch-cli");
        String newKid = SignedJWT.parse(after).getHeader().getKeyID();
        assertNotEquals(oldKid, newKid);
        assertTrue(tokens.verify(before).isPresent(), "a token signed just before rotation is still valid");
        assertTrue(tokens.verify(after).isPresent());
        List<String> published = given().get("/oauth/jwks").then().statusCode(200).extract().jsonPath().getList("keys.kid");
        assertTrue(published.containsAll(List.of(oldKid, newKid)), published.toString());

        TestClock.advance(Duration.ofHours(2));
        keys.rotateIfDue(); // not due: the new key is two hours old
        List<String> later = given().get("/oauth/jwks").then().statusCode(200).extract().jsonPath().getList("keys.kid");
        assertFalse(later.contains(oldKid), later.toString());
        assertTrue(later.contains(newKid));
    }

    @Test
    void privateKeysAreStoredEncrypted() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT private_key_enc, public_jwk, kek_id FROM signing_key")) {
            while (rs.next()) {
                String stored = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(stored.contains("\"d\""), "the private JWK must not be stored in the clear");
                assertFalse(rs.getString(2).contains("\"d\""));
                assertTrue(rs.getString(3).startsWith("kek-"));
            }
        }
    }
}
