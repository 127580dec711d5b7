package dev.latch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A person with a real (software) security key, enrolled through an invitation as a browser does,
 * and signed in: for tests of ceremonies such as signed approvals.
 */
public record KeyHolder(User user, SoftwareAuthenticator key, String session) {

    public static KeyHolder enrol(Invitations invitations, String prefix) {
        String username = Fixtures.username(prefix);
        String url = invitations.invite(new Invitations.Request(username, username + "@example.com", "Test " + username, false), null).url();
        String token = url.substring(url.lastIndexOf('/') + 1);
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        JsonNode started = Browserless.anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        Response finished = Browserless.anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish");
        finished.then().statusCode(200);
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        return new KeyHolder(user, key, finished.getCookie("latch-session"));
    }

    /** As if the last key touch was long ago (past the step-up freshness): the next sensitive action needs a new one. */
    public KeyHolder touchLongAgo() {
        QuarkusTransaction.requiringNew().run(() -> dev.latch.identity.UserSession.update("steppedUpAt = null where userId = ?1", user.id));
        return this;
    }

    /**
     * What the person does on the page a helper opened for production (/terminal/touch): a fresh
     * touch of their key, made after the terminal asked, then Confirm for the waiting login.
     */
    public void confirmTerminalTouch() {
        java.util.UUID login = waitingTerminal();
        TestClock.advance(java.time.Duration.ofSeconds(1)); // the touch comes after the terminal asked
        ceremony("/step-up", "{}").then().statusCode(200);
        Browserless.as(session).header("HX-Request", "true").post("/terminal/touch/" + login).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("may use production now"));
    }

    /** The helper login that /terminal/touch shows this person as waiting for a touch. */
    public java.util.UUID waitingTerminal() {
        String page = Browserless.as(session).get("/terminal/touch").then().statusCode(200).extract().asString();
        java.util.regex.Matcher waiting = java.util.regex.Pattern.compile("/terminal/touch/([0-9a-f-]{36})").matcher(page);
        if (!waiting.find()) {
            throw new AssertionError("no terminal is waiting for a touch: " + page);
        }
        return java.util.UUID.fromString(waiting.group(1));
    }

    /** A key-signed ceremony at {@code base}/start and {@code base}/finish, as webauthn.js runs it. */
    public Response ceremony(String base, String startBody) {
        JsonNode started = Browserless.as(session).contentType(ContentType.JSON).body(startBody).post(base + "/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        return Browserless.as(session).contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + key.assertion(started.path("publicKey")) + "}")
                .post(base + "/finish");
    }
}
