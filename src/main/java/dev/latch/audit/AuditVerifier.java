package dev.latch.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;

/** Walks the whole chain in order and reports the first row that does not fit. */
@ApplicationScoped
public class AuditVerifier {

    private static final int BATCH = 1000;

    private final EntityManager em;

    public AuditVerifier(EntityManager em) {
        this.em = em;
    }

    /** The outcome of a verification: how many rows were checked and the first break, if any. */
    public record Result(long rowsChecked, Long brokenSeq, String problem) {
        public boolean intact() {
            return brokenSeq == null;
        }
    }

    @Transactional
    public Result verify() {
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
                return new Result(checked, null, null);
            }
            for (AuditEvent event : batch) {
                if (event.seq != expectedSeq) {
                    return new Result(checked, expectedSeq, "row " + expectedSeq + " is missing");
                }
                if (!Arrays.equals(event.prevHash, expectedPrev)) {
                    return new Result(checked, event.seq, "its previous-hash does not match row " + (event.seq - 1));
                }
                if (!Arrays.equals(event.hash, AuditChain.hash(event.prevHash, event.toRow()))) {
                    return new Result(checked, event.seq, "its content does not match its hash (edited after writing)");
                }
                expectedPrev = event.hash;
                expectedSeq++;
                checked++;
            }
            em.clear();
        }
    }
}
