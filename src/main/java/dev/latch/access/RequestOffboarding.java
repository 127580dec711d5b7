package dev.latch.access;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.UserDisabled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Offboarding for requests, inside the disabling transaction: the person's open requests end
 * (cancelled, with the reason shown on the request) and the votes they cast on requests still
 * open become void, so those requests wait for other approvers. A void vote keeps its evidence.
 * Removing votes never approves or denies a request (a pending request has no denial, and fewer
 * approvals fill fewer slots), so re-evaluating the policy leaves them pending. Each is audited.
 */
@ApplicationScoped
class RequestOffboarding {

    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;

    RequestOffboarding(AuditLog audit, EntityManager em, Clock clock) {
        this.audit = audit;
        this.em = em;
        this.clock = clock;
    }

    void onUserDisabled(@Observes UserDisabled event) {
        em.flush(); // the user row is written (and locked) before the requests: the order decisions lock in too
        Instant now = clock.instant();
        String why = "account disabled" + (event.reason() == null || event.reason().isBlank() ? "" : " (" + event.reason() + ")");
        @SuppressWarnings("unchecked")
        List<UUID> ended = em.createNativeQuery("""
                UPDATE access_request SET status = 'cancelled', decided_at = ?1, end_reason = ?2
                WHERE requester_id = ?3 AND status = 'pending' RETURNING id""")
                .setParameter(1, now).setParameter(2, why).setParameter(3, event.userId()).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> voided = em.createNativeQuery("""
                UPDATE access_decision d SET voided_at = ?1, void_reason = ?2
                FROM access_request r
                WHERE d.request_id = r.id AND r.status = 'pending' AND d.approver_id = ?3 AND d.voided_at IS NULL
                RETURNING d.id, d.request_id""")
                .setParameter(1, now).setParameter(2, why).setParameter(3, event.userId()).getResultList();
        for (UUID id : ended) {
            audit.record(AuditEntry.of("request.ended").bySystem("offboarding").on("access_request", id)
                    .detail("requester", event.username()).detail("reason", why));
        }
        for (Object[] vote : voided) {
            audit.record(AuditEntry.of("request.vote_voided").bySystem("offboarding").on("access_request", vote[1])
                    .detail("approver", event.username()).detail("decision", vote[0]).detail("reason", why));
        }
    }
}
