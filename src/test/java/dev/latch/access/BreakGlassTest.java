package dev.latch.access;

import static dev.latch.access.Approvals.sql;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.UserSession;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Break-glass: only on levels marked for it, only after a fresh key touch, only for a sensible
 * duration; and every refusal stays in the audit log.
 */
@QuarkusTest
class BreakGlassTest {

    @Inject
    Invitations invitations;

    private AccessLevel admin;
    private AccessLevel view;
    private KeyHolder engineer;

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Cluster prod = InventoryFixtures.cluster("prod", "prod-bg-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        view = InventoryFixtures.level(prod, "view");
        sql("UPDATE access_level SET break_glass = true WHERE id = ?1", admin.id);
        engineer = KeyHolder.enrol(invitations, "eng");
        Group breakGlass = QuarkusTransaction.requiringNew().call(() -> Group.<Group>find("name", "break-glass").firstResultOptional()
                .orElse(null));
        InventoryFixtures.join(engineer.user(), breakGlass != null ? breakGlass : InventoryFixtures.group("break-glass"));
    }

    @Test
    void breakGlassWorksOnlyOnLevelsMarkedForIt() {
        breakGlass(view, "30m").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-break-glass-level"));
        assertEquals(0, grantsOf(view));
        assertEquals(1, Approvals.refusals("grant.break_glass", view.id));

        breakGlass(admin, "30m").then().statusCode(303).header("Location", containsString("/requests/"));
        assertEquals(1, grantsOf(admin));
    }

    @Test
    void breakGlassNeedsAFreshKeyTouch() {
        sql("UPDATE user_session SET stepped_up_at = ?1 WHERE user_id = ?2",
                java.sql.Timestamp.from(TestClock.now().minus(Duration.ofMinutes(30))), engineer.user().id);
        breakGlass(admin, "30m").then().statusCode(303).header("Location", containsString("/step-up?next="));
        assertEquals(0, grantsOf(admin));
        assertEquals(1, Approvals.refusals("grant.break_glass", admin.id));
        // the form itself asks for the touch first
        as(engineer.session()).get("/break-glass?level=" + admin.id).then().statusCode(303).header("Location", containsString("/step-up?next="));
        as(engineer.session()).get("/step-up?next=/break-glass?level=" + admin.id).then().statusCode(200)
                .body(containsString("Activate break-glass on"));

        engineer.ceremony("/step-up", "{}").then().statusCode(200);
        as(engineer.session()).get("/break-glass?level=" + admin.id).then().statusCode(200)
                .body(containsString("aria-label=\"Break-glass duration\""));
        breakGlass(admin, "30m").then().statusCode(303).header("Location", containsString("/requests/"));
        assertEquals(1, grantsOf(admin));
    }

    @Test
    void aNegativeZeroOrTooLongDurationIsRefused() {
        breakGlass(admin, "-30m").then().statusCode(400).body("type", equalTo("https://latch.dev/problems/duration-invalid"));
        breakGlass(admin, "0m").then().statusCode(400).body("type", equalTo("https://latch.dev/problems/duration-invalid"));
        breakGlass(admin, "8h").then().statusCode(400).body("type", equalTo("https://latch.dev/problems/duration-too-long"))
                .body("detail", containsString("at most 1 h"));
        assertEquals(0, grantsOf(admin));
        assertEquals(3, Approvals.refusals("grant.break_glass", admin.id));

        breakGlass(admin, null).then().statusCode(303);
        AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("level.id", admin.id).firstResult());
        assertEquals(Duration.ofHours(1), Duration.between(grant.startsAt, grant.endsAt), "no duration: the break-glass maximum");
    }

    @Test
    void aRefusalBecauseThePersonIsNotInTheGroupStaysInTheAuditLog() {
        KeyHolder outsider = KeyHolder.enrol(invitations, "out");
        as(outsider.session()).contentType(ContentType.URLENC).accept(ContentType.JSON).formParam("level", admin.id.toString())
                .formParam("reason", "fire").post("/break-glass").then().statusCode(403);
        assertEquals(0, grantsOf(admin));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "action = 'grant.break_glass' and targetId = ?1 and actorId = ?2 and outcome = 'denied'", admin.id.toString(),
                outsider.user().id.toString())));
    }

    private Response breakGlass(AccessLevel level, String duration) {
        var request = as(engineer.session()).contentType(ContentType.URLENC).accept(ContentType.JSON).formParam("level", level.id.toString())
                .formParam("reason", "payments down, nobody awake");
        if (duration != null) {
            request.formParam("duration", duration);
        }
        return request.post("/break-glass");
    }

    private static long grantsOf(AccessLevel level) {
        return QuarkusTransaction.requiringNew().call(() -> AccessGrant.count("level.id = ?1 and breakGlass = true", level.id));
    }
}
