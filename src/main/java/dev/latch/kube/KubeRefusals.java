package dev.latch.kube;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refused kubeconfig downloads, issuances, token mints and revocations go on the record in a
 * transaction of their own, so the rollback of the transaction that refuses cannot take them
 * back. Record before the refusing transaction writes an audit row of its own: the new
 * transaction waits for the chain's lock, which that one would hold until it ends.
 */
@ApplicationScoped
class KubeRefusals {

    private final AuditLog audit;

    KubeRefusals(AuditLog audit) {
        this.audit = audit;
    }

    /** Records who was refused what and why ({@code reason}; the problem's code if null), and returns the problem to throw. */
    ProblemException refused(User user, AuditEntry entry, String reason, ProblemException problem) {
        String why = reason != null ? reason : problem.code();
        AuditEntry who = user == null ? entry.byAnonymous() : entry.byUser(user.id.toString(), user.username);
        AuditEntry outcome = problem.status() < 500 ? who.denied(why) : who.failed(why);
        audit.recordRefusal(outcome);
        return problem;
    }
}
