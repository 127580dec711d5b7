package dev.latch.identity;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.latch.audit.AuditEvent;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An administrator sets, changes and clears a person's manager on the person's page and through
 * the admin API (issue 14, item 1): audited, behind a fresh key touch, refused when the manager is
 * owned by another source, when it names the person or makes a circle; Profile shows the result.
 */
@QuarkusTest
class ManagersAdminTest {

    private static final String PROBLEMS = "https://latch.dev/problems/";

    @Inject
    Fixtures fixtures;

    @Inject
    Managers managers;

    private User admin;
    private String session;
    private User alice;
    private User bob;
    private User carol;

    @BeforeEach
    void people() {
        admin = fixtures.user("mg-admin", true);
        session = fixtures.session(admin); // a sign-in is a fresh touch
        alice = fixtures.user("mg-alice", false);
        bob = fixtures.user("mg-bob", false);
        carol = fixtures.user("mg-carol", false);
    }

    @Test
    void anAdministratorSetsChangesAndClearsAManagerOnThePersonsPage() {
        as(session).get("/admin/users/" + alice.id).then().statusCode(200)
                .body(containsString("No manager. Requests that need a manager"));

        setOnPage(alice, bob.username).then().statusCode(303);
        assertEquals(bob.id, reload(alice).managerId);
        assertEquals("local", reload(alice).managerSource);
        assertEquals(1L, audited("user.manager_set", alice.id, "success"));
        as(session).get("/admin/users/" + alice.id).then().statusCode(200)
                .body(containsString(bob.displayName + " (" + bob.username + ")"))
                .body(containsString("set by an administrator in Latch"))
                .body(containsString("aria-label=\"Clear manager\""));
        as(session).get("/admin/users/" + bob.id).then().statusCode(200)
                .body(containsString("<a href=\"/admin/users/" + alice.id + "\">" + alice.displayName + " (" + alice.username + ")</a>"));

        setOnPage(alice, carol.username).then().statusCode(303);
        assertEquals(carol.id, reload(alice).managerId);
        assertEquals(2L, audited("user.manager_set", alice.id, "success"));

        as(session).post("/admin/users/" + alice.id + "/manager/clear").then().statusCode(303);
        assertNull(reload(alice).managerId);
        assertEquals(1L, audited("user.manager_cleared", alice.id, "success"));
    }

    @Test
    void theManagerIsChosenBySearchingByNameWithOrWithoutScript() {
        String live = as(session).header("HX-Request", "true").queryParam("mq", bob.username)
                .get("/admin/users/" + alice.id + "/manager-candidates").then().statusCode(200)
                .body(containsString("Make " + bob.username + " the manager")).extract().asString();
        assertEquals(false, live.contains("<html"), "the live search answers the fragment only");
        // the person themselves is never offered
        as(session).queryParam("mq", alice.username).get("/admin/users/" + alice.id + "/manager-candidates").then().statusCode(200)
                .body(not(containsString("Make " + alice.username + " the manager")))
                .body(containsString("Nobody active matches"));
        // without script, the search form reloads the page with the candidates in it
        as(session).queryParam("mq", carol.displayName).get("/admin/users/" + alice.id).then().statusCode(200)
                .body(containsString("Make " + carol.username + " the manager"));
    }

    @Test
    void changingAManagerNeedsAFreshTouchLikeChangingGroupMembers() {
        String stale = fixtures.session(admin);
        QuarkusTransaction.requiringNew().run(() -> UserSession.update("steppedUpAt = null where userId = ?1", admin.id));
        as(stale).contentType(ContentType.URLENC).formParam("manager", bob.username).post("/admin/users/" + alice.id + "/manager")
                .then().statusCode(428).body(containsString("Touch your security key to change a person&#39;s manager"));
        as(stale).contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("manager", bob.username))
                .patch("/api/v1/admin/users/" + alice.id).then().statusCode(428)
                .body("type", equalTo(PROBLEMS + "step-up-required"));
        assertNull(reload(alice).managerId);
    }

    @Test
    void aManagerOwnedByAnotherSourceIsExplainedAndNotChanged() {
        QuarkusTransaction.requiringNew().run(() -> managers.set(User.findById(alice.id), User.findById(bob.id),
                PeopleActor.system(PeopleSource.FILE, "inventory-file")));

        as(session).get("/admin/users/" + alice.id).then().statusCode(200)
                .body(containsString("This manager is set by the inventory file"))
                .body(not(containsString("aria-label=\"Set the manager\"")))
                .body(not(containsString("aria-label=\"Clear manager\"")));
        setOnPage(alice, carol.username).then().statusCode(409)
                .contentType(containsString("text/html"))
                .body(containsString("set by the inventory file"));
        as(session).post("/admin/users/" + alice.id + "/manager/clear").then().statusCode(409);
        as(session).contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("manager", carol.username))
                .patch("/api/v1/admin/users/" + alice.id).then().statusCode(409)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo(PROBLEMS + "manager-owned-elsewhere"));
        assertEquals(bob.id, reload(alice).managerId);
        assertEquals(2L, audited("user.manager_set", alice.id, "denied"));
        assertEquals(1L, audited("user.manager_cleared", alice.id, "denied"));
    }

    @Test
    void aPersonIsNeverTheirOwnManagerAndManagersNeverGoInACircle() {
        setOnPage(alice, alice.username).then().statusCode(400).body(containsString("cannot be their own manager"));
        setOnPage(bob, alice.username).then().statusCode(303); // alice manages bob
        setOnPage(alice, bob.username).then().statusCode(409).body(containsString("Managers in a circle"));
        setOnPage(alice, "nobody-" + UUID.randomUUID().toString().substring(0, 6)).then().statusCode(400)
                .body(containsString("There is no user named"));
        assertNull(reload(alice).managerId);
        assertEquals(3L, audited("user.manager_set", alice.id, "denied"));
    }

    @Test
    void theAdminApiShowsAndChangesAPersonsManager() {
        dev.latch.identity.Group group = InventoryFixtures.group("mg-grp-" + UUID.randomUUID().toString().substring(0, 6));
        InventoryFixtures.join(alice, group);

        as(session).accept(ContentType.JSON).get("/api/v1/admin/users/" + alice.id).then().statusCode(200)
                .body("username", equalTo(alice.username)).body("status", equalTo("active")).body("manager", nullValue())
                .body("groups", hasItem(group.name));

        patch(alice, Map.of("manager", bob.username)).then().statusCode(200)
                .body("manager", equalTo(bob.username)).body("managerId", equalTo(bob.id.toString())).body("managerSource", equalTo("local"));
        assertEquals(1L, audited("user.manager_set", alice.id, "success"));
        as(session).accept(ContentType.JSON).get("/api/v1/admin/users/" + bob.id).then().statusCode(200)
                .body("reports", hasItem(alice.username));

        java.util.Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("manager", null);
        patch(alice, clear).then().statusCode(200).body("manager", nullValue()).body("managerSource", nullValue());
        assertEquals(1L, audited("user.manager_cleared", alice.id, "success"));

        patch(alice, Map.of("managerEmail", "Dana.Newcomer@Example.com")).then().statusCode(200)
                .body("manager", nullValue()).body("managerEmail", equalTo("dana.newcomer@example.com")).body("managerSource", equalTo("local"));
        assertEquals(1L, audited("user.manager_pending", alice.id, "success"));
    }

    @Test
    void theAdminApiAnswersBadChangesWithProblems() {
        patch(alice, Map.of("manager", "nobody-" + UUID.randomUUID().toString().substring(0, 6))).then().statusCode(400)
                .contentType(containsString("application/problem+json")).body("type", equalTo(PROBLEMS + "unknown-user"));
        patch(alice, Map.of("manager", alice.username)).then().statusCode(400).body("type", equalTo(PROBLEMS + "manager-self"));
        patch(bob, Map.of("manager", alice.username)).then().statusCode(200);
        patch(alice, Map.of("manager", bob.username)).then().statusCode(409).body("type", equalTo(PROBLEMS + "manager-cycle"));
        patch(alice, Map.of()).then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-input"));
        patch(alice, Map.of("manager", bob.username, "managerEmail", "x@example.com")).then().statusCode(400);
        patch(alice, Map.of("managerEmail", "not-an-email")).then().statusCode(400);
        as(session).contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("manager", bob.username))
                .patch("/api/v1/admin/users/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        User disabled = fixtures.user("mg-gone", false);
        QuarkusTransaction.requiringNew().run(() -> {
            User gone = User.findById(disabled.id);
            gone.status = User.DISABLED;
            gone.disabledAt = java.time.Instant.now();
        });
        patch(alice, Map.of("manager", disabled.username)).then().statusCode(409).body("type", equalTo(PROBLEMS + "manager-disabled"));
        assertNull(reload(alice).managerId);
        // not an administrator
        as(fixtures.session(carol)).accept(ContentType.JSON).get("/api/v1/admin/users/" + alice.id).then().statusCode(403);
    }

    @Test
    void aPendingManagerResolvesWhenAnAdministratorCreatesTheirAccount() {
        String newcomer = Fixtures.username("mg-new");
        patch(alice, Map.of("managerEmail", newcomer + "@example.com")).then().statusCode(200);
        as(session).get("/admin/users/" + alice.id).then().statusCode(200)
                .body(containsString(newcomer + "@example.com <span class=\"badge\">pending</span>"));

        as(session).contentType(ContentType.URLENC).formParam("username", newcomer).formParam("email", newcomer.toUpperCase() + "@Example.COM")
                .post("/admin/users/create").then().statusCode(200);
        User created = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(newcomer).orElseThrow());
        assertEquals(created.id, reload(alice).managerId);
        assertNull(reload(alice).managerEmail);
        assertEquals(1L, audited("user.manager_resolved", alice.id, "success"));
        as(session).accept(ContentType.JSON).get("/api/v1/admin/users/" + alice.id).then().statusCode(200)
                .body("manager", equalTo(newcomer)).body("managerEmail", nullValue()).body("managerSource", equalTo("local"));
    }

    @Test
    void profileShowsThePersonsManagerAndThePeopleTheyManage() {
        String aliceSession = fixtures.session(alice);
        as(aliceSession).get("/profile").then().statusCode(200).body(containsString("No manager in Latch: ask an administrator."));

        setOnPage(alice, bob.username).then().statusCode(303);
        as(aliceSession).get("/profile").then().statusCode(200)
                .body(containsString(bob.displayName + " (" + bob.username + ")"))
                .body(not(containsString("No manager in Latch")));
        as(fixtures.session(bob)).get("/profile").then().statusCode(200)
                .body(containsString("People you manage"))
                .body(containsString(alice.displayName + " (" + alice.username + ")"));
    }

    private io.restassured.response.Response setOnPage(User person, String manager) {
        return as(session).contentType(ContentType.URLENC).formParam("manager", manager).post("/admin/users/" + person.id + "/manager");
    }

    private io.restassured.response.Response patch(User person, Map<String, Object> body) {
        return as(session).contentType(ContentType.JSON).accept(ContentType.JSON).body(body).patch("/api/v1/admin/users/" + person.id);
    }

    static User reload(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id));
    }

    static long audited(String action, UUID target, String outcome) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and targetId = ?2 and lower(outcome) = ?3",
                action, target.toString(), outcome));
    }
}
