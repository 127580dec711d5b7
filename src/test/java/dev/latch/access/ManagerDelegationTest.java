package dev.latch.access;

import static dev.latch.access.Approvals.decide;
import static dev.latch.access.Approvals.file;
import static dev.latch.access.Approvals.status;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.ManagerDelegation;
import dev.latch.identity.PeopleChanged;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A manager names a delegate for a period (issue 14, item 1): during it the delegate approves the
 * manager step of the manager's reports, with a key touch, and the request says so; after it (or
 * once ended early) they cannot. Naming and ending are audited and announced as {@link PeopleChanged}.
 */
@QuarkusTest
class ManagerDelegationTest {

    @Inject
    Invitations invitations;

    @Inject
    Fixtures fixtures;

    @Inject
    Recorder recorder;

    private AccessLevel admin;
    private AccessLevel edit;
    private Group engineers;
    private Group sre;
    private KeyHolder alice;
    private KeyHolder bob;
    private KeyHolder carol;

    /** Every PeopleChanged the portal fires, for the assertions. */
    @ApplicationScoped
    static class Recorder {
        private final List<PeopleChanged> seen = new CopyOnWriteArrayList<>();

        void record(@Observes PeopleChanged event) {
            seen.add(event);
        }

        /** Through a method: the injected reference is a client proxy, whose own fields are not the bean's. */
        List<PeopleChanged> seen() {
            return seen;
        }
    }

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        engineers = InventoryFixtures.group("dg-eng-" + s);
        sre = InventoryFixtures.group("dg-sre-" + s);
        Cluster prod = InventoryFixtures.cluster("prod", "dg-prod-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        edit = InventoryFixtures.level(prod, "edit");
        InventoryFixtures.entitle(engineers, admin, "requestable"); // no steps: the manager approves
        InventoryFixtures.entitle(engineers, edit, "requestable");
        alice = KeyHolder.enrol(invitations, "dg-alice");
        bob = KeyHolder.enrol(invitations, "dg-bob");
        carol = KeyHolder.enrol(invitations, "dg-carol");
        InventoryFixtures.join(alice.user(), engineers);
        manages(bob, alice);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aDelegateApprovesTheManagerStepDuringThePeriodAndNotAfterIt() {
        nameOnProfile(bob, carol, null, minutesFromNow(10)).then().statusCode(303);
        UUID delegation = onlyDelegation(bob);
        assertEquals(1L, Approvals.audited("manager.delegation_created", bob.user().id));
        as(bob.session()).get("/profile").then().statusCode(200).body(containsString("aria-label=\"End delegation to Test " + carol.user().username));
        as(carol.session()).get("/profile").then().statusCode(200)
                .body(containsString("You act as Test " + bob.user().username + " (" + bob.user().username + ")'s delegate"));

        UUID first = file(alice, admin, "1h");
        assertEquals(1L, emailsAbout(first, carol), "the delegate is told of the request");
        as(carol.session()).get("/requests/inbox").then().statusCode(200).body(containsString(alice.user().username));
        as(alice.session()).get("/requests/" + first).then().statusCode(200)
                .body(containsString("the requester&#39;s manager: " + bob.user().username + ", or " + carol.user().username + " as "
                        + bob.user().username + "&#39;s delegate until"));
        decide(carol, first, "approve").then().statusCode(200);
        assertEquals("approved", status(first));
        as(alice.session()).get("/requests/" + first).then().statusCode(200)
                .body(containsString("as " + bob.user().username + "'s delegate"));
        UUID decisionBy = QuarkusTransaction.requiringNew().call(() -> AccessDecision.<AccessDecision>find("requestId", first).firstResult().asDelegateOf);
        assertEquals(bob.user().id, decisionBy, "the decision names the manager it was cast for");

        TestClock.advance(Duration.ofMinutes(11)); // the period is over
        UUID second = file(alice, edit, "1h");
        assertEquals(0L, emailsAbout(second, carol));
        assertEquals(1L, emailsAbout(second, bob));
        decide(carol, second, "approve").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-an-approver"));
        as(alice.session()).get("/requests/" + second).then().statusCode(200).body(not(containsString("delegate until")));
        as(carol.session()).get("/requests/inbox").then().statusCode(200).body(not(containsString(alice.user().username)));
        assertEquals("pending", status(second));
        decide(bob, second, "approve").then().statusCode(200);
        assertEquals("approved", status(second));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> ManagerDelegation.<ManagerDelegation>findById(delegation).endedAt == null),
                "a delegation that runs out is not 'ended early'");
    }

    @Test
    void endingADelegationEarlyStopsTheDelegateAndIsAudited() {
        recorder.seen().clear();
        nameOnProfile(bob, carol, null, minutesFromNow(120)).then().statusCode(303);
        UUID delegation = onlyDelegation(bob);
        assertTrue(recorder.seen().stream().anyMatch(e -> "delegation".equals(e.cause()) && e.userIds().contains(alice.user().id)),
                "naming a delegate is announced for the manager's reports: " + recorder.seen());
        UUID request = file(alice, admin, "1h");
        assertEquals(200, Approvals.start(carol, request, "approve").statusCode());

        recorder.seen().clear();
        as(bob.session()).post("/profile/delegations/" + delegation + "/end").then().statusCode(303);
        assertEquals(1L, Approvals.audited("manager.delegation_ended", bob.user().id));
        assertTrue(recorder.seen().stream().anyMatch(e -> "delegation".equals(e.cause()) && e.userIds().contains(alice.user().id)));
        decide(carol, request, "approve").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-an-approver"));
        assertEquals("pending", status(request));
        // ending twice is refused, and only the manager's own delegations can be ended from their profile
        as(bob.session()).post("/profile/delegations/" + delegation + "/end").then().statusCode(409);
        as(carol.session()).post("/profile/delegations/" + delegation + "/end").then().statusCode(404);
    }

    @Test
    void aVoteCastAsADelegateStillCountsForTheManagerAfterThePeriod() {
        Approvals.policy(engineers.id, admin, new Object[] {"manager", null, 1}, new Object[] {"group", sre.id, 1});
        KeyHolder peer = KeyHolder.enrol(invitations, "dg-peer");
        InventoryFixtures.join(peer.user(), sre);
        nameOnProfile(bob, carol, null, minutesFromNow(10)).then().statusCode(303);
        UUID request = file(alice, admin, "1h");
        decide(carol, request, "approve").then().statusCode(200);
        assertEquals("pending", status(request));

        TestClock.advance(Duration.ofMinutes(11));
        decide(peer, request, "approve").then().statusCode(200);
        assertEquals("approved", status(request), "carol signed as bob's delegate while she was one");
    }

    @Test
    void aDelegateNeverApprovesTheirOwnRequest() {
        InventoryFixtures.join(carol.user(), engineers);
        manages(bob, carol);
        nameOnProfile(bob, carol, null, minutesFromNow(60)).then().statusCode(303);
        UUID own = file(carol, admin, "1h");
        decide(carol, own, "approve").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/own-request"));
        as(carol.session()).get("/requests/inbox").then().statusCode(200).body(not(containsString("/requests/" + own)));
        decide(bob, own, "approve").then().statusCode(200);
        assertEquals("approved", status(own));
    }

    @Test
    void delegationsOutsideTheRulesAreRefusedAndNothingIsStored() {
        String bad = "https://latch.dev/problems/";
        nameOnProfile(bob, carol, minutesFromNow(120), minutesFromNow(60)).then().statusCode(400)
                .body("type", equalTo(bad + "delegation-end-before-start"));
        nameOnProfile(bob, carol, null, minutesFromNow(91 * 24 * 60)).then().statusCode(400)
                .body("type", equalTo(bad + "delegation-too-long"));
        nameOnProfile(bob, carol, minutesFromNow(-120), minutesFromNow(60)).then().statusCode(400)
                .body("type", equalTo(bad + "delegation-in-past"));
        nameOnProfile(bob, bob, null, minutesFromNow(60)).then().statusCode(400).body("type", equalTo(bad + "delegate-self"));
        as(bob.session()).contentType(ContentType.URLENC).accept(ContentType.JSON).formParam("delegate", "nobody-here")
                .formParam("ends", minutesFromNow(60)).post("/profile/delegations").then().statusCode(400)
                .body("type", equalTo(bad + "unknown-user"));
        as(bob.session()).contentType(ContentType.URLENC).accept(ContentType.JSON).formParam("delegate", carol.user().username)
                .formParam("ends", "next tuesday").post("/profile/delegations").then().statusCode(400)
                .body("type", equalTo(bad + "time-invalid"));
        // a browser gets a readable page
        as(bob.session()).contentType(ContentType.URLENC).formParam("delegate", carol.user().username)
                .formParam("ends", minutesFromNow(91 * 24 * 60)).post("/profile/delegations").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("at most 90 days"));
        // naming a delegate hands out approvals: it needs a fresh touch
        bob.touchLongAgo();
        nameOnProfile(bob, carol, null, minutesFromNow(60)).then().statusCode(428)
                .body("detail", containsString("Touch your security key to name a delegate"));

        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ManagerDelegation.count("managerId", bob.user().id)));
        assertEquals(6L, Approvals.refusals("manager.delegation_created", bob.user().id), "the refusals are on the record");
    }

    @Test
    void anAdministratorNamesAndEndsADelegateOnTheManagersPage() {
        User administrator = fixtures.user("dg-admin", true);
        String session = fixtures.session(administrator);
        as(session).contentType(ContentType.URLENC).formParam("delegate", carol.user().username).formParam("ends", minutesFromNow(60))
                .post("/admin/users/" + bob.user().id + "/delegations").then().statusCode(303);
        UUID delegation = onlyDelegation(bob);
        AuditEvent named = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "action = 'manager.delegation_created' and targetId = ?1", bob.user().id.toString()).firstResult());
        assertEquals(administrator.id.toString(), named.actorId);
        as(session).get("/admin/users/" + bob.user().id).then().statusCode(200)
                .body(containsString("aria-label=\"End delegation to Test " + carol.user().username));

        UUID request = file(alice, admin, "1h");
        assertEquals(200, Approvals.start(carol, request, "approve").statusCode());
        as(session).post("/admin/users/" + bob.user().id + "/delegations/" + delegation + "/end").then().statusCode(303);
        decide(carol, request, "approve").then().statusCode(403);
    }

    /** A key-recovery link for a delegate would let one administrator approve as them: it waits for a second one. */
    @Test
    void aDelegateCountsAsAnApproverForKeyRecovery() {
        Approvals.policy(engineers.id, admin, new Object[] {"manager", null, 1}); // a policy that asks managers
        User administrator = fixtures.user("dg-admin", true);
        String session = fixtures.session(administrator);
        nameOnProfile(bob, carol, null, minutesFromNow(60)).then().statusCode(303);
        as(session).post("/admin/users/" + carol.user().id + "/key-link").then().statusCode(200)
                .body(containsString("A second administrator must approve"));
    }

    private static Response nameOnProfile(KeyHolder manager, KeyHolder delegate, String starts, String ends) {
        var form = as(manager.session()).contentType(ContentType.URLENC).accept(ContentType.JSON)
                .formParam("delegate", delegate.user().username).formParam("ends", ends);
        if (starts != null) {
            form.formParam("starts", starts);
        }
        return form.post("/profile/delegations");
    }

    /** A datetime-local value (UTC, whole minutes) this many minutes from the application's now. */
    private static String minutesFromNow(long minutes) {
        Instant at = TestClock.now().plus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.MINUTES);
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC).toString();
    }

    /** Email notifications queued for this person about this request. */
    private static long emailsAbout(UUID request, KeyHolder person) {
        return ((Number) QuarkusTransaction.requiringNew().call(() -> AccessRequest.getEntityManager().createNativeQuery(
                "SELECT count(*) FROM notification_outbox WHERE event_key LIKE ?1 AND channel = 'email' AND recipient = ?2")
                .setParameter(1, "%" + request + "%").setParameter(2, person.user().email).getSingleResult())).longValue();
    }

    private static void manages(KeyHolder manager, KeyHolder report) {
        QuarkusTransaction.requiringNew().run(() -> {
            User person = User.findById(report.user().id);
            person.managerId = manager.user().id;
            person.managerSource = "local";
        });
    }

    private static UUID onlyDelegation(KeyHolder manager) {
        List<ManagerDelegation> all = QuarkusTransaction.requiringNew().call(() -> ManagerDelegation.<ManagerDelegation>list("managerId",
                manager.user().id));
        assertEquals(1, all.size());
        return all.get(0).id;
    }
}
