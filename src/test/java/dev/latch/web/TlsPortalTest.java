package dev.latch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A portal published over TLS (behind a TLS-terminating load balancer) hardens transport and cookies. */
@QuarkusTest
@TestProfile(TlsPortalTest.PublishedOverTls.class)
class TlsPortalTest {

    public static class PublishedOverTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.portal.public-url", "https://latch.example.test");
        }
    }

    @Test
    void sendsHstsAndHostPrefixedSecureCsrfCookie() {
        String setCookie = given().get("/").then().statusCode(200)
                .header("Strict-Transport-Security", containsString("max-age=31536000"))
                .extract().header("Set-Cookie");
        assertTrue(setCookie.startsWith("__Host-latch-csrf="), setCookie);
        assertTrue(setCookie.contains("Secure"), setCookie);
        assertTrue(setCookie.contains("HTTPOnly") || setCookie.contains("HttpOnly"), setCookie);
    }

    @Test
    void onlyThePublicOriginMayPost() {
        String cookie = given().get("/").then().extract().cookie("__Host-latch-csrf");
        given().header("Origin", "http://localhost:8081").cookie("__Host-latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "x").post("/test-probe/form").then().statusCode(403);
        given().header("Origin", "https://latch.example.test").cookie("__Host-latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "x").redirects().follow(false)
                .post("/test-probe/form").then().statusCode(303);
    }
}
