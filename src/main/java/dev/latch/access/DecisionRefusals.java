package dev.latch.access;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A refused approve or deny (not an approver, own request, already decided, disabled, a key answer
 * that does not verify…) goes to the audit log as {@code request.decision}, with who, the decision
 * and why, in a transaction of its own: the refusal rolls back the caller's, not the evidence.
 * Callers record before they have written any audit entry themselves, since the chain lock is held
 * until commit (see {@link dev.latch.audit}).
 */
@ApplicationScoped
public class DecisionRefusals {

    private final AuditLog audit;

    public DecisionRefusals(AuditLog audit) {
        this.audit = audit;
    }

    public void record(UUID requestId, User person, String decision, ProblemException refused) {
        AuditEntry entry = AuditEntry.of("request.decision").byUser(person.id.toString(), person.username).on("access_request", requestId)
                .detail("decision", decision).detail("code", refused.code());
        if (refused.code().startsWith("webauthn-")) {
            entry.failed(refused.detail());
        } else {
            entry.denied(refused.detail());
        }
        audit.recordRefusal(entry);
    }
}
