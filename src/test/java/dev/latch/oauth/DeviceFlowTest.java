package dev.latch.oauth;

import static dev.latch.testing.Browserless.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.User;
import dev.latch.testing.DpopKey;
import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 8628 end to end over HTTP: the helper's side with DPoP proofs, the person's side on /device. */
@QuarkusTest
class DeviceFlowTest {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Inject
    Fixtures fixtures;

    private final DpopKey helperKey = new DpopKey();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void deviceAuthorizationAnswersWithTheRfcFields() {
        JsonPath codes = given().formParam("client_id", "latch-cli").formParam("host_name", "laptop-7").formParam("os", "Linux")
                .post("/oauth/device_authorization").then().statusCode(200)
                .contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("user_code", matchesPattern("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"))
                .body("verification_uri", equalTo("http://localhost:8081/device"))
                .body("expires_in", equalTo(600)).body("interval", equalTo(5))
                .extract().jsonPath();
        assertTrue(codes.getString("device_code").length() >= 43, "at least 256 bits");
        assertEquals("http://localhost:8081/device?user_code=" + codes.getString("user_code"),
                codes.getString("verification_uri_complete"));

        given().formParam("client_id", "someone-else").post("/oauth/device_authorization").then()
                .statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void pollingIsPendingThenSlowDownThenApprovedExactlyOnce() {
        JsonPath codes = start();
        String deviceCode = codes.getString("device_code");
        poll(deviceCode).then().statusCode(400).body("error", equalTo("authorization_pending"));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("slow_down"));
        TestClock.advance(Duration.ofSeconds(6));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("slow_down")); // each slow_down adds 5 s: now 15 s
        TestClock.advance(Duration.ofSeconds(14));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("slow_down"));
        TestClock.advance(Duration.ofSeconds(21));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("authorization_pending"));

        User alice = fixtures.user("alice", false);
        approve(fixtures.session(alice), codes.getString("user_code"));
        TestClock.advance(Duration.ofSeconds(21));
        Response tokens = poll(deviceCode);
        tokens.then().statusCode(200).header("Cache-Control", "no-store")
                .body("token_type", equalTo("DPoP")).body("expires_in", equalTo(600))
                .body("access_token", notNullValue()).body("refresh_token", notNullValue());
        TestClock.advance(Duration.ofSeconds(21));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("invalid_grant"));

        String access = tokens.path("access_token");
        given().header("Authorization", "DPoP " + access).header("DPoP", helperKey.proof("GET", "/api/v1/me", access))
                .get("/api/v1/me").then().statusCode(200).body("username", equalTo(alice.username));
    }

    @Test
    void approvingNeedsAKeyTouchMadeAfterTheHelperAsked() {
        String session = fixtures.session(fixtures.user("ivan", false)); // signed in (a touch) before the request
        JsonPath codes = start();
        UUID id = lookup(session, codes.getString("user_code"));
        as(session).header("HX-Request", "true").post("/device/" + id + "/approve").then().statusCode(428)
                .body("type", equalTo("https://latch.dev/problems/step-up-required"))
                .body("detail", containsString("approve the sign-in of latch 0.1 on laptop-7"));
        poll(codes.getString("device_code")).then().statusCode(400).body("error", equalTo("authorization_pending"));
    }

    @Test
    void aDeniedRequestAndAnExpiredCodeStopThePolling() {
        JsonPath denied = start();
        String session = fixtures.session(fixtures.user("bob", false));
        UUID id = lookup(session, denied.getString("user_code"));
        as(session).header("HX-Request", "true").post("/device/" + id + "/deny").then().statusCode(200)
                .body(containsString("denied"));
        poll(denied.getString("device_code")).then().statusCode(400).body("error", equalTo("access_denied"));

        JsonPath expiring = start();
        TestClock.advance(Duration.ofMinutes(11));
        poll(expiring.getString("device_code")).then().statusCode(400).body("error", equalTo("expired_token"));
        as(session).formParam("user_code", expiring.getString("user_code")).post("/device/lookup").then().statusCode(404);
    }

    @Test
    void theTokenEndpointNeedsAFreshUnusedDpopProof() {
        JsonPath codes = start();
        String deviceCode = codes.getString("device_code");
        given().formParam("grant_type", GRANT).formParam("client_id", "latch-cli").formParam("device_code", deviceCode)
                .post("/oauth/token").then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        String proof = helperKey.proof("POST", "/oauth/token");
        tokenCall(proof, "device_code", deviceCode).then().body("error", equalTo("authorization_pending"));
        tokenCall(proof, "device_code", deviceCode).then().statusCode(400).body("error", equalTo("invalid_dpop_proof"))
                .body("error_description", containsString("already used"));
        String stale = helperKey.proof("POST", DpopKey.ORIGIN + "/oauth/token", null, Instant.now().minusSeconds(300), UUID.randomUUID().toString());
        tokenCall(stale, "device_code", deviceCode).then().body("error", equalTo("invalid_dpop_proof"));
        String elsewhere = helperKey.proof("POST", "/oauth/revoke");
        tokenCall(elsewhere, "device_code", deviceCode).then().body("error", equalTo("invalid_dpop_proof"));
        given().formParam("grant_type", "password").formParam("client_id", "latch-cli").post("/oauth/token").then()
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void refreshTokensRotateAndReuseRevokesTheWholeLogin() {
        User carol = fixtures.user("carol", false);
        JsonPath first = signIn(carol);
        Response second = tokenCall(helperKey.proof("POST", "/oauth/token"), "refresh_token", first.getString("refresh_token"));
        second.then().statusCode(200);
        String rotated = second.path("refresh_token");
        assertNotEquals(first.getString("refresh_token"), rotated);

        // the first refresh token was copied and is presented again: the login ends for everyone
        tokenCall(helperKey.proof("POST", "/oauth/token"), "refresh_token", first.getString("refresh_token")).then()
                .statusCode(400).body("error", equalTo("invalid_grant")).body("error_description", containsString("already used"));
        tokenCall(helperKey.proof("POST", "/oauth/token"), "refresh_token", rotated).then()
                .statusCode(400).body("error", equalTo("invalid_grant"));
        String access = second.path("access_token");
        given().header("Authorization", "DPoP " + access).header("DPoP", helperKey.proof("GET", "/api/v1/me", access))
                .get("/api/v1/me").then().statusCode(401);
        assertTrue(QuarkusTransaction.requiringNew().call(() ->
                dev.latch.audit.AuditEvent.count("action = ?1 and actorId = ?2", "device.refresh_reuse", carol.id.toString()) == 1));
    }

    @Test
    void tokensAreUselessWithAnotherKey() {
        User dave = fixtures.user("dave", false);
        JsonPath tokens = signIn(dave);
        DpopKey thief = new DpopKey();
        tokenCall(thief.proof("POST", "/oauth/token"), "refresh_token", tokens.getString("refresh_token")).then()
                .statusCode(400).body("error", equalTo("invalid_grant")).body("error_description", containsString("another key"));
        String access = tokens.getString("access_token");
        given().header("Authorization", "DPoP " + access).header("DPoP", thief.proof("GET", "/api/v1/me", access))
                .get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + access).get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "DPoP " + access).header("DPoP", helperKey.proof("GET", "/api/v1/me", "another-token"))
                .get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "DPoP " + access).header("DPoP", helperKey.proof("GET", "/api/v1/me", access))
                .get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void logoutRevocationAndOffboardingEndTheLoginAtOnce() {
        User erin = fixtures.user("erin", false);
        JsonPath tokens = signIn(erin);
        String access = tokens.getString("access_token");
        given().formParam("token", tokens.getString("refresh_token")).formParam("client_id", "latch-cli")
                .post("/oauth/revoke").then().statusCode(200);
        given().header("Authorization", "DPoP " + access).header("DPoP", helperKey.proof("GET", "/api/v1/me", access))
                .get("/api/v1/me").then().statusCode(401).body("detail", containsString("latch login"));

        User frank = fixtures.user("frank", false);
        JsonPath franks = signIn(frank);
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/users/" + frank.id + "/disable").then().statusCode(303);
        String franksAccess = franks.getString("access_token");
        given().header("Authorization", "DPoP " + franksAccess).header("DPoP", helperKey.proof("GET", "/api/v1/me", franksAccess))
                .get("/api/v1/me").then().statusCode(401);
        tokenCall(helperKey.proof("POST", "/oauth/token"), "refresh_token", franks.getString("refresh_token")).then()
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void theProfileListsSignedInDevicesAndCanSignThemOut() {
        User gina = fixtures.user("gina", false);
        JsonPath tokens = signIn(gina);
        String session = fixtures.session(gina);
        String page = as(session).get("/profile/devices").then().statusCode(200).body(containsString("laptop-7")).extract().asString();
        UUID family = QuarkusTransaction.requiringNew().call(() -> TokenFamily.<TokenFamily>find("userId", gina.id).firstResult().id);
        assertTrue(page.contains(family.toString()));
        as(fixtures.session(fixtures.user("other", false))).header("HX-Request", "true")
                .post("/profile/devices/" + family + "/revoke").then().statusCode(404);
        as(session).header("HX-Request", "true").post("/profile/devices/" + family + "/revoke").then().statusCode(200)
                .body(containsString("No terminal is signed in"));
        tokenCall(helperKey.proof("POST", "/oauth/token"), "refresh_token", tokens.getString("refresh_token")).then()
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void theApprovalPageShowsWhatIsAskingAndWrongCodesAreRateLimited() {
        UserCodeGuessingTest.startOfAMinute(); // the per-minute window must not roll over mid-test
        JsonPath codes = start();
        String session = fixtures.session(fixtures.user("hank", false));
        as(session).get("/device?user_code=" + codes.getString("user_code").toLowerCase()).then().statusCode(200)
                .body(containsString("value=\"" + codes.getString("user_code") + "\""))
                .body(containsString("Only continue with a code you started yourself"));
        as(session).formParam("user_code", codes.getString("user_code").replace("-", " ").toLowerCase())
                .post("/device/lookup").then().statusCode(200)
                .body(containsString(codes.getString("user_code"))).body(containsString("laptop-7"))
                .body(containsString("Only approve a code you started yourself"));
        for (int i = 0; i < 4; i++) { // the right entry above counts too: five entries a minute
            as(session).accept(ContentType.HTML).formParam("user_code", "BBBB-BBBB").post("/device/lookup").then().statusCode(404);
        }
        as(session).accept(ContentType.HTML).formParam("user_code", "BBBB-BBBB").post("/device/lookup").then().statusCode(429);
        anonymousDeviceIsSentToSignIn();
    }

    /** The helper over IPv4 and the browser over IPv6 on one machine is not "another network" (issue 12, defect 3). */
    @Test
    void loopbackOverIpv4AndIpv6IsTheSameMachineButAnotherAddressIsWarnedAbout() {
        String session = fixtures.session(fixtures.user("ivy", false));
        String sameMachine = askedFrom("0:0:0:0:0:0:0:1");
        as(session).formParam("user_code", sameMachine).post("/device/lookup").then().statusCode(200)
                .body(not(containsString("aria-label=\"Different network\"")))
                .body(containsString("<dd>::1</dd>"))
                .body(not(containsString("0:0:0:0:0:0:0:1")));

        String elsewhere = askedFrom("2001:DB8:0:0:0:0:0:7");
        as(session).formParam("user_code", elsewhere).post("/device/lookup").then().statusCode(200)
                .body(containsString("aria-label=\"Different network\""))
                .body(containsString("This request came from 2001:db8::7"));
    }

    /** Starts a helper login and records it as asked from {@code address}; returns the user code. */
    private String askedFrom(String address) {
        String userCode = start().getString("user_code");
        QuarkusTransaction.requiringNew().run(() -> DeviceAuthorization.update("requestIp = ?1 where userCode = ?2", address,
                UserCodes.normalise(userCode)));
        return userCode;
    }

    private void anonymousDeviceIsSentToSignIn() {
        given().redirects().follow(false).get("/device?user_code=BBBB-BBBB").then().statusCode(303)
                .header("Location", containsString("/signin?next="));
    }

    @Test
    void discoveryNamesTheEndpointsAndTheJwksHasOnlyPublicKeys() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo("http://localhost:8081"))
                .body("device_authorization_endpoint", equalTo("http://localhost:8081/oauth/device_authorization"))
                .body("token_endpoint", equalTo("http://localhost:8081/oauth/token"))
                .body("grant_types_supported", org.hamcrest.Matchers.hasItem(GRANT))
                .body("dpop_signing_alg_values_supported", org.hamcrest.Matchers.hasItem("ES256"));
        String jwks = given().get("/oauth/jwks").then().statusCode(200).body("keys[0].kty", equalTo("EC"))
                .body("keys[0].kid", notNullValue()).extract().asString();
        assertTrue(!jwks.contains("\"d\""), "no private key material: " + jwks);
    }

    // --- helpers -------------------------------------------------------------------------------

    private JsonPath start() {
        return given().formParam("client_id", "latch-cli").formParam("client_name", "latch 0.1").formParam("host_name", "laptop-7")
                .formParam("os", "Linux").post("/oauth/device_authorization").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath signIn(User user) {
        JsonPath codes = start();
        approve(fixtures.session(user), codes.getString("user_code"));
        return poll(codes.getString("device_code")).then().statusCode(200).extract().jsonPath();
    }

    private Response poll(String deviceCode) {
        return tokenCall(helperKey.proof("POST", "/oauth/token"), "device_code", deviceCode);
    }

    private static Response tokenCall(String proof, String kind, String value) {
        var request = given().header("DPoP", proof).formParam("client_id", "latch-cli");
        if ("device_code".equals(kind)) {
            request.formParam("grant_type", GRANT).formParam("device_code", value);
        } else {
            request.formParam("grant_type", "refresh_token").formParam("refresh_token", value);
        }
        return request.post("/oauth/token");
    }

    private static UUID lookup(String session, String userCode) {
        String page = as(session).formParam("user_code", userCode).post("/device/lookup").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(page);
        assertTrue(m.find(), page);
        return UUID.fromString(m.group(1));
    }

    private static void approve(String session, String userCode) {
        UUID id = lookup(session, userCode);
        as(session).header("HX-Request", "true").post("/device/" + id + "/approve").then().statusCode(200)
                .body(containsString("is signed in"));
    }
}
