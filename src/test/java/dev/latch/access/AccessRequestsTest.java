package dev.latch.access;

import static dev.latch.access.Approvals.decide;
import static dev.latch.access.Approvals.request;
import static dev.latch.access.Approvals.status;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.kube.Issuance;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests, signed decisions and grants through the portal's HTTP surface, with real (software)
 * security keys: what may be requested, who may decide, that a decision is a key assertion over
 * exactly the request, that a grant works and ends, and that races give one outcome.
 */
@QuarkusTest
class AccessRequestsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Invitations invitations;

    @Inject
    AccessJobs jobs;

    @Inject
    AccessRequests requests;

    @Inject
    dev.latch.kube.Issuances issuances;

    @Inject
    io.quarkus.mailer.MockMailbox mailbox;

    @Inject
    dev.latch.notify.OutboxWorker outbox;

    private String s;
    private Group engineers;
    private Group sre;
    private Cluster prod;
    private AccessLevel admin;
    private KeyHolder engineer;
    private KeyHolder manager;
    private KeyHolder peer;

    @BeforeEach
    void estate() {
        s = UUID.randomUUID().toString().substring(0, 6);
        engineers = InventoryFixtures.group("eng-" + s);
        sre = InventoryFixtures.group("sre-" + s);
        prod = InventoryFixtures.cluster("prod", "prod-main-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(engineers, admin, "requestable"); // up to 4 h
        engineer = KeyHolder.enrol(invitations, "eng");
        manager = KeyHolder.enrol(invitations, "mgr");
        peer = KeyHolder.enrol(invitations, "peer");
        InventoryFixtures.join(engineer.user(), engineers);
        InventoryFixtures.join(peer.user(), sre);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void onlyWhatIsRequestableCanBeRequestedWithAReasonWithinTheMaximumAndOnce() {
        request(engineer, admin, "2h", "").then().statusCode(400).body("type", equalTo("https://latch.dev/problems/reason-required"));
        request(engineer, admin, "5h", "INC-1").then().statusCode(400).body("detail", containsString("at most 4 h"));
        request(peer, admin, "1h", "INC-1").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-requestable"));
        request(engineer, admin, "2h", "INC-1234 payments down").then().statusCode(303);
        request(engineer, admin, "1h", "again").then().statusCode(409).body("type", equalTo("https://latch.dev/problems/request-open"));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> AccessRequest.count("requester.id", engineer.user().id)));

        AccessLevel view = InventoryFixtures.level(prod, "view");
        InventoryFixtures.entitle(engineers, view, "standing");
        request(engineer, view, "1h", "why not").then().statusCode(409).body("type", equalTo("https://latch.dev/problems/already-standing"));
    }

    @Test
    void identicalRequestsAtTheSameMomentFileOneAndRefuseTheOtherNeverA500() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> codes = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    codes.add(pool.submit(() -> {
                        go.await();
                        return request(engineer, admin, "1h", "INC-7 twice").statusCode();
                    }));
                }
                go.countDown();
                List<Integer> seen = new ArrayList<>();
                for (Future<Integer> code : codes) {
                    seen.add(code.get());
                }
                assertEquals(1, seen.stream().filter(c -> c == 303).count(), seen.toString());
                assertEquals(3, seen.stream().filter(c -> c == 409).count(), seen.toString());
                QuarkusTransaction.requiringNew().run(() -> AccessRequest.update("status = 'cancelled', decidedAt = ?1 where requester.id = ?2 "
                        + "and status = 'pending'", java.time.Instant.now(), engineer.user().id));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theManagerApprovesWithAKeyTouchAndTheGrantWorksUntilItEnds() throws Exception {
        UUID id = file(engineer, "2h");
        as(manager.session()).get("/requests/inbox").then().statusCode(200).body(containsString("Pending request of"));
        as(peer.session()).get("/requests/" + id).then().statusCode(404); // not an approver here
        decide(engineer, id, "approve").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/own-request"));

        decide(manager, id, "approve", "ok, go").then().statusCode(200);
        AccessRequest approved = QuarkusTransaction.requiringNew().call(() -> AccessRequest.findById(id));
        assertEquals(AccessRequest.APPROVED, approved.status);
        AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", id).firstResult());
        assertEquals(Duration.ofHours(2), Duration.between(grant.startsAt, grant.endsAt));

        // the evidence: the stored assertion verifies, and its challenge is the hash of nonce and content
        AccessDecision decision = QuarkusTransaction.requiringNew().call(() -> AccessDecision.<AccessDecision>find("requestId", id).firstResult());
        assertTrue(decision.canonicalContent.contains("request: \"" + id + "\"") && decision.canonicalContent.contains("decision: \"approve\"")
                && decision.canonicalContent.contains("duration: \"PT2H\"")
                && decision.canonicalContent.contains("approver: \"" + manager.user().username + "\""), decision.canonicalContent);
        as(manager.session()).post("/requests/decisions/" + decision.id + "/verify").then().statusCode(200)
                .body(containsString("Verified: key"));
        // tampering with the stored content makes the verification fail
        QuarkusTransaction.requiringNew().run(() -> AccessDecision.<AccessDecision>findById(decision.id).canonicalContent =
                decision.canonicalContent.replace("PT2H", "PT8H"));
        as(manager.session()).post("/requests/decisions/" + decision.id + "/verify").then().statusCode(200)
                .body(containsString("does not match"));

        // the grant makes kubeconfigs and tokens work, and they stop when it ends
        as(engineer.session()).contentType(ContentType.URLENC).formParam("level", admin.id.toString()).post("/kube/issuances")
                .then().statusCode(200);
        Issuance issuance = QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>find("user.id", engineer.user().id).firstResult());
        assertEquals(grant.id, issuance.grantId);
        assertEquals(grant.endsAt, issuance.expiresAt);
        HelperLogin helper = fixtures.helperLogin(engineer.user());
        helper.mint(issuance.id).then().statusCode(403).body("type", equalTo("https://latch.dev/problems/touch-required"));
        engineer.confirmTerminalTouch(); // production from the terminal: a touch after the grant started
        helper.mint(issuance.id).then().statusCode(200);

        TestClock.advance(Duration.ofHours(2).plusSeconds(1));
        jobs.runOnce();
        AccessGrant ended = QuarkusTransaction.requiringNew().call(() -> AccessGrant.findById(grant.id));
        assertEquals("expired", ended.endReason);
        fixtures.helperLogin(engineer.user()).mint(issuance.id).then().statusCode(410);
        assertNotNull(audit("grant.expired", grant.id));
    }

    @Test
    void approversHearOfTheRequestAndTheRequesterOfTheDecisionEachOnce() {
        UUID id = file(engineer, "1h");
        outbox.deliverDue();
        outbox.deliverDue();
        var toManager = mailbox.getMailsSentTo(manager.user().email);
        assertEquals(1, toManager.stream().filter(m -> m.getSubject().startsWith("Access request: " + engineer.user().username)).count());
        assertTrue(toManager.get(0).getText().contains("/requests/" + id), "links to the request");
        assertTrue(mailbox.getMailsSentTo(peer.user().email) == null || mailbox.getMailsSentTo(peer.user().email).isEmpty(),
                "the peer is not an approver of this policy");

        decide(manager, id, "deny", "not now").then().statusCode(200);
        outbox.deliverDue();
        outbox.deliverDue();
        var toEngineer = mailbox.getMailsSentTo(engineer.user().email);
        assertEquals(1, toEngineer.stream().filter(m -> m.getSubject().contains("was denied")).count());
    }

    @Test
    void aPeerAndTheManagerMustBothApproveWhenThePolicySaysSo() throws Exception {
        policy(new Object[] {"manager", null, 1}, new Object[] {"group", sre.id, 1});
        UUID id = file(engineer, "1h");
        decide(peer, id, "approve").then().statusCode(200);
        assertEquals(AccessRequest.PENDING, status(id));
        as(engineer.session()).get("/requests/" + id).then().statusCode(200).body(containsString("a member of sre-" + s + ": 1 of 1"));
        decide(manager, id, "approve").then().statusCode(200);
        assertEquals(AccessRequest.APPROVED, status(id));
    }

    @Test
    void aSingleDenialEndsTheRequest() throws Exception {
        policy(new Object[] {"group", sre.id, 1}, new Object[] {"manager", null, 1});
        UUID id = file(engineer, "1h");
        decide(manager, id, "approve").then().statusCode(200);
        decide(peer, id, "deny", "not for this").then().statusCode(200);
        assertEquals(AccessRequest.DENIED, status(id));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> AccessGrant.count("requestId", id)));
        decide(manager, id, "approve").then().statusCode(409);
    }

    @Test
    void twoApproversAtTheSameMomentGiveExactlyOneGrant() throws Exception {
        policy(new Object[] {"group", sre.id, 1});
        KeyHolder peer2 = KeyHolder.enrol(invitations, "peer2");
        InventoryFixtures.join(peer2.user(), sre);
        UUID id = file(engineer, "1h");
        // both start (challenge made) before either finishes
        var first = started(peer, id, "approve");
        var second = started(peer2, id, "approve");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (var start : List.of(first, second)) {
                results.add(pool.submit(() -> {
                    go.await();
                    return start.finish().statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> r : results) {
                codes.add(r.get());
            }
            codes.sort(Integer::compare);
            assertEquals(List.of(200, 409), codes, "one decides, the other is told it is already decided");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> AccessGrant.count("requestId", id)));
    }

    @Test
    void theExpiryJobOnTwoInstancesEndsEachGrantOnce() throws Exception {
        UUID id = file(engineer, "1h");
        decide(manager, id, "approve").then().statusCode(200);
        TestClock.advance(Duration.ofHours(1).plusSeconds(5));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<UUID>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return QuarkusTransaction.requiringNew().call(() -> jobsGrants().expireDue());
                }));
            }
            go.countDown();
            UUID grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", id).firstResult().id);
            long endings = 0;
            for (Future<List<UUID>> run : runs) {
                endings += run.get().stream().filter(grant::equals).count();
            }
            assertEquals(1, endings, "ended by exactly one of the two runs");
            assertEquals(1, QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = 'grant.expired' and targetId = ?1",
                    grant.toString())));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHolderIsWarnedOnceFifteenMinutesBeforeTheEnd() throws Exception {
        UUID id = file(engineer, "1h");
        decide(manager, id, "approve").then().statusCode(200);
        TestClock.advance(Duration.ofMinutes(40));
        jobs.runOnce();
        outbox.deliverDue();
        assertEquals(0, endingMails(), "not yet: 20 minutes left");
        TestClock.advance(Duration.ofMinutes(6));
        jobs.runOnce();
        jobs.runOnce();
        outbox.deliverDue();
        outbox.deliverDue();
        assertEquals(1, endingMails(), "once, with 14 minutes left");
    }

    private long endingMails() {
        var mails = mailbox.getMailsSentTo(engineer.user().email);
        return mails == null ? 0 : mails.stream().filter(m -> m.getSubject().contains(" ends at ")).count();
    }

    @Test
    void undecidedRequestsExpireAfterADay() {
        UUID id = file(engineer, "1h");
        TestClock.advance(Duration.ofHours(24).plusSeconds(1));
        jobs.runOnce();
        assertEquals(AccessRequest.EXPIRED, status(id));
        // the manager signs in again the next day: nothing waits, and the request cannot be decided
        String nextDay = fixtures.session(manager.user());
        as(nextDay).get("/requests/inbox").then().statusCode(200).body(containsString("Nothing waits for your decision"));
        as(nextDay).contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("decision", "approve"))
                .post("/requests/" + id + "/decision/start").then().statusCode(409);
    }

    @Test
    void theHolderEndsEarlyAndAnApproverRevokes() throws Exception {
        UUID first = file(engineer, "1h");
        decide(manager, first, "approve").then().statusCode(200);
        UUID grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", first).firstResult().id);
        as(engineer.session()).get("/grants/mine").then().statusCode(200).body(containsString("End grant"));
        as(peer.session()).post("/grants/" + grant + "/revoke").then().statusCode(403);
        as(engineer.session()).post("/grants/" + grant + "/end").then().statusCode(303);
        assertEquals("ended early", QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>findById(grant).endReason));

        UUID second = file(engineer, "1h");
        decide(manager, second, "approve").then().statusCode(200);
        UUID grant2 = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", second).firstResult().id);
        as(manager.session()).contentType(ContentType.URLENC).formParam("reason", "incident over").post("/grants/" + grant2 + "/revoke")
                .then().statusCode(303);
        assertEquals("incident over", QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>findById(grant2).endReason));
    }

    @Test
    void aRevokedGrantSaysWhoRevokedItWhenAndWhyWhereverItShows() throws Exception {
        AccessLevel awsAdmin = InventoryFixtures.accountLevel(prod.account, "aws-admin");
        InventoryFixtures.entitle(engineers, awsAdmin, "requestable");
        UUID clusterRequest = Approvals.file(engineer, admin, "1h");
        UUID accountRequest = Approvals.file(engineer, awsAdmin, "1h");
        decide(manager, clusterRequest, "approve").then().statusCode(200);
        decide(manager, accountRequest, "approve").then().statusCode(200);
        AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", clusterRequest).firstResult());
        AccessGrant awsGrant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", accountRequest)
                .firstResult());
        Issuance kubeconfig = issuances.issue(engineer.user(), admin.id, "browser");
        as(engineer.session()).get("/requests/" + clusterRequest).then().statusCode(200).body(containsString("Active until"));

        String boss = manager.user().username;
        for (AccessGrant g : List.of(grant, awsGrant)) {
            as(manager.session()).contentType(ContentType.URLENC).formParam("reason", "incident over").post("/grants/" + g.id + "/revoke")
                    .then().statusCode(303);
        }

        // the request page: revoked, by whom, when and why; not "approved" with the planned end
        as(engineer.session()).get("/requests/" + clusterRequest).then().statusCode(200)
                .body(containsString("Revoked by " + manager.user().displayName + " (" + boss + ") at "))
                .body(containsString("UTC: incident over"))
                .body(not(containsString("Active until"))).body(not(containsString("Revoke grant")));
        // My access: the grant does not just vanish
        as(engineer.session()).get("/grants/mine").then().statusCode(200)
                .body(containsString("Revoked by " + manager.user().displayName + " (" + boss + ") at "))
                .body(containsString("incident over"));
        // the helper's list (`latch ls`)
        HelperLogin helper = fixtures.helperLogin(engineer.user());
        Response listed = helper.api("GET", "/api/v1/access").get("/api/v1/access");
        listed.then().statusCode(200);
        String ended = listed.path("targets.find { it.name == 'prod-main-" + s + "' }.levels.find { it.name == 'admin' }.ended");
        assertNotNull(ended, listed.asString());
        assertTrue(ended.startsWith("revoked by " + boss + " at ") && ended.endsWith(" UTC: incident over"), ended);
        assertEquals("requestable", listed.path("targets.find { it.name == 'prod-main-" + s + "' }.levels.find { it.name == 'admin' }.state"));
        // the helper's refusal lines: kubectl (token mint) and the AWS CLI (credential_process)
        fixtures.helperLogin(engineer.user()).mint(kubeconfig.id).then().statusCode(410)
                .body("detail", containsString("Your grant for prod-main-" + s + " (admin) was revoked by " + boss + " at "))
                .body("detail", containsString(" UTC: incident over."));
        fixtures.helperLogin(engineer.user()).api("GET", "/api/v1/aws/credentials").queryParam("account", prod.account.accountId)
                .queryParam("level", "aws-admin").get("/api/v1/aws/credentials").then().statusCode(403)
                .body("detail", containsString("Your grant for " + prod.account.name + " (aws-admin) was revoked by " + boss + " at "))
                .body("detail", containsString(" UTC: incident over."));
    }

    @Test
    void aGrantEndedByItsHolderSaysSoOnItsPage() {
        UUID id = file(engineer, "1h");
        decide(manager, id, "approve").then().statusCode(200);
        UUID grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", id).firstResult().id);
        as(engineer.session()).post("/grants/" + grant + "/end").then().statusCode(303);
        as(manager.session()).get("/requests/" + id).then().statusCode(200)
                .body(containsString("Ended early by " + engineer.user().displayName + " (" + engineer.user().username + ") at "))
                .body(not(containsString("Active until")));
    }

    @Test
    void extendingFilesARequestThatMovesTheEndWhenApproved() throws Exception {
        UUID id = file(engineer, "1h");
        decide(manager, id, "approve").then().statusCode(200);
        AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("requestId", id).firstResult());
        as(engineer.session()).get("/requests/new?grant=" + grant.id).then().statusCode(200).body(containsString("Extend access"));
        Response filed = as(engineer.session()).contentType(ContentType.URLENC).formParam("grant", grant.id.toString())
                .formParam("duration", "1h").formParam("reason", "still on it").post("/requests");
        filed.then().statusCode(303);
        UUID extension = UUID.fromString(filed.header("Location").substring(filed.header("Location").lastIndexOf('/') + 1));
        decide(manager, extension, "approve").then().statusCode(200);
        assertEquals(grant.endsAt.plus(Duration.ofHours(1)), QuarkusTransaction.requiringNew().call(() ->
                AccessGrant.<AccessGrant>findById(grant.id).endsAt));
    }

    @Test
    void breakGlassIsImmediateForItsGroupOnlyAtMostTheMaximumAndLoud() {
        Approvals.sql("UPDATE access_level SET break_glass = true WHERE id = ?1", admin.id);
        Group breakGlass = QuarkusTransaction.requiringNew().call(() -> Group.<Group>find("name", "break-glass").firstResultOptional()
                .orElse(null));
        Group group = breakGlass != null ? breakGlass : InventoryFixtures.group("break-glass");
        as(engineer.session()).contentType(ContentType.URLENC).formParam("level", admin.id.toString()).formParam("reason", "fire")
                .accept(ContentType.JSON).post("/break-glass").then().statusCode(403);
        InventoryFixtures.join(engineer.user(), group);
        as(engineer.session()).contentType(ContentType.URLENC).formParam("level", admin.id.toString())
                .formParam("reason", "payments down, nobody awake").post("/break-glass").then().statusCode(303);
        AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("user.id = ?1 and breakGlass = true",
                engineer.user().id).firstResult());
        assertEquals(Duration.ofHours(1), Duration.between(grant.startsAt, grant.endsAt), "no duration given: the break-glass maximum");
        assertNotNull(audit("grant.break_glass", grant.id));
        outbox.deliverDue();
        outbox.deliverDue();
        assertTrue(mailbox.getMailsSentTo(manager.user().email).stream().anyMatch(m -> m.getSubject().startsWith("BREAK-GLASS")),
                "the approvers are alerted at once");
    }

    @Test
    void theHelperFilesRequestsThroughTheApi() {
        HelperLogin helper = fixtures.helperLogin(engineer.user());
        helper.api("POST", "/api/v1/requests").contentType(ContentType.JSON)
                .body(Map.of("target", "prod-main-" + s, "level", "admin", "duration", "2h", "reason", "INC-42"))
                .post("/api/v1/requests").then().statusCode(201).body("status", equalTo("pending"))
                .body("link", containsString("/requests/")).body("approvers", org.hamcrest.Matchers.hasItem(manager.user().username));
        fixtures.helperLogin(engineer.user()).api("POST", "/api/v1/requests").contentType(ContentType.JSON)
                .body(Map.of("target", "nowhere", "level", "admin", "duration", "2h", "reason", "x"))
                .post("/api/v1/requests").then().statusCode(404).body("detail", containsString("latch ls"));
    }

    // --- helpers ---------------------------------------------------------------------------

    private Grants jobsGrants() {
        return io.quarkus.arc.Arc.container().instance(Grants.class).get();
    }

    private UUID file(KeyHolder who, String duration) {
        return Approvals.file(who, admin, duration);
    }

    private record Started(KeyHolder who, UUID id, Response start) {
        Response finish() {
            return Approvals.finish(who, who, id, start);
        }
    }

    private Started started(KeyHolder who, UUID id, String decision) {
        Response start = as(who.session()).contentType(ContentType.JSON).body(Map.of("decision", decision))
                .post("/requests/" + id + "/decision/start");
        start.then().statusCode(200);
        return new Started(who, id, start);
    }

    private void policy(Object[]... steps) {
        Approvals.policy(engineers.id, admin, steps);
    }

    private static AuditEvent audit(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and targetId = ?2", action,
                target.toString()).firstResult());
    }
}
