package dev.latch.devstack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.support.Secrets;
import dev.latch.testing.Browserless;
import dev.latch.testing.PortalProcess;
import dev.latch.testing.SoftwareAuthenticator;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two portal instances (separate JVMs, the packaged application) on one PostgreSQL, as behind a
 * load balancer: every piece of state a request needs is in the database, so a ceremony started on
 * one instance finishes on the other, and a session made by one is honoured by the other.
 */
class TwoInstancesIT {

    private static EmbeddedPostgres postgres;
    private static PortalProcess a;
    private static PortalProcess b;
    private static String publicUrl;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-two-pg").toFile())
                .start();
        int portA = PortalProcess.freePort();
        publicUrl = "http://localhost:" + portA; // both instances publish one URL, as behind a load balancer
        Map<String, String> shared = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "unused",
                "LATCH_PORTAL_PUBLIC_URL", publicUrl);
        a = PortalProcess.start(with(shared, "QUARKUS_HTTP_PORT", String.valueOf(portA)));
        b = PortalProcess.start(shared);
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void registrationStartedOnOneInstanceFinishesOnTheOther() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator().origin(publicUrl);
        String username = "two-" + UUID.randomUUID().toString().substring(0, 8);
        String token = invitation(username);

        JsonNode started = on(a).contentType(ContentType.JSON).body("{\"nickname\":\"k\"}").post("/enrol/" + token + "/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        String session = on(b).contentType(ContentType.JSON).body(finish(started, key.register(started.path("publicKey"))))
                .post("/enrol/finish").then().statusCode(200).extract().cookie("latch-session");
        Browserless.as(session).baseUri(a.baseUrl()).get("/profile").then().statusCode(200).body(containsString(username));

        JsonNode signIn = on(b).contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .extract().as(JsonNode.class);
        String second = on(a).contentType(ContentType.JSON).body(finish(signIn, key.assertion(signIn.path("publicKey"))))
                .post("/signin/finish").then().statusCode(200).extract().cookie("latch-session");
        Browserless.as(second).baseUri(b.baseUrl()).get("/profile").then().statusCode(200).body(containsString(username));

        // the consumed ceremony is gone on both instances
        on(b).contentType(ContentType.JSON).body(finish(signIn, key.assertion(signIn.path("publicKey"))))
                .post("/signin/finish").then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"));
    }

    @Test
    void rateLimitsCountAcrossBothInstances() {
        String body = "{\"username\":\"limit-" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
        for (int i = 0; i < 10; i++) {
            on(i % 2 == 0 ? a : b).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(200);
        }
        on(a).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(429);
        on(b).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(429);
    }

    private static RequestSpecification on(PortalProcess instance) {
        return Browserless.anonymous().baseUri(instance.baseUrl());
    }

    private static String finish(JsonNode started, String answer) {
        return "{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + answer + "}";
    }

    /** An admin's invitation, written straight into the shared database (as the admin UI would). */
    private static String invitation(String username) throws Exception {
        String token = Secrets.newSecret();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO invitation (id, token_hash, username, display_name, "
                     + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Instant now = Instant.now();
            insert.setObject(1, UUID.randomUUID());
            insert.setBytes(2, Secrets.hash(token));
            insert.setString(3, username);
            insert.setString(4, "Two Instances");
            insert.setObject(5, java.sql.Timestamp.from(now));
            insert.setObject(6, java.sql.Timestamp.from(now.plusSeconds(3600)));
            insert.executeUpdate();
        }
        return token;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
