package dev.latch.webauthn.attestation;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Flags registered keys whose model the FIDO metadata reports compromised, so administrators see
 * them (Users page) and sign-in with them is refused. Runs at start and daily; flagging is
 * idempotent, so replicas running it together do no harm.
 */
@ApplicationScoped
public class CompromisedKeyScan {

    private static final Logger LOG = Logger.getLogger(CompromisedKeyScan.class);

    private final AttestationPolicy policy;
    private final AuditLog audit;

    public CompromisedKeyScan(AttestationPolicy policy, AuditLog audit) {
        this.policy = policy;
        this.audit = audit;
    }

    void onStart(@Observes StartupEvent start) {
        scan();
    }

    @Scheduled(cron = "0 17 3 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        scan();
    }

    /** Returns how many keys were newly flagged. */
    public int scan() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<WebAuthnCredential> unflagged = WebAuthnCredential.list("aaguid is not null and compromisedReason is null");
            int flagged = 0;
            for (WebAuthnCredential key : unflagged) {
                String reason = policy.compromiseReason(key.aaguid).orElse(null);
                if (reason != null) {
                    key.compromisedReason = reason;
                    flagged++;
                    audit.record(AuditEntry.of("key.compromised_model").bySystem("attestation").on("key", key.id)
                            .detail("user_id", key.userId).detail("aaguid", key.aaguid).denied(reason));
                }
            }
            if (flagged > 0) {
                LOG.warnf("Flagged %d registered security key(s) whose model the FIDO metadata reports compromised", flagged);
            }
            return flagged;
        });
    }
}
