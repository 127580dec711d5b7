package dev.latch.identity;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One-time enrolment links as an administrator and an invitee use them. */
@QuarkusTest
class InvitationsTest {

    private static final Pattern LINK = Pattern.compile("http://localhost:8081/enrol/([A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void anAdminInvitesSomeoneAndTheLinkOpensTheirEnrolmentPage() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String username = Fixtures.username("newbie");
        String page = as(admin).formParam("username", username).formParam("displayName", "New Bie")
                .formParam("email", username + "@example.com")
                .post("/admin/users/invite").then().statusCode(200)
                .body(containsString("shows it only now")).extract().asString();
        String token = token(page);

        anonymous().get("/enrol/" + token).then().statusCode(200)
                .body(containsString("Welcome, New Bie")).body(containsString(username))
                .body(containsString("Register security key"));
        as(admin).get("/admin/users").then().statusCode(200).body(containsString("Invitation " + username));
        assertTrue(storedHashOnly(token), "only the link's hash is stored");

        anonymous().contentType(ContentType.JSON).body("{\"nickname\":\"My key\"}")
                .post("/enrol/" + token + "/start").then().statusCode(200)
                .body("ceremonyId", notNullValue())
                .body("publicKey.rp.id", equalTo("localhost"))
                .body("publicKey.user.name", equalTo(username))
                .body("publicKey.challenge", notNullValue())
                .body("publicKey.authenticatorSelection.residentKey", equalTo("preferred"));
    }

    @Test
    void aSecondOpenInvitationForOneUsernameAndBadInputAreRefused() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String username = Fixtures.username("twice");
        as(admin).formParam("username", username).post("/admin/users/invite").then().statusCode(200);
        as(admin).accept(ContentType.HTML).formParam("username", username).post("/admin/users/invite").then()
                .statusCode(409).body(containsString("already an open invitation"));
        as(admin).accept(ContentType.HTML).formParam("username", "Not Valid!").post("/admin/users/invite").then()
                .statusCode(400).body(containsString("A username is 2 to 63 characters"));
        as(admin).accept(ContentType.HTML).formParam("username", Fixtures.username("mail")).formParam("email", "not-an-email")
                .post("/admin/users/invite").then().statusCode(400);
        String existing = fixtures.user("taken", false).username;
        as(admin).accept(ContentType.HTML).formParam("username", existing).post("/admin/users/invite").then().statusCode(409);
    }

    @Test
    void revokedExpiredAndUnknownLinksAllGetTheSameAnswer() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String revoked = token(as(admin).formParam("username", Fixtures.username("revoked")).post("/admin/users/invite").asString());
        String expiring = token(as(admin).formParam("username", Fixtures.username("expiring")).post("/admin/users/invite").asString());
        Invitation invitation = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find(
                "tokenHash", (Object) dev.latch.support.Secrets.hash(revoked)).firstResult());
        as(admin).header("HX-Request", "true").post("/admin/users/invitations/" + invitation.id + "/revoke").then()
                .statusCode(200).body(not(containsString("Invitation " + invitation.username)));

        TestClock.advance(Duration.ofHours(25));
        for (String token : new String[] {revoked, expiring, "x".repeat(43)}) {
            anonymous().accept(ContentType.HTML).get("/enrol/" + token).then().statusCode(404)
                    .body(containsString("This enrolment link is not valid"));
            anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                    .statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("https://latch.dev/problems/invitation-not-usable"));
        }
    }

    @Test
    void anAdminCanGiveAnExistingUserALinkToRegisterANewKey() {
        String admin = fixtures.session(fixtures.user("admin", true));
        User lost = fixtures.user("lostkeys", false);
        String token = token(as(admin).post("/admin/users/" + lost.id + "/key-link").then().statusCode(200)
                .body(containsString("Key enrolment link for " + lost.username)).extract().asString());
        anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).body("publicKey.user.name", equalTo(lost.username))
                .body("publicKey.user.id", equalTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(lost.userHandle)));
    }

    @Test
    void anAdminCanCreateAnAccountBeforeItsOwnerEnrols() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String username = Fixtures.username("precreated");
        String token = token(as(admin).formParam("username", username).formParam("displayName", "Pre Created")
                .post("/admin/users/create").then().statusCode(200).extract().asString());
        User created = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        assertEquals("Pre Created", created.displayName);
        as(admin).get("/admin/users?q=" + username).then().statusCode(200).body(containsString("User " + username));
        anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).body("publicKey.user.name", equalTo(username));
    }

    @Test
    void theFirstAdministratorsBootstrapLinkWasIssuedOnAnEmptyDatabase() {
        long bootstraps = QuarkusTransaction.requiringNew().call(() -> Invitation.count("kind", Invitation.BOOTSTRAP));
        assertEquals(1, bootstraps);
    }

    static String token(String page) {
        Matcher matcher = LINK.matcher(page);
        assertTrue(matcher.find(), page);
        return matcher.group(1);
    }

    private static boolean storedHashOnly(String token) {
        return QuarkusTransaction.requiringNew().call(() ->
                Invitation.count("tokenHash", (Object) dev.latch.support.Secrets.hash(token)) == 1);
    }
}
