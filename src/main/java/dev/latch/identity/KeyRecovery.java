package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.notify.Notification;
import dev.latch.notify.NotificationType;
import dev.latch.notify.Notifications;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Key-recovery links. Whoever holds one registers a key as that person, so a link for someone who
 * approves requests would let one administrator approve as them: the two-person rule would be one
 * person. For an approver the link therefore waits for a second administrator, who alone sees it
 * ({@code latch.recovery.approver-recovery=second-admin}), or is issued at once while every
 * administrator and the person are told ({@code alert}). Audited either way; the person is always told.
 */
@ApplicationScoped
public class KeyRecovery {

    /** What asking for a link gave: the link, or an approval that waits for a second administrator. */
    public record Outcome(Optional<Invitations.Issued> issued, Optional<KeyRecoveryApproval> pending) {
    }

    private final Invitations invitations;
    private final Notifications notifications;
    private final RecoveryConfig config;
    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;

    public KeyRecovery(Invitations invitations, Notifications notifications, RecoveryConfig config, AuditLog audit,
            EntityManager em, Clock clock) {
        this.invitations = invitations;
        this.notifications = notifications;
        this.config = config;
        this.audit = audit;
        this.em = em;
        this.clock = clock;
    }

    /** An administrator asks for a recovery link for {@code userId}. */
    @Transactional
    public Outcome ask(User admin, UUID userId) {
        User person = User.findById(userId);
        if (person == null) {
            throw ProblemException.notFound("There is no user with that id.");
        }
        if (!isApprover(person.id)) {
            return new Outcome(Optional.of(invitations.inviteExisting(person, admin)), Optional.empty());
        }
        if ("alert".equals(config.approverRecovery())) {
            Invitations.Issued issued = invitations.inviteExisting(person, admin);
            audit.record(AuditEntry.of("key_recovery.issued").byUser(admin.id.toString(), admin.username).on("user", person.id)
                    .detail("username", person.username).detail("approver", true).detail("mode", "alert"));
            announceIssued(person, admin, issued.invitation().id);
            return new Outcome(Optional.of(issued), Optional.empty());
        }
        if (KeyRecoveryApproval.count("userId = ?1 and decidedAt is null", person.id) > 0) {
            throw new ProblemException(409, "recovery-pending", "Already waiting",
                    "A recovery link for " + person.username + " already waits for a second administrator.");
        }
        KeyRecoveryApproval approval = new KeyRecoveryApproval();
        approval.id = UUID.randomUUID();
        approval.userId = person.id;
        approval.requestedBy = admin.id;
        approval.requestedAt = clock.instant();
        approval.persist();
        audit.record(AuditEntry.of("key_recovery.requested").byUser(admin.id.toString(), admin.username).on("user", person.id)
                .detail("username", person.username).detail("approval", approval.id));
        List<String> others = adminEmails().stream().filter(email -> !email.equals(admin.email)).toList();
        notifications.enqueue(Notification.about(NotificationType.KEY_RECOVERY_REQUESTED, approval.id)
                .subject("Approve a key-recovery link for " + person.username + "?")
                .text(admin.username + " asked for a link with which " + person.username + " (who approves access requests) "
                        + "registers a new security key. A second administrator must approve it on the Users page; "
                        + "check with " + person.username + " first, in person or by a call you placed.")
                .link(notifications.portalLink("/admin/users"))
                .to(others)
                .build());
        return new Outcome(Optional.empty(), Optional.of(approval));
    }

    /** A second administrator approves: the link is issued to them. The asker cannot approve. */
    public Invitations.Issued approve(User admin, UUID approvalId) {
        KeyRecoveryApproval approval = QuarkusTransaction.requiringNew().call(() -> KeyRecoveryApproval.findById(approvalId));
        if (approval == null || approval.decidedAt != null) {
            throw ProblemException.notFound("There is no open recovery request with that id.");
        }
        if (approval.requestedBy.equals(admin.id) || approval.userId.equals(admin.id)) {
            String reason = approval.requestedBy.equals(admin.id) ? "the administrator who asked cannot approve"
                    : "nobody approves a recovery link for themselves";
            // in its own transaction: the refusal is evidence whatever happens to this request
            audit.recordRefusal(AuditEntry.of("key_recovery.approved")
                    .byUser(admin.id.toString(), admin.username).on("user", approval.userId).denied(reason)
                    .detail("approval", approval.id));
            throw ProblemException.forbidden("second-admin-required",
                    "A second administrator must approve this recovery link: " + reason + ".");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            KeyRecoveryApproval open = KeyRecoveryApproval.findById(approvalId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (open.decidedAt != null) {
                throw ProblemException.notFound("There is no open recovery request with that id.");
            }
            User person = User.findById(open.userId);
            Invitations.Issued issued = invitations.inviteExisting(person, admin);
            open.decidedAt = clock.instant();
            open.decidedBy = admin.id;
            open.outcome = "approved";
            User asker = User.findById(open.requestedBy);
            audit.record(AuditEntry.of("key_recovery.approved").byUser(admin.id.toString(), admin.username).on("user", person.id)
                    .detail("username", person.username).detail("approval", open.id)
                    .detail("requested_by", asker == null ? "" : asker.username));
            announceIssued(person, admin, issued.invitation().id);
            return issued;
        });
    }

    /** Any administrator (the asker too) refuses an open request. */
    @Transactional
    public void refuse(User admin, UUID approvalId) {
        KeyRecoveryApproval open = KeyRecoveryApproval.findById(approvalId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (open == null || open.decidedAt != null) {
            throw ProblemException.notFound("There is no open recovery request with that id.");
        }
        open.decidedAt = clock.instant();
        open.decidedBy = admin.id;
        open.outcome = "refused";
        audit.record(AuditEntry.of("key_recovery.refused").byUser(admin.id.toString(), admin.username).on("user", open.userId)
                .detail("approval", open.id));
    }

    /**
     * Whether the person approves requests: a member of an approval step's group, or a manager (or a
     * manager's delegate, now or later) where a policy asks managers.
     */
    @Transactional
    public boolean isApprover(UUID userId) {
        return (Boolean) em.createNativeQuery("""
                SELECT EXISTS (SELECT 1 FROM group_membership m JOIN approval_step s ON s.approver_group_id = m.group_id
                               WHERE m.user_id = ?1)
                    OR ((EXISTS (SELECT 1 FROM app_user u WHERE u.manager_id = ?1)
                         OR EXISTS (SELECT 1 FROM manager_delegation d JOIN app_user u ON u.manager_id = d.manager_id
                                    WHERE d.delegate_id = ?1 AND d.ends_at > ?2 AND (d.ended_at IS NULL OR d.ended_at > ?2)))
                        AND EXISTS (SELECT 1 FROM approval_step WHERE approver_kind = 'manager'))
                """).setParameter(1, userId).setParameter(2, clock.instant()).getSingleResult();
    }

    private void announceIssued(User person, User admin, UUID invitationId) {
        List<String> to = new java.util.ArrayList<>(adminEmails());
        if (person.email != null) {
            to.add(person.email);
        }
        notifications.enqueue(Notification.about(NotificationType.KEY_RECOVERY_ISSUED, invitationId)
                .subject("A key-recovery link was issued for " + person.username)
                .text(admin.username + " issued a one-time link with which " + person.username + " registers a new security key. "
                        + person.username + " approves access requests. If this was not expected, revoke the link on the Users "
                        + "page and the key it registered, at once.")
                .link(notifications.portalLink("/"))
                .to(to)
                .build());
    }

    private static List<String> adminEmails() {
        return User.<User>list("admin = true and disabledAt is null and email is not null").stream().map(u -> u.email).toList();
    }
}
