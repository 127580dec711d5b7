package dev.latch.webauthn;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The relying party against a software authenticator that produces real attestation objects and
 * signatures: every bad answer is refused with a clear 4xx and changes nothing.
 */
@QuarkusTest
class WebAuthnApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Invitations invitations;

    @Inject
    Fixtures fixtures;

    @Test
    void enrolmentAndSignInWithAGoodKeyWork() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        Response signedIn = signIn(key, null);
        signedIn.then().statusCode(200).body("redirect", equalTo("/")).cookie("latch-session", notNullValue());
        as(signedIn.cookie("latch-session")).get("/profile").then().statusCode(200).body(containsString(username));
    }

    @Test
    void aReplayedAssertionIsRefused() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        enrol(key);
        JsonNode started = startSignIn(null);
        String answer = key.assertion(started.path("publicKey"));
        finishSignIn(started, answer).then().statusCode(200);
        finishSignIn(started, answer).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"));
        JsonNode fresh = startSignIn(null);
        finishSignIn(fresh, answer).then().statusCode(400).body("type", equalTo("https://latch.dev/problems/webauthn-refused"))
                .header("Set-Cookie", nullValue());
    }

    @Test
    void answersForAnotherOriginOrRelyingPartyOrWithoutPresenceAreRefused() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        long counter = storedCounter(username);
        refused(key.origin("https://latch.evil.example"), "origin");
        key.origin("http://localhost:8081");
        refused(key.rpIdForHash("evil.example"), "RP ID hash");
        key.rpIdForHash(null);
        refused(key.userPresent(false), "User Presence");
        key.userPresent(true);
        assertEquals(counter, storedCounter(username), "refused answers change nothing");
        signIn(key, null).then().statusCode(200);
    }

    /** Latch is never framed (frame-ancestors 'none'), so an answer made inside a frame is refused (issue 13). */
    @Test
    void anAnswerMadeInACrossOriginFrameIsRefusedInEveryCeremony() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        long counter = storedCounter(username);
        refused(key.framedIn(true, null), "frame");
        refused(key.framedIn(false, "https://evil.example"), "frame");
        assertEquals(counter, storedCounter(username), "refused answers change nothing");

        String other = Fixtures.username("framed");
        String token = token(invitations.invite(new Invitations.Request(other, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{}").then().statusCode(200).extract().as(JsonNode.class);
        post("/enrol/finish", finishBody(started, new SoftwareAuthenticator().framedIn(true, "https://evil.example")
                .register(started.path("publicKey")))).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused")).body("detail", containsString("frame"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(other).orElse(null)));

        key.framedIn(false, null);
        signIn(key, null).then().statusCode(200);
    }

    /** A client that names another id than the one the authenticator attested must not choose the stored id (issue 13). */
    @Test
    void aRegistrationWhoseIdDiffersFromTheAttestedIdIsRefused() {
        String username = Fixtures.username("liar");
        String token = token(invitations.invite(new Invitations.Request(username, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{}").then().statusCode(200).extract().as(JsonNode.class);
        String answer = new SoftwareAuthenticator().claimCredentialId(dev.latch.support.Secrets.randomBytes(32))
                .register(started.path("publicKey"));
        post("/enrol/finish", finishBody(started, answer)).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused"))
                .body("detail", containsString("credential id"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElse(null)));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> dev.latch.audit.AuditEvent.count(
                "action = ?1 and targetId = ?2", "key.registration", started.path("ceremonyId").asText())),
                "the refused registration is on the record");
    }

    @Test
    void anAnswerWhoseSignatureDoesNotVerifyIsRefused() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        JsonNode started = startSignIn(username);
        com.fasterxml.jackson.databind.node.ObjectNode answer = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(key.assertion(started.path("publicKey")));
        byte[] signature = java.util.Base64.getUrlDecoder().decode(answer.path("response").path("signature").asText());
        signature[signature.length - 1] ^= 0x01;
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer.path("response"))
                .put("signature", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
        finishSignIn(started, answer.toString()).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused")).header("Set-Cookie", nullValue());
        signIn(key, username).then().statusCode(200);
    }

    @Test
    void aCredentialIdLongerThan1023BytesIsRefused() {
        String username = Fixtures.username("longid");
        String token = token(invitations.invite(new Invitations.Request(username, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{}").then().statusCode(200).extract().as(JsonNode.class);
        String answer = new SoftwareAuthenticator().attestCredentialId(dev.latch.support.Secrets.randomBytes(1024))
                .register(started.path("publicKey"));
        post("/enrol/finish", finishBody(started, answer)).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused")).body("detail", containsString("1023 bytes"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElse(null)));
    }

    @Test
    void aCredentialIdAlreadyRegisteredToSomeoneIsRefused() {
        SoftwareAuthenticator alicesKey = new SoftwareAuthenticator();
        enrol(alicesKey);
        String mallory = Fixtures.username("copycat");
        String token = token(invitations.invite(new Invitations.Request(mallory, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{}").then().statusCode(200).extract().as(JsonNode.class);
        String answer = new SoftwareAuthenticator().attestCredentialId(alicesKey.credentials().get(0).id)
                .register(started.path("publicKey"));
        post("/enrol/finish", finishBody(started, answer)).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(mallory).orElse(null)));
        signIn(alicesKey, null).then().statusCode(200);
    }

    @Test
    void registrationForAnotherOriginIsRefusedAndTheLinkStaysUsable() {
        String username = Fixtures.username("phished");
        String token = token(invitations.invite(new Invitations.Request(username, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{\"nickname\":\"k\"}").then().statusCode(200).extract().as(JsonNode.class);
        String answer = new SoftwareAuthenticator().origin("https://evil.example").register(started.path("publicKey"));
        post("/enrol/finish", finishBody(started, answer)).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused"))
                .body("detail", containsString("origin"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElse(null)));
        post("/enrol/" + token + "/start", "{}").then().statusCode(200);
    }

    @Test
    void malformedCborIsRefused() {
        String token = token(invitations.invite(new Invitations.Request(Fixtures.username("cbor"), null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{}").then().statusCode(200).extract().as(JsonNode.class);
        String answer = "{\"type\":\"public-key\",\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"rawId\":\"AAAAAAAAAAAAAAAAAAAAAA\","
                + "\"response\":{\"clientDataJSON\":\"e30\",\"attestationObject\":\"v_8A\"},\"clientExtensionResults\":{}}";
        post("/enrol/finish", finishBody(started, answer)).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aCounterThatGoesBackwardsFlagsTheKeyRefusesAndIsAudited() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        signIn(key.counter(10), null).then().statusCode(200);
        signIn(key.counter(5), null).then().statusCode(400).body("detail", containsString("cloned"))
                .header("Set-Cookie", nullValue());
        WebAuthnCredential stored = storedKey(username);
        assertNotNull(stored.suspectedCloneAt);
        assertEquals(10, stored.signatureCount);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() ->
                dev.latch.audit.AuditEvent.count("action = ?1 and targetId = ?2", "key.suspected_clone", stored.id.toString())));
        // even the genuine key's next, higher counter is refused until an administrator looks at it
        signIn(key.counter(11), null).then().statusCode(400).body("detail", containsString("flagged"));
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).get("/admin/users").then().statusCode(200).body(containsString("Security keys need attention"))
                .body(containsString(username));
    }

    @Test
    void unknownKeysAndOtherPeoplesKeysAreRefused() {
        SoftwareAuthenticator stranger = new SoftwareAuthenticator();
        stranger.register(JSON.createObjectNode().put("challenge", "AAAA").set("rp", JSON.createObjectNode().put("id", "localhost")));
        stranger.credentials().get(0); // a key the portal never saw
        JsonNode started = startSignIn(null);
        finishSignIn(started, stranger.assertion(started.path("publicKey"))).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused"));

        SoftwareAuthenticator alicesKey = new SoftwareAuthenticator();
        String alice = enrol(alicesKey);
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator();
        enrol(bobsKey);
        JsonNode forAlice = startSignIn(alice);
        finishSignIn(forAlice, bobsKey.assertion(forAlice.path("publicKey"), bobsKey.credentials().get(0))).then()
                .statusCode(400).body("type", equalTo("https://latch.dev/problems/webauthn-refused"))
                .header("Set-Cookie", nullValue());
    }

    @Test
    void stepUpWithSomeoneElsesKeyIsRefused() {
        SoftwareAuthenticator alicesKey = new SoftwareAuthenticator();
        String alice = enrol(alicesKey);
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator();
        enrol(bobsKey);
        String session = signIn(alicesKey, null).cookie("latch-session");
        JsonNode started = as(session).contentType(ContentType.JSON).body("{}").post("/step-up/start").then()
                .statusCode(200).extract().as(JsonNode.class);
        as(session).contentType(ContentType.JSON).body(finishBody(started, bobsKey.assertion(started.path("publicKey"),
                bobsKey.credentials().get(0)))).post("/step-up/finish").then().statusCode(400);
        JsonNode again = as(session).contentType(ContentType.JSON).body("{}").post("/step-up/start").then()
                .statusCode(200).extract().as(JsonNode.class);
        as(session).contentType(ContentType.JSON).body(finishBody(again, alicesKey.assertion(again.path("publicKey"))))
                .post("/step-up/finish").then().statusCode(200);
        assertNotNull(alice);
    }

    @Test
    void aDisabledUserCannotSignInEvenWithTheirKey() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        String username = enrol(key);
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/users/" + user.id + "/disable").then().statusCode(303);
        signIn(key, null).then().statusCode(403).body("type", equalTo("https://latch.dev/problems/user-disabled"))
                .header("Set-Cookie", nullValue());
    }

    // --- helpers -------------------------------------------------------------------------------

    private String enrol(SoftwareAuthenticator key) {
        String username = Fixtures.username("key");
        String token = token(invitations.invite(new Invitations.Request(username, null, null, false), null).url());
        JsonNode started = post("/enrol/" + token + "/start", "{\"nickname\":\"Software key\"}").then().statusCode(200)
                .extract().as(JsonNode.class);
        post("/enrol/finish", finishBody(started, key.register(started.path("publicKey")))).then().statusCode(200);
        return username;
    }

    private void refused(SoftwareAuthenticator key, String reason) {
        JsonNode started = startSignIn(null);
        finishSignIn(started, key.assertion(started.path("publicKey"))).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-refused"))
                .body("detail", containsString(reason))
                .header("Set-Cookie", nullValue());
    }

    private static Response signIn(SoftwareAuthenticator key, String username) {
        JsonNode started = startSignIn(username);
        return finishSignIn(started, key.assertion(started.path("publicKey")));
    }

    private static JsonNode startSignIn(String username) {
        return post("/signin/start", username == null ? "{}" : "{\"username\":\"" + username + "\"}").then().statusCode(200)
                .extract().as(JsonNode.class);
    }

    private static Response finishSignIn(JsonNode started, String answer) {
        return post("/signin/finish", finishBody(started, answer));
    }

    private static String finishBody(JsonNode started, String answer) {
        return "{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + answer + "}";
    }

    private static Response post(String path, String body) {
        return anonymous().contentType(ContentType.JSON).body(body).post(path);
    }

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static long storedCounter(String username) {
        return storedKey(username).signatureCount;
    }

    private static WebAuthnCredential storedKey(String username) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = User.findByUsername(username).orElseThrow();
            return WebAuthnCredential.<WebAuthnCredential>find("userId", user.id).firstResult();
        });
    }
}
