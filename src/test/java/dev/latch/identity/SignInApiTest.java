package dev.latch.identity;

import static dev.latch.testing.Browserless.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sign-in endpoints' contract, and what they do with requests that cannot be right. */
@QuarkusTest
class SignInApiTest {

    @Inject
    Fixtures fixtures;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aDiscoverableSignInNamesNoKeysAndAUsernameFirstSignInNamesOnlyThatUsersKeys() {
        anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .body("ceremonyId", notNullValue())
                .body("publicKey.rpId", equalTo("localhost"))
                .body("publicKey.userVerification", equalTo("required"))
                .body("publicKey.allowCredentials", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(), hasSize(0)));

        User alice = fixtures.user("alice", false);
        var key = fixtures.storedKey(alice, "Alice key");
        anonymous().contentType(ContentType.JSON).body("{\"username\":\"" + alice.username.toUpperCase() + "\"}")
                .post("/signin/start").then().statusCode(200)
                .body("publicKey.allowCredentials", hasSize(1))
                .body("publicKey.allowCredentials[0].id",
                        equalTo(Base64.getUrlEncoder().withoutPadding().encodeToString(key.credentialId)));
    }

    @Test
    void finishingAnUnknownExpiredOrUsedCeremonyIsRefusedAndAudited() {
        String unknown = "{\"ceremonyId\":\"" + java.util.UUID.randomUUID() + "\",\"credential\":{\"id\":\"x\"}}";
        anonymous().contentType(ContentType.JSON).body(unknown).post("/signin/finish").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"))
                .body("detail", containsString("expired or was already used"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> dev.latch.audit.AuditEvent.count(
                "action = ?1 and outcome = 'failure'", "user.signin") > 0));

        String expired = started();
        TestClock.advance(Duration.ofMinutes(6));
        finish(expired, "{\"id\":\"x\"}").then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"));
    }

    @Test
    void malformedResponsesAreRefusedAndUseUpTheCeremony() {
        String ceremony = started();
        finish(ceremony, "{\"id\":\"%%%\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"not base64!\"}}").then()
                .statusCode(400).body("type", equalTo("https://latch.dev/problems/webauthn-malformed"));
        finish(ceremony, "{\"id\":\"x\"}").then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"));

        anonymous().contentType(ContentType.JSON).body("{\"ceremonyId\": 42,").post("/signin/finish").then()
                .statusCode(400).contentType("application/problem+json");
        anonymous().contentType(ContentType.JSON).body("{\"ceremonyId\":\"" + started() + "\"}").post("/signin/finish").then()
                .statusCode(400).body("detail", containsString("no security-key response"));
    }

    @Test
    void signInStartsAreRateLimitedPerAddressWithRetryAfter() {
        for (int i = 0; i < SignInResource.PER_IP.limit(); i++) {
            anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200);
        }
        Response refused = anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start");
        refused.then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("Too many attempts"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
    }

    @Test
    void usernameFirstAttemptsAreRateLimitedPerUsername() {
        String body = "{\"username\":\"someone-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "\"}";
        for (int i = 0; i < SignInResource.PER_USERNAME.limit(); i++) {
            anonymous().contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(200);
        }
        anonymous().contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(429);
    }

    @Test
    void signInPostsWithoutTheCsrfTokenAreRefused() {
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body("{}").post("/signin/start").then()
                .statusCode(403).body("type", equalTo("https://latch.dev/problems/csrf-rejected"));
    }

    private static String started() {
        return anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .extract().path("ceremonyId");
    }

    private static Response finish(String ceremonyId, String credentialJson) {
        return anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + ceremonyId + "\",\"credential\":" + credentialJson + "}")
                .post("/signin/finish");
    }
}
