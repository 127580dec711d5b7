package dev.latch.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Walks the whole chain in order and reports the first row that does not fit, then holds the
 * chain against a signed checkpoint of its head: the newest one stored, or one an operator kept
 * outside the database. A chain that is valid in itself but ends before the checkpoint's row, or
 * has another row there, has been cut or rewritten by someone who can bypass the table's rules.
 */
@ApplicationScoped
public class AuditVerifier {

    private static final int BATCH = 1000;

    private final EntityManager em;
    private final AuditCheckpoints checkpoints;

    public AuditVerifier(EntityManager em, AuditCheckpoints checkpoints) {
        this.em = em;
        this.checkpoints = checkpoints;
    }

    /**
     * The outcome of a verification: how many rows were checked, the first break (the first row
     * missing or not matching) and why, and the checkpoint the chain was held against, if any.
     */
    public record Result(long rowsChecked, Long brokenSeq, String problem, Long checkpointSeq, Instant checkpointAt) {
        public boolean intact() {
            return problem == null;
        }
    }

    /** Verifies against the newest checkpoint in the database. */
    @Transactional
    public Result verify() {
        return verify(Optional.empty());
    }

    /** Verifies against {@code externalCheckpoint} (a checkpoint's JWS from the log) when given, else the newest stored one. */
    @Transactional
    public Result verify(Optional<String> externalCheckpoint) {
        Optional<String> jws = externalCheckpoint.isPresent() ? externalCheckpoint : checkpoints.newest().map(c -> c.jws);
        Optional<AuditCheckpoints.Head> head = jws.flatMap(checkpoints::verified);
        if (jws.isPresent() && head.isEmpty()) {
            return new Result(0, null, "the checkpoint's signature does not verify with any of this portal's signing keys", null, null);
        }
        if (externalCheckpoint.isEmpty() && head.isPresent()) {
            AuditCheckpoint stored = checkpoints.newest().orElseThrow();
            if (stored.headSeq != head.get().seq() || !Arrays.equals(stored.headHash, head.get().hash())) {
                return new Result(0, null, "the newest checkpoint's row does not match what its signature says", null, null);
            }
        }
        Long cpSeq = head.map(AuditCheckpoints.Head::seq).orElse(null);
        Instant cpAt = head.map(AuditCheckpoints.Head::at).orElse(null);
        byte[] expectedPrev = AuditChain.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        while (true) {
            List<AuditEvent> batch = em.createQuery(
                            "FROM AuditEvent WHERE seq >= :from ORDER BY seq", AuditEvent.class)
                    .setParameter("from", expectedSeq)
                    .setMaxResults(BATCH)
                    .getResultList();
            if (batch.isEmpty()) {
                break;
            }
            for (AuditEvent event : batch) {
                if (event.seq != expectedSeq) {
                    return new Result(checked, expectedSeq, "row " + expectedSeq + " is missing", cpSeq, cpAt);
                }
                if (!Arrays.equals(event.prevHash, expectedPrev)) {
                    return new Result(checked, event.seq, "its previous-hash does not match row " + (event.seq - 1), cpSeq, cpAt);
                }
                if (!Arrays.equals(event.hash, AuditChain.hash(event.prevHash, event.toRow()))) {
                    return new Result(checked, event.seq, "its content does not match its hash (edited after writing)", cpSeq, cpAt);
                }
                if (cpSeq != null && event.seq == cpSeq && !Arrays.equals(event.hash, head.get().hash())) {
                    return new Result(checked, event.seq, "it is not the row the checkpoint of " + cpAt
                            + " signed: the chain was rewritten from here or earlier", cpSeq, cpAt);
                }
                expectedPrev = event.hash;
                expectedSeq++;
                checked++;
            }
            em.clear();
        }
        if (cpSeq != null && checked < cpSeq) {
            return new Result(checked, expectedSeq, "rows " + expectedSeq + " to " + cpSeq + " are missing: the checkpoint of "
                    + cpAt + " signed a chain of " + head.get().rows() + " rows", cpSeq, cpAt);
        }
        return new Result(checked, null, null, cpSeq, cpAt);
    }
}
