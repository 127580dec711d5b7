package dev.latch.oauth;

import static dev.latch.testing.Browserless.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.User;
import dev.latch.testing.DpopKey;
import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guessing user codes (RFC 8628 §5.1): the limit per person and per address is checked before
 * the lookup and counts every entry, right or wrong, so a guesser who hits the limit cannot
 * confirm a right guess; and wrong entries close to a pending code (one or two letters off), from
 * anyone, end that code.
 */
@QuarkusTest
class UserCodeGuessingTest {

    @Inject
    Fixtures fixtures;

    private final DpopKey helperKey = new DpopKey();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    /** Moves the clock to the start of a minute, so a per-minute window cannot roll over during a test. */
    static void startOfAMinute() {
        TestClock.advance(Duration.ofMillis(60_000 - TestClock.now().toEpochMilli() % 60_000 + 50));
    }

    @Test
    void afterTheLimitEvenTheRightCodeIsRefusedAndEveryRefusalIsAudited() {
        startOfAMinute();
        String victimsCode = start().getString("user_code");
        User mallory = fixtures.user("mallory", false);
        String session = fixtures.session(mallory);
        for (int i = 0; i < 5; i++) {
            as(session).accept(ContentType.HTML).formParam("user_code", "BBBB-BBBB").post("/device/lookup").then().statusCode(404);
        }
        as(session).accept(ContentType.HTML).formParam("user_code", victimsCode).post("/device/lookup").then().statusCode(429)
                .body(not(victimsCode));
        assertEquals(6, refusals(mallory), "five unknown codes and the refused right one are in the audit log");

        // a random miss is aimed at no code: the victim's code still works once the minute is over
        TestClock.advance(Duration.ofSeconds(61));
        as(session).accept(ContentType.HTML).formParam("user_code", victimsCode).post("/device/lookup").then().statusCode(200);
    }

    @Test
    void rightEntriesCountTowardsTheLimitToo() {
        startOfAMinute();
        String code = start().getString("user_code");
        String session = fixtures.session(fixtures.user("reloader", false));
        for (int i = 0; i < 5; i++) {
            as(session).accept(ContentType.HTML).formParam("user_code", code).post("/device/lookup").then().statusCode(200);
        }
        as(session).accept(ContentType.HTML).formParam("user_code", code).post("/device/lookup").then().statusCode(429);
    }

    @Test
    void wrongEntriesCloseToAPendingCodeFromAnyoneEndIt() {
        startOfAMinute();
        JsonPath codes = start();
        String code = UserCodes.normalise(codes.getString("user_code"));
        for (int i = 0; i < 5; i++) {
            // five people, each one or two letters off the code (a partly seen code, or a guesser near it)
            String near = i % 2 == 0 ? other(code, i) : other(other(code, i), i + 1);
            as(fixtures.session(fixtures.user("near", false))).accept(ContentType.HTML).formParam("user_code", near)
                    .post("/device/lookup").then().statusCode(404);
        }
        TestClock.advance(Duration.ofSeconds(61)); // past the per-address minute: only the code's own cap is left
        String owner = fixtures.session(fixtures.user("owner", false));
        as(owner).accept(ContentType.HTML).formParam("user_code", codes.getString("user_code")).post("/device/lookup").then()
                .statusCode(404);
        given().header("DPoP", helperKey.proof("POST", "/oauth/token")).formParam("client_id", "latch-cli")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .formParam("device_code", codes.getString("device_code")).post("/oauth/token").then().statusCode(400)
                .body("error", equalTo("access_denied")).body("error_description", containsString("wrong codes"));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and targetId = ?2",
                "device.code_closed", DeviceAuthorization.<DeviceAuthorization>find("userCode", code).firstResult().id.toString())));
    }

    @Test
    void codesFarFromAPendingCodeDoNotEndIt() {
        startOfAMinute();
        JsonPath codes = start();
        String code = UserCodes.normalise(codes.getString("user_code"));
        String far = other(other(other(code, 0), 1), 2); // three letters off
        for (int i = 0; i < 5; i++) {
            as(fixtures.session(fixtures.user("far", false))).accept(ContentType.HTML).formParam("user_code", far)
                    .post("/device/lookup").then().statusCode(404);
        }
        TestClock.advance(Duration.ofSeconds(61));
        as(fixtures.session(fixtures.user("owner", false))).accept(ContentType.HTML).formParam("user_code", codes.getString("user_code"))
                .post("/device/lookup").then().statusCode(200);
    }

    /** The code with the letter at {@code position} replaced by another letter of the alphabet. */
    private static String other(String code, int position) {
        char current = code.charAt(position);
        char replacement = UserCodes.ALPHABET.charAt((UserCodes.ALPHABET.indexOf(current) + 1) % UserCodes.ALPHABET.length());
        return code.substring(0, position) + replacement + code.substring(position + 1);
    }

    private static org.hamcrest.Matcher<String> not(String text) {
        return org.hamcrest.Matchers.not(containsString(text));
    }

    private static long refusals(User user) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and actorId = ?2 and outcome = ?3",
                "device.user_code", user.id.toString(), "denied"));
    }

    private JsonPath start() {
        return given().formParam("client_id", "latch-cli").formParam("client_name", "latch 0.1").formParam("host_name", "victim-laptop")
                .formParam("os", "Linux").post("/oauth/device_authorization").then().statusCode(200).extract().jsonPath();
    }
}
