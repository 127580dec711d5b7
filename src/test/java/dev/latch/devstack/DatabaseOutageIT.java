package dev.latch.devstack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.PortalProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under a running portal and comes back: meanwhile every answer is a clear
 * 503 (a page for browsers, problem JSON for programs), never a 500; readiness goes down so the
 * load balancer stops sending traffic; and the portal recovers by itself when the database returns.
 */
class DatabaseOutageIT {

    private static Path dataDirectory;
    private static int databasePort;
    private static EmbeddedPostgres postgres;
    private static PortalProcess portal;

    @BeforeAll
    static void start() throws Exception {
        dataDirectory = Files.createTempDirectory("latch-outage-pg");
        databasePort = PortalProcess.freePort();
        postgres = database();
        portal = PortalProcess.start(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + databasePort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "unused",
                // fail fast while the database is away, instead of holding requests for the default 5 s
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "2S"));
        portal.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A request as a portal page sends it (with the CSRF double submit). */
    private static io.restassured.specification.RequestSpecification page(String base) {
        return given().baseUri(base).cookie("latch-csrf", dev.latch.testing.Browserless.CSRF)
                .header("X-CSRF-Token", dev.latch.testing.Browserless.CSRF);
    }

    /** The same data directory and port every time, so a restart is the same database coming back. */
    private static EmbeddedPostgres database() throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(databasePort)
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-outage-pg-bin").toFile()).start();
    }

    @Test
    void aDatabaseOutageIsA503UntilItRecoversByItself() throws Exception {
        String base = portal.baseUrl();
        page(base).contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200);

        // requests in flight while PostgreSQL shuts down (their sessions are terminated: SQLState 57P01)
        ExecutorService load = Executors.newFixedThreadPool(4);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<List<Integer>>> during = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            during.add(load.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                while (running.get()) {
                    codes.add(page(base).contentType(ContentType.JSON).body("{}").post("/signin/start").statusCode());
                }
                return codes;
            }));
        }
        Thread.sleep(300);
        postgres.close();
        Thread.sleep(1500);
        running.set(false);
        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> codes : during) {
            statuses.addAll(codes.get());
        }
        load.shutdown();
        assertTrue(!statuses.contains(500), "no 500 while the database went away: " + statuses.stream().distinct().toList());
        assertTrue(statuses.contains(503), "some requests saw the outage: " + statuses.stream().distinct().toList());

        Response api = page(base).accept(ContentType.JSON).contentType(ContentType.JSON).body("{}").post("/signin/start");
        assertEquals(503, api.statusCode(), api.asString());
        assertEquals("https://latch.dev/problems/database-unavailable", api.path("type"));
        assertTrue(api.header("Retry-After") != null, "tells clients when to retry");
        Response signedIn = page(base).accept(ContentType.HTML).cookie("latch-session", "a-session-id-the-portal-must-look-up-0123456789").redirects().follow(false)
                .get("/profile");
        assertEquals(503, signedIn.statusCode(), "a page that needs the session store: " + signedIn.asString());
        assertTrue(signedIn.asString().contains("<html"), "browsers get a page");
        Response token = page(base).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code").formParam("device_code", "x")
                .formParam("client_id", "latch-cli").post("/oauth/token");
        assertNotEquals(500, token.statusCode(), token.asString());
        String management = portal.managementUrl();
        assertEquals(503, page(management).get("/q/health/ready").statusCode(), "readiness goes down");
        assertEquals(200, page(management).get("/q/health/live").statusCode(), "but the process stays alive");
        assertTrue(!portal.output().contains("Unexpected failure"), "no 500 was logged");

        postgres = database();
        Instant back = Instant.now();
        Instant deadline = back.plus(Duration.ofSeconds(60));
        while (page(management).get("/q/health/ready").statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        System.out.printf("portal ready again %d ms after PostgreSQL came back%n", Duration.between(back, Instant.now()).toMillis());
        page(base).contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200);
    }
}
