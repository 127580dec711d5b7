package dev.latch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics (with the audit counters) are for the cluster, not for the internet: they
 * answer only on the management port, which the Ingress never routes to (issue 13, item 16). The
 * portal's own port answers 404 for them, whatever the caller asks for.
 */
@QuarkusTest
class ManagementInterfaceTest {

    /** The management interface's root path ({@code /q/}) on its test port (9001 unless configured). */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void thePortalPortDoesNotServeHealthOrMetrics() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics"}) {
            given().get(path).then().statusCode(404);
            given().accept(ContentType.JSON).get(path).then().statusCode(404);
        }
    }

    @Test
    void theManagementPortServesHealthAndMetrics() {
        String base = management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
        assertNotEquals(8081, management.getPort(), "a port of its own");
        given().baseUri(base).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().baseUri(base).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(base).get("/q/health/started").then().statusCode(200);
        // a request to the portal is counted there
        given().get("/").then().statusCode(200);
        given().baseUri(base).get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds"))
                .body(containsString("latch_outbox_pending"));
    }

    @Test
    void theOpenApiDocumentStaysOnThePortalPortForApiUsers() {
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/admin/accounts"));
    }
}
