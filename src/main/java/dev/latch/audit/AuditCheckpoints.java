package dev.latch.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes signed checkpoints of the chain's head: the newest row's seq and hash, the row count
 * and the time, signed (ES256) with the key the JWKS publishes. Each goes to the
 * {@code audit_checkpoint} table, where the portal's database role may only insert and read, and
 * to the log as one line, which leaves the database for the log pipeline. A chain that no longer
 * reaches a checkpoint's head has lost rows from its end ({@link AuditVerifier}).
 */
@ApplicationScoped
public class AuditCheckpoints {

    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);
    /** Advisory lock key: one replica publishes at a time ("LATCHCKP"). */
    static final long LOCK = 0x4c41544348434b50L;

    /** What a checkpoint's signature vouches for. */
    public record Head(long seq, byte[] hash, long rows, Instant at) {
    }

    private final EntityManager em;
    private final CheckpointSigner signer;
    private final AuditConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditCheckpoints(EntityManager em, CheckpointSigner signer, AuditConfig config, ObjectMapper json, Clock clock) {
        this.em = em;
        this.signer = signer;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(every = "${latch.audit.checkpoint-every:5m}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Duration every = DurationConverter.parseDuration(config.checkpointEvery());
            QuarkusTransaction.requiringNew().run(() -> {
                lock();
                // every replica runs this; one checkpoint per period is enough
                Optional<AuditCheckpoint> newest = newest();
                if (newest.isEmpty() || newest.get().createdAt.isBefore(clock.instant().minus(every.dividedBy(2)))) {
                    write();
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Audit checkpoint failed (it runs again shortly): %s", e.toString());
        }
    }

    /** Signs and stores the current head now. */
    public AuditCheckpoint publish() {
        return QuarkusTransaction.requiringNew().call(() -> {
            lock();
            return write();
        });
    }

    /** The checkpoint with the highest head, newest first among equals. */
    Optional<AuditCheckpoint> newest() {
        return em.createQuery("FROM AuditCheckpoint ORDER BY headSeq DESC, createdAt DESC", AuditCheckpoint.class)
                .setMaxResults(1).getResultStream().findFirst();
    }

    /** The head a checkpoint's signature vouches for, or empty when the signature does not verify. */
    Optional<Head> verified(String jws) {
        return signer.verify(jws).map(payload -> {
            try {
                JsonNode node = json.readTree(payload);
                return new Head(node.path("seq").asLong(), HexFormat.of().parseHex(node.path("hash").asText()),
                        node.path("rows").asLong(), Instant.parse(node.path("at").asText()));
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        });
    }

    private void lock() {
        em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS locked").setParameter(1, LOCK)
                .getSingleResult();
    }

    private AuditCheckpoint write() {
        // committed rows only; appends are serialised by the chain lock, so no row below the head is still in flight
        @SuppressWarnings("unchecked")
        List<Object[]> head = em.createNativeQuery("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").getResultList();
        long seq = head.isEmpty() ? 0 : ((Number) head.get(0)[0]).longValue();
        byte[] hash = head.isEmpty() ? AuditChain.GENESIS : (byte[]) head.get(0)[1];
        long rows = ((Number) em.createNativeQuery("SELECT count(*) FROM audit_event WHERE seq <= ?1").setParameter(1, seq)
                .getSingleResult()).longValue();
        Instant at = AuditChain.truncate(clock.instant());
        String payload = json.createObjectNode().put("seq", seq).put("hash", HexFormat.of().formatHex(hash)).put("rows", rows)
                .put("at", at.toString()).toString();
        CheckpointSigner.Signed signed = signer.sign(payload);
        AuditCheckpoint checkpoint = new AuditCheckpoint();
        checkpoint.id = UUID.randomUUID();
        checkpoint.headSeq = seq;
        checkpoint.headHash = hash;
        checkpoint.rowCount = rows;
        checkpoint.createdAt = at;
        checkpoint.kid = signed.kid();
        checkpoint.jws = signed.jws();
        em.persist(checkpoint);
        // the copy outside the database: keep these lines where the database's owner cannot edit them
        LOG.infof("Audit checkpoint seq=%d rows=%d hash=%s jws=%s", seq, rows, HexFormat.of().formatHex(hash), signed.jws());
        return checkpoint;
    }
}
