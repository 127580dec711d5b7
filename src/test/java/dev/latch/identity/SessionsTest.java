package dev.latch.identity;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server-side sessions as a person meets them: timeouts, sign-out, revocation, roles, step-up, offboarding. */
@QuarkusTest
class SessionsTest {

    @Inject
    Fixtures fixtures;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aSignedInPersonSeesTheirProfileAndOthersAreSentToSignIn() {
        User alice = fixtures.user("alice", false);
        fixtures.storedKey(alice, "Blue key");
        String session = fixtures.session(alice);
        as(session).get("/profile").then().statusCode(200)
                .body(containsString(alice.username)).body(containsString("Blue key"))
                .body(containsString("You have only one key"));
        anonymous().accept(ContentType.HTML).get("/profile").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/signin?next=%2Fprofile"));
        anonymous().header("HX-Request", "true").header("HX-Current-URL", "http://localhost:8081/profile")
                .post("/profile/keys/" + UUID.randomUUID() + "/rename").then()
                .statusCode(401).header("HX-Redirect", "/signin?next=%2Fprofile");
        as("forged-session-value-that-is-long-enough-to-be-looked-up").accept(ContentType.HTML).get("/profile")
                .then().statusCode(303);
    }

    @Test
    void anIdleSessionEndsAfterThirtyMinutes() {
        User bob = fixtures.user("bob", false);
        String session = fixtures.session(bob);
        TestClock.advance(Duration.ofMinutes(29));
        as(session).get("/profile").then().statusCode(200);
        TestClock.advance(Duration.ofMinutes(29));
        as(session).get("/profile").then().statusCode(200);
        TestClock.advance(Duration.ofMinutes(31));
        as(session).get("/profile").then().statusCode(303);
        assertEquals("idle timeout", endReason(bob));
    }

    @Test
    void aBusySessionStillEndsAfterTwelveHours() {
        User carol = fixtures.user("carol", false);
        String session = fixtures.session(carol);
        for (int i = 0; i < 28; i++) { // 28 x 25 min = 11 h 40 min, never idle
            TestClock.advance(Duration.ofMinutes(25));
            as(session).get("/profile").then().statusCode(200);
        }
        TestClock.advance(Duration.ofMinutes(25));
        as(session).get("/profile").then().statusCode(303);
        assertEquals("absolute timeout", endReason(carol));
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        User dan = fixtures.user("dan", false);
        String session = fixtures.session(dan);
        as(session).accept(ContentType.HTML).post("/signin/out").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/signin"));
        as(session).get("/profile").then().statusCode(303);
        assertEquals("signed out", endReason(dan));
    }

    @Test
    void aPersonCanEndTheirOtherSessionsButNotSomeoneElses() {
        User erin = fixtures.user("erin", false);
        String laptop = fixtures.session(erin);
        String phone = fixtures.session(erin);
        UUID phoneId = sessionId(phone);
        User mallory = fixtures.user("mallory", false);
        String malloryLaptop = fixtures.session(mallory);

        as(malloryLaptop).header("HX-Request", "true").post("/profile/sessions/" + phoneId + "/revoke").then()
                .statusCode(404).contentType("application/problem+json");
        as(phone).get("/profile").then().statusCode(200);

        as(laptop).header("HX-Request", "true").post("/profile/sessions/" + phoneId + "/revoke").then()
                .statusCode(200).body(containsString("this browser")).body(not(containsString(phoneId.toString())));
        as(phone).get("/profile").then().statusCode(303);
        as(laptop).get("/profile").then().statusCode(200);
    }

    @Test
    void sessionAddressesAreShownInTheirShortForm() {
        User fay = fixtures.user("fay", false);
        String session = fixtures.session(fay);
        UUID id = sessionId(session);
        QuarkusTransaction.requiringNew().run(() -> UserSession.update("ip = ?1 where id = ?2", "0:0:0:0:0:0:0:1", id));
        as(session).get("/profile").then().statusCode(200)
                .body(containsString("<td>::1</td>")).body(not(containsString("0:0:0:0:0:0:0:1")));
    }

    @Test
    void adminPagesAreForAdministratorsOnly() {
        String member = fixtures.session(fixtures.user("member", false));
        as(member).accept(ContentType.HTML).get("/admin/users").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("Only Latch administrators"));
        User admin = fixtures.user("admin", true);
        as(fixtures.session(admin)).get("/admin/users").then().statusCode(200).body(containsString(admin.username));
    }

    @Test
    void disablingAUserEndsTheirSessionsAtOnceAndIsAudited() {
        User admin = fixtures.user("admin", true);
        String adminSession = fixtures.session(admin);
        User leaver = fixtures.user("leaver", false);
        String leaverSession = fixtures.session(leaver);
        as(leaverSession).get("/profile").then().statusCode(200);

        as(adminSession).formParam("reason", "left the company").post("/admin/users/" + leaver.id + "/disable")
                .then().statusCode(303);
        as(leaverSession).get("/profile").then().statusCode(303);
        assertEquals("user disabled", endReason(leaver));
        assertNotNull(QuarkusTransaction.requiringNew().call(() ->
                dev.latch.audit.AuditEvent.find("action = ?1 and targetId = ?2", "user.disabled", leaver.id.toString()).firstResult()));

        as(adminSession).post("/admin/users/" + admin.id + "/disable").then().statusCode(409);
        as(adminSession).get("/profile").then().statusCode(200);
    }

    @Test
    void sensitiveActionsNeedAFreshKeyTouch() {
        User frank = fixtures.user("frank", false);
        var first = fixtures.storedKey(frank, "First");
        var second = fixtures.storedKey(frank, "Second");
        String session = fixtures.session(frank);

        TestClock.advance(Duration.ofMinutes(6));
        as(session).header("HX-Request", "true").post("/profile/keys/" + second.id + "/remove").then()
                .statusCode(428).contentType("application/problem+json")
                .body("type", equalTo("https://latch.dev/problems/step-up-required"))
                .body("detail", containsString("remove a security key"));
        assertEquals(2, keyCount(frank));

        TestClock.reset();
        as(session).header("HX-Request", "true").post("/profile/keys/" + second.id + "/remove").then()
                .statusCode(200).body(not(containsString("Second")));
        as(session).header("HX-Request", "true").post("/profile/keys/" + first.id + "/remove").then()
                .statusCode(409).body("detail", containsString("only security key"));
        assertEquals(1, keyCount(frank));
    }

    @Test
    void keysOfOthersCannotBeRenamedOrRemoved() {
        User owner = fixtures.user("owner", false);
        var key = fixtures.storedKey(owner, "Owner key");
        fixtures.storedKey(owner, "Owner backup");
        String intruder = fixtures.session(fixtures.user("intruder", false));
        as(intruder).header("HX-Request", "true").formParam("nickname", "pwned")
                .post("/profile/keys/" + key.id + "/rename").then().statusCode(404);
        as(intruder).header("HX-Request", "true").post("/profile/keys/" + key.id + "/remove").then().statusCode(404);
        assertEquals(2, keyCount(owner));
    }

    private static String endReason(User user) {
        return QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find(
                "userId = ?1 order by createdAt desc", user.id).firstResult().revokedReason);
    }

    private static UUID sessionId(String token) {
        return QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find("tokenHash",
                (Object) dev.latch.support.Secrets.hash(token)).firstResult().id);
    }

    /** Keys that can still sign: a removed key is revoked, not deleted. */
    private static long keyCount(User user) {
        return QuarkusTransaction.requiringNew().call(() -> dev.latch.webauthn.WebAuthnCredential.countActive(user.id));
    }
}
