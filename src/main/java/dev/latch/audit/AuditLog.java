package dev.latch.audit;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * Appends entries to the hash chain. Joins the caller's transaction (so the event commits with
 * the change it describes) or starts one. See the package documentation for the locking rule.
 */
@ApplicationScoped
public class AuditLog {

    /** Advisory lock key that serialises appends across threads and replicas ("LATCHAUD"). */
    static final long CHAIN_LOCK = 0x4c41544348415544L;

    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry meters;
    private final TransactionSynchronizationRegistry transactions;

    public AuditLog(EntityManager em, Clock clock, MeterRegistry meters, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.clock = clock;
        this.meters = meters;
        this.transactions = transactions;
    }

    /**
     * Records a refused security action in a transaction of its own, so the refusing request's
     * rollback cannot take the evidence along. Call it before the caller's transaction writes an
     * audit row of its own: the chain lock is held until commit, and the new transaction would wait
     * on its own caller.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long recordRefusal(AuditEntry entry) {
        return record(entry);
    }

    /** Appends one entry and returns its sequence number. */
    @Transactional
    public long record(AuditEntry entry) {
        em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS locked")
                .setParameter(1, CHAIN_LOCK)
                .getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> head = em.createNativeQuery("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
                .getResultList();
        long seq = head.isEmpty() ? 1 : ((Number) head.get(0)[0]).longValue() + 1;
        byte[] prevHash = head.isEmpty() ? AuditChain.GENESIS : (byte[]) head.get(0)[1];

        AuditEvent event = new AuditEvent();
        event.seq = seq;
        event.occurredAt = AuditChain.truncate(clock.instant());
        event.actorType = entry.actorType().name().toLowerCase();
        event.actorId = entry.actorId();
        event.actorName = entry.actorName();
        event.action = entry.action();
        event.targetType = entry.targetType();
        event.targetId = entry.targetId();
        event.outcome = entry.outcome().name().toLowerCase();
        event.sourceIp = mdc("clientIp");
        event.requestId = mdc("requestId");
        event.details = entry.details();
        event.prevHash = prevHash;
        event.hash = AuditChain.hash(prevHash, event.toRow());
        em.persist(event);
        em.flush();
        countOnCommit(entry);
        return seq;
    }

    /**
     * Every security event is also a metric, {@code latch_audit_events_total{action, outcome}},
     * counted when its transaction commits (a rolled-back event never happened). Actions are a
     * fixed vocabulary, so the label set stays small.
     */
    private void countOnCommit(AuditEntry entry) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return; // marked for rollback: the event will not be stored, so it is not counted either
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    meters.counter("latch.audit.events", "action", entry.action(), "outcome", entry.outcome().name().toLowerCase())
                            .increment();
                }
            }
        });
    }

    private static String mdc(String key) {
        Object value = MDC.get(key);
        return value == null ? null : value.toString();
    }
}
