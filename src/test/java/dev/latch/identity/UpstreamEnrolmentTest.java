package dev.latch.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.testing.Browserless;
import dev.latch.testing.PortalProcess;
import dev.latch.testing.SoftwareAuthenticator;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.Test;

/**
 * Enrolment behind a real OpenID Connect provider (mock-oauth2-server, running in the test JVM):
 * the invitee signs in upstream, the verified email must match the invitation, the claims fill the
 * account, and the upstream sign-in never opens a Latch session.
 */
@QuarkusTest
@TestProfile(UpstreamEnrolmentTest.WithUpstream.class)
class UpstreamEnrolmentTest {

    private static final String PORT_PROPERTY = "latch.test.upstream-port";

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Quarkus may ask more than once: one provider per JVM, found again through a system property
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try {
                    int free = PortalProcess.freePort();
                    MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(true, null, null, false));
                    server.start(free);
                    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
                    port = String.valueOf(free);
                    System.setProperty(PORT_PROPERTY, port);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return Map.of(
                    "latch.upstream.enabled", "true",
                    "latch.upstream.display-name", "Example SSO",
                    "quarkus.oidc.corp.auth-server-url", "http://localhost:" + port + "/corp",
                    "quarkus.oidc.corp.client-id", "latch",
                    "quarkus.oidc.corp.credentials.secret", "upstream-secret");
        }
    }

    @Inject
    Invitations invitations;

    @Test
    void aMatchingVerifiedEmailUnlocksKeyRegistrationAndTheClaimsFillTheAccount() {
        String username = Fixtures.username("upstream");
        String email = username + "@example.com";
        String token = invite(username, email);
        // a group an administrator made by hand: an upstream claim of the same name must not join it
        String localGroup = "local-" + username;
        QuarkusTransaction.requiringNew().run(() -> {
            Group group = new Group();
            group.id = java.util.UUID.randomUUID();
            group.name = localGroup;
            group.source = "local";
            group.createdAt = java.time.Instant.now();
            group.persist();
        });
        anonymousStart(token).then().statusCode(403).body("type", equalTo("https://latch.dev/problems/upstream-sign-in-required"));
        Browserless.anonymous().get("/enrol/" + token).then().statusCode(200).body(containsString("Continue with Example SSO"));

        CookieFilter cookies = new CookieFilter();
        Response back = upstreamSignIn(token, cookies, "sub-" + username, """
                {"email":"%s","email_verified":true,"name":"Ada Upstream","groups":["Platform Team","dev-team","%s"],
                 "manager_email":"boss@example.com"}""".formatted(email.toUpperCase(), localGroup));
        back.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/enrol/" + token));

        // the upstream sign-in left nothing that acts as a Latch session
        given().filter(cookies).redirects().follow(false).get("/profile").then().statusCode(303)
                .header("Location", containsString("/signin"));
        given().filter(cookies).get("/enrol/" + token).then().statusCode(200)
                .body(containsString("Register security key")).body(not(containsString("Continue with Example SSO")));

        Invitation recorded = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find("username", username).firstResult());
        assertEquals("sub-" + username, recorded.upstreamSubject);

        SoftwareAuthenticator key = new SoftwareAuthenticator();
        JsonNode started = start(token, cookies).then().statusCode(200).extract().as(JsonNode.class);
        Browserless.anonymous().filter(cookies).contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish").then().statusCode(200);
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        assertEquals("Ada Upstream", user.displayName);
        assertEquals("boss@example.com", user.managerEmail);
        List<String> groups = QuarkusTransaction.requiringNew().call(() -> GroupMembership.<GroupMembership>list("key.userId", user.id)
                .stream().map(m -> Group.<Group>findById(m.key.groupId()).name).sorted().toList());
        assertEquals(List.of("dev-team", "platform-team"), groups);
    }

    /** Issue 14, item 1: a manager the IdP names before they enrol becomes the manager when they do. */
    @Test
    void aManagerTheClaimNamesBeforeTheyEnrolBecomesTheManagerWhenTheyEnrol() {
        String bossName = Fixtures.username("boss");
        String bossEmail = bossName + "@example.com";
        String username = Fixtures.username("report");
        String email = username + "@example.com";
        enrolUpstream(username, "{\"email\":\"" + email + "\",\"email_verified\":true,\"manager_email\":\"" + bossEmail.toUpperCase() + "\"}");
        User report = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        assertNull(report.managerId, "the manager has no account yet");
        assertEquals(bossEmail, report.managerEmail);
        assertEquals("upstream", report.managerSource);

        enrolUpstream(bossName, "{\"email\":\"" + bossEmail + "\",\"email_verified\":true}");
        User boss = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(bossName).orElseThrow());
        User resolved = QuarkusTransaction.requiringNew().call(() -> User.<User>findById(report.id));
        assertEquals(boss.id, resolved.managerId);
        assertNull(resolved.managerEmail);
        assertEquals("upstream", resolved.managerSource, "the owner stays the one that named the manager");
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> dev.latch.audit.AuditEvent.find(
                "action = 'user.manager_resolved' and targetId = ?1", report.id.toString()).firstResult()));
    }

    private void enrolUpstream(String username, String claimsJson) {
        String token = invite(username, username + "@example.com");
        CookieFilter browser = new CookieFilter();
        upstreamSignIn(token, browser, "sub-" + username, claimsJson).then().statusCode(303);
        JsonNode started = start(token, browser).then().statusCode(200).extract().as(JsonNode.class);
        finish(started, new SoftwareAuthenticator(), browser).then().statusCode(200);
    }

    @Test
    void aProofMadeInTheVictimsBrowserDoesNotLetAnotherBrowserHoldingTheLinkRegister() {
        String username = Fixtures.username("leaked");
        String email = username + "@example.com";
        String token = invite(username, email);
        // the link leaked: the attacker sends the victim to the upstream step, and the victim's IdP session finishes it
        CookieFilter victim = new CookieFilter();
        upstreamSignIn(token, victim, "sub-" + username, "{\"email\":\"" + email + "\",\"email_verified\":true}")
                .then().statusCode(303);

        CookieFilter attacker = new CookieFilter();
        given().filter(attacker).get("/enrol/" + token).then().statusCode(200)
                .body(containsString("Continue with Example SSO")).body(not(containsString("Register security key")));
        start(token, attacker).then().statusCode(403)
                .body("type", equalTo("https://latch.dev/problems/upstream-sign-in-required"))
                .body("detail", containsString("another browser"));
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> dev.latch.audit.AuditEvent.find(
                "action = ?1 and targetId = ?2 and outcome = 'denied'", "invitation.upstream_proof", invitationId(username)).firstResult()),
                "the refusal is on the record");

        // the browser that made the proof registers, and the link is then spent
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        JsonNode started = start(token, victim).then().statusCode(200).extract().as(JsonNode.class);
        finish(started, key, victim).then().statusCode(200);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).isPresent()));
    }

    @Test
    void theFinishOfTheRegistrationNeedsTheBrowserThatMadeTheProof() {
        String username = Fixtures.username("finish");
        String email = username + "@example.com";
        String token = invite(username, email);
        CookieFilter proven = new CookieFilter();
        upstreamSignIn(token, proven, "sub-" + username, "{\"email\":\"" + email + "\",\"email_verified\":true}")
                .then().statusCode(303);
        JsonNode started = start(token, proven).then().statusCode(200).extract().as(JsonNode.class);

        // the ceremony's id and options reach a browser without the proof's cookie: it cannot finish
        finish(started, new SoftwareAuthenticator(), new CookieFilter()).then().statusCode(403)
                .body("type", equalTo("https://latch.dev/problems/upstream-sign-in-required"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).isEmpty()), "no account was made");
        Invitation open = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find("username", username).firstResult());
        assertNull(open.usedAt, "the link is still usable by its owner");

        JsonNode again = start(token, proven).then().statusCode(200).extract().as(JsonNode.class);
        finish(again, new SoftwareAuthenticator(), proven).then().statusCode(200);
    }

    @Test
    void aMismatchedEmailIsRefusedAndNothingIsStored() {
        String username = Fixtures.username("mismatch");
        String token = invite(username, username + "@example.com");
        Response refused = upstreamSignIn(token, new CookieFilter(), "sub-other",
                "{\"email\":\"someone.else@example.com\",\"email_verified\":true}");
        refused.then().statusCode(403).body(containsString("does not match the invitation"));
        Invitation untouched = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find("username", username).firstResult());
        assertNull(untouched.upstreamSubject);
        assertNull(untouched.upstreamClaims);
        anonymousStart(token).then().statusCode(403);
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> dev.latch.audit.AuditEvent.find(
                "action = ?1 and targetId = ?2 and outcome = 'denied'", "invitation.upstream_verified", untouched.id.toString()).firstResult()));
    }

    @Test
    void anInvitationWithoutAnEmailCannotBeMatched() {
        String username = Fixtures.username("noemail");
        String token = invite(username, null);
        upstreamSignIn(token, new CookieFilter(), "sub-x", "{\"email\":\"x@example.com\",\"email_verified\":true}")
                .then().statusCode(403).body(containsString("has no email address"));
    }

    @Test
    void anUnverifiedEmailIsRefused() {
        String username = Fixtures.username("unverified");
        String token = invite(username, username + "@example.com");
        upstreamSignIn(token, new CookieFilter(), "sub-y", "{\"email\":\"" + username + "@example.com\",\"email_verified\":false}")
                .then().statusCode(403).body(containsString("verified email"));
    }

    /** Follows the authorization-code flow by hand: portal → provider login form → callback → portal. */
    private static Response upstreamSignIn(String token, CookieFilter cookies, String subject, String claimsJson) {
        Response toProvider = given().filter(cookies).redirects().follow(false).get("/upstream/enrol/" + token);
        toProvider.then().statusCode(302);
        String authorize = toProvider.header("Location");
        assertTrue(authorize.contains("/corp/authorize"), authorize);
        // PKCE and a nonce tie the code and the ID token to this browser's sign-in
        assertTrue(authorize.contains("code_challenge=") && authorize.contains("code_challenge_method=S256"), authorize);
        assertTrue(authorize.contains("nonce="), authorize);
        // the Location headers are already encoded: send them as they are
        given().filter(cookies).urlEncodingEnabled(false).get(authorize).then().statusCode(200).body(containsString("name=\"username\""));
        Response toCallback = given().filter(cookies).urlEncodingEnabled(false).redirects().follow(false).contentType(ContentType.URLENC)
                .body("username=" + encode(subject) + "&claims=" + encode(claimsJson)).post(authorize);
        toCallback.then().statusCode(302);
        Response restored = given().filter(cookies).urlEncodingEnabled(false).redirects().follow(false).get(toCallback.header("Location"));
        restored.then().statusCode(302);
        return given().filter(cookies).urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.HTML)
                .get(restored.header("Location"));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private String invite(String username, String email) {
        String url = invitations.invite(new Invitations.Request(username, email, null, false), null).url();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static Response start(String token, CookieFilter browser) {
        return Browserless.anonymous().filter(browser).contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start");
    }

    private static Response finish(JsonNode started, SoftwareAuthenticator key, CookieFilter browser) {
        return Browserless.anonymous().filter(browser).contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish");
    }

    private static String invitationId(String username) {
        Invitation invitation = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find("username", username).firstResult());
        return invitation.id.toString();
    }

    private static Response anonymousStart(String token) {
        return Browserless.anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start");
    }
}
