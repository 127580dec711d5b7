package dev.latch.identity;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.latch.audit.AuditEvent;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.ApprovalStep;
import dev.latch.inventory.Entitlement;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Administrators do not bypass the two-person rule (issue 13, item 12): sensitive admin actions
 * need a fresh key touch, and a key-recovery link for an approver needs a second administrator.
 */
@QuarkusTest
class AdminTwoPersonRuleTest {

    private static final Pattern LINK = Pattern.compile("/enrol/([A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Test
    void sensitiveAdminActionsNeedAFreshTouch() {
        User admin = fixtures.user("tp-admin", true);
        String session = staleSession(admin);
        User person = fixtures.user("tp-person", false);
        Group group = InventoryFixtures.group("tp-grp-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("staging", "tp-" + UUID.randomUUID().toString()
                .substring(0, 6)), "view");
        QuarkusTransaction.requiringNew().run(() -> {
            User disabled = User.findById(person.id);
            disabled.status = User.DISABLED;
            disabled.disabledAt = java.time.Instant.now();
        });

        String[][] actions = {
            {"/admin/users/" + person.id + "/key-link", "create a key-recovery link"},
            {"/admin/users/" + person.id + "/enable", "enable a user"},
            {"/admin/access/groups/" + group.id + "/members", "change the members of a group"},
            {"/admin/access/entitlements", "change an entitlement"},
        };
        for (String[] action : actions) {
            as(session).contentType(ContentType.URLENC).formParam("username", person.username)
                    .formParam("group", group.id.toString()).formParam("level", level.id.toString()).formParam("mode", "standing")
                    .formParam("maxHours", "4").post(action[0])
                    .then().statusCode(428).body(containsString("Touch your security key to " + action[1]));
        }
        as(session).contentType(ContentType.URLENC).formParam("username", Fixtures.username("tp-newadmin")).formParam("admin", "on")
                .post("/admin/users/invite").then().statusCode(428).body(containsString("Touch your security key to invite an administrator"));
        // nothing happened
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> GroupMembership.count("key.userId", person.id)));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Entitlement.count("groupId", group.id)));
        assertEquals(false, QuarkusTransaction.requiringNew().call(() -> User.<User>findById(person.id).isActive()));

        String fresh = fixtures.session(admin); // a sign-in is a touch
        as(fresh).post("/admin/users/" + person.id + "/enable").then().statusCode(303);
        as(fresh).contentType(ContentType.URLENC).formParam("username", person.username).post("/admin/access/groups/" + group.id + "/members")
                .then().statusCode(303);
        as(fresh).contentType(ContentType.URLENC).formParam("username", Fixtures.username("tp-plain"))
                .post("/admin/users/invite").then().statusCode(200);
    }

    @Test
    void aRecoveryLinkForAnApproverWaitsForASecondAdministrator() {
        User first = fixtures.user("tp-first", true);
        User second = fixtures.user("tp-second", true);
        User approver = approver();
        String firstSession = fixtures.session(first);

        String asked = as(firstSession).post("/admin/users/" + approver.id + "/key-link").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(LINK.matcher(asked).find(), "the asking administrator gets no link");
        assertNotNull(audit("key_recovery.requested", approver.id));
        UUID pending = QuarkusTransaction.requiringNew().call(() -> (UUID) em.createNativeQuery(
                "SELECT id FROM key_recovery_approval WHERE user_id = ?1 AND decided_at IS NULL").setParameter(1, approver.id).getSingleResult());

        // the same administrator cannot approve their own request, and the refusal stays in the audit log
        as(firstSession).post("/admin/users/recovery/" + pending + "/approve").then().statusCode(403)
                .body(containsString("second administrator"));
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "action = 'key_recovery.approved' and targetId = ?1 and upper(outcome) = 'DENIED'", approver.id.toString()).firstResult()));

        String secondSession = staleSession(second);
        as(secondSession).get("/admin/users").then().statusCode(200).body(containsString("Approve recovery link for " + approver.username));
        as(secondSession).post("/admin/users/recovery/" + pending + "/approve").then().statusCode(428);
        String approved = as(fixtures.session(second)).post("/admin/users/recovery/" + pending + "/approve").then().statusCode(200)
                .body(containsString("Key enrolment link for " + approver.username)).extract().asString();
        Matcher link = LINK.matcher(approved);
        org.junit.jupiter.api.Assertions.assertTrue(link.find(), approved);
        anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + link.group(1) + "/start").then().statusCode(200)
                .body("publicKey.user.name", equalTo(approver.username));
        AuditEvent audited = audit("key_recovery.approved", approver.id);
        assertEquals(second.id.toString(), audited.actorId);
        assertEquals(1L, outbox("key_recovery.issued:%", approver.email));
        as(fixtures.session(second)).get("/admin/users").then().statusCode(200)
                .body(not(containsString("Approve recovery link for " + approver.username)));
    }

    /** A member of a group that approves some entitlement's requests. */
    User approver() {
        return approver(fixtures);
    }

    static User approver(Fixtures fixtures) {
        String s = UUID.randomUUID().toString().substring(0, 6);
        User approver = fixtures.user("tp-approver", false);
        Group approvers = InventoryFixtures.group("tp-approvers-" + s);
        InventoryFixtures.join(approver, approvers);
        Group requesters = InventoryFixtures.group("tp-req-" + s);
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("prod", "tp-prod-" + s), "admin");
        InventoryFixtures.entitle(requesters, level, "requestable");
        QuarkusTransaction.requiringNew().run(() -> {
            Entitlement entitlement = Entitlement.<Entitlement>find("groupId = ?1 and accessLevelId = ?2", requesters.id, level.id).firstResult();
            ApprovalStep step = new ApprovalStep();
            step.id = UUID.randomUUID();
            step.entitlementId = entitlement.id;
            step.position = 1;
            step.approverKind = "group";
            step.approverGroupId = approvers.id;
            step.persist();
        });
        return approver;
    }

    /** A session whose sign-in touch is older than the step-up freshness. */
    String staleSession(User user) {
        String session = fixtures.session(user);
        QuarkusTransaction.requiringNew().run(() -> UserSession.update("steppedUpAt = null where userId = ?1", user.id));
        return session;
    }

    long outbox(String eventKeyLike, String recipient) {
        return outbox(em, eventKeyLike, recipient);
    }

    static long outbox(EntityManager em, String eventKeyLike, String recipient) {
        return ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT count(*) FROM notification_outbox WHERE event_key LIKE ?1 AND channel = 'email' AND recipient = ?2")
                .setParameter(1, eventKeyLike).setParameter(2, recipient).getSingleResult())).longValue();
    }

    static AuditEvent audit(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and targetId = ?2 order by seq desc",
                action, target.toString()).firstResult());
    }
}
