package dev.latch.devstack;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.audit.AuditEvent;
import dev.latch.identity.Invitation;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dev-mode demo as a new developer meets it: a fresh database, the demo seed, and the first
 * administrator enrolled with the bootstrap link sees accounts, clusters, a standing and a
 * requestable level on My access at once, without adding themselves to a group first.
 */
@QuarkusTest
@TestProfile(DemoFirstAdministratorTest.FreshDemo.class)
class DemoFirstAdministratorTest {

    /** A database of its own (the seed only runs on an empty inventory) and the demo switched on as in dev mode. */
    public static class FreshDemo implements QuarkusTestProfile {
        private static final String URL_PROPERTY = "latch.test.demo-db-url";

        @Override
        public Map<String, String> getConfigOverrides() {
            String url = System.getProperty(URL_PROPERTY);
            if (url == null) {
                url = freshDatabase();
                System.setProperty(URL_PROPERTY, url);
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", EmbeddedDatabase.APP,
                    "quarkus.datasource.password", EmbeddedDatabase.PASSWORD,
                    "quarkus.flyway.username", EmbeddedDatabase.OWNER,
                    "quarkus.flyway.password", EmbeddedDatabase.PASSWORD,
                    "latch.demo.seed-inventory", "true",
                    "latch.demo.first-admin-joins-demo-groups", "true");
        }

        private static String freshDatabase() {
            String server = System.getProperty("latchdev.db-url");
            if (server == null) {
                server = EmbeddedDatabase.jdbcUrl();
                System.setProperty("latchdev.db-url", server);
            }
            String database = "latch_demo_" + UUID.randomUUID().toString().replace("-", "");
            return EmbeddedDatabase.createDatabase(server, database);
        }
    }

    @Inject
    Invitations invitations;

    @Test
    void theFirstAdministratorSeesStandingAndRequestableAccessAtOnce() {
        // the start logged a bootstrap link only the log knows; replace it with one this test can open
        QuarkusTransaction.requiringNew().run(() -> Invitation.update("revokedAt = ?1 where kind = ?2 and usedAt is null",
                java.time.Instant.now(), Invitation.BOOTSTRAP));
        String url = QuarkusTransaction.requiringNew().call(() -> invitations.bootstrap().url());
        String token = url.substring(url.lastIndexOf('/') + 1);

        JsonNode started = anonymous().contentType(ContentType.JSON).body("{\"username\":\"first-admin\"}")
                .post("/enrol/" + token + "/start").then().statusCode(200).extract().as(JsonNode.class);
        String session = anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + new SoftwareAuthenticator().register(started.path("publicKey")) + "}")
                .post("/enrol/finish").then().statusCode(200).extract().cookie("latch-session");
        assertNotNull(session);

        as(session).get("/").then().statusCode(200)
                .body(not(containsString("You have no access yet")))
                .body(containsString("aria-label=\"cluster dev-main\""))
                .body(containsString("aria-label=\"account dev\""))
                .body(containsString("dev-main edit standing"))
                .body(containsString("prod-main admin requestable"));

        User admin = QuarkusTransaction.requiringNew().call(() -> User.findByUsername("first-admin").orElseThrow());
        java.util.List<AuditEvent> joined = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "action", "group.member_added"));
        assertEquals(java.util.List.of("system demo " + admin.username),
                joined.stream().map(e -> e.actorType + " " + e.actorName + " " + e.details.get("member")).toList(),
                "the demo's membership is audited as the system's doing");
    }
}
