package dev.latch.oauth;

import static dev.latch.testing.Browserless.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.User;
import dev.latch.testing.DpopKey;
import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9700's refresh-token rules that DeviceFlowTest does not cover: a fixed end, and nothing readable at rest. */
@QuarkusTest
class RefreshTokenRulesTest {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    private final DpopKey helperKey = new DpopKey();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aLoginEndsTwelveHoursAfterItStartedHoweverBusyItIs() {
        JsonPath tokens = signIn(fixtures.user("busy", false));
        String refresh = tokens.getString("refresh_token");
        for (int hour = 0; hour < 11; hour++) {
            TestClock.advance(Duration.ofHours(1));
            refresh = refresh(refresh).then().statusCode(200).extract().path("refresh_token");
        }
        TestClock.advance(Duration.ofMinutes(61));
        refresh(refresh).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("latch login"));
    }

    @Test
    void theDatabaseHoldsNoDeviceCodeOrRefreshTokenInClear() {
        JsonPath codes = start();
        String deviceCode = codes.getString("device_code");
        approve(fixtures.session(fixtures.user("atrest", false)), codes.getString("user_code"));
        String refresh = poll(deviceCode).then().statusCode(200).extract().path("refresh_token");
        for (String secret : List.of(deviceCode, refresh)) {
            assertEquals(0, rowsContaining(secret), "a live secret is readable in the database");
        }
    }

    /** Counts rows of every table in the public schema whose text form contains the value. */
    private long rowsContaining(String value) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> tables = em.createNativeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                    .getResultList();
            assertTrue(tables.contains("refresh_token"), tables.toString());
            long found = 0;
            for (String table : tables) {
                found += ((Number) em.createNativeQuery("SELECT count(*) FROM \"" + table + "\" t WHERE strpos(CAST(t AS text), ?1) > 0")
                        .setParameter(1, value).getSingleResult()).longValue();
            }
            return found;
        });
    }

    private JsonPath signIn(User user) {
        JsonPath codes = start();
        approve(fixtures.session(user), codes.getString("user_code"));
        return poll(codes.getString("device_code")).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath start() {
        return given().formParam("client_id", "latch-cli").post("/oauth/device_authorization").then().statusCode(200)
                .extract().jsonPath();
    }

    private Response poll(String deviceCode) {
        return given().header("DPoP", helperKey.proof("POST", "/oauth/token")).formParam("client_id", "latch-cli")
                .formParam("grant_type", GRANT).formParam("device_code", deviceCode).post("/oauth/token");
    }

    private Response refresh(String refreshToken) {
        return given().header("DPoP", helperKey.proof("POST", "/oauth/token")).formParam("client_id", "latch-cli")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken).post("/oauth/token");
    }

    private static void approve(String session, String userCode) {
        String page = as(session).formParam("user_code", userCode).post("/device/lookup").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(page);
        assertTrue(m.find(), page);
        UUID id = UUID.fromString(m.group(1));
        as(session).header("HX-Request", "true").post("/device/" + id + "/approve").then().statusCode(200)
                .body(containsString("is signed in"));
    }
}
