package dev.latch.support;

import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window rate limits kept in PostgreSQL, so every replica counts against the same limit.
 * Each hit is one upsert in its own transaction: a refused or failed request still counts.
 */
@ApplicationScoped
public class RateLimiter {

    private final EntityManager em;
    private final Clock clock;

    public RateLimiter(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** A limit: at most {@code limit} hits per {@code window}. */
    public record Limit(String bucket, int limit, Duration window) {
    }

    /**
     * Counts one hit for {@code subject} (an IP address, a username…) and refuses with 429 and
     * Retry-After once the limit is passed.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void hit(Limit limit, String subject) {
        Instant now = clock.instant();
        long windowMillis = limit.window().toMillis();
        Instant windowStart = Instant.ofEpochMilli(now.toEpochMilli() - now.toEpochMilli() % windowMillis);
        Number hits = (Number) em.createNativeQuery("""
                INSERT INTO rate_limit (bucket, subject, window_start, hits) VALUES (?1, ?2, ?3, 1)
                ON CONFLICT (bucket, subject, window_start) DO UPDATE SET hits = rate_limit.hits + 1
                RETURNING hits""")
                .setParameter(1, limit.bucket())
                .setParameter(2, subject == null ? "unknown" : subject)
                .setParameter(3, windowStart)
                .getSingleResult();
        if (hits.intValue() > limit.limit()) {
            long retryAfter = Duration.between(now, windowStart.plus(limit.window())).toSeconds() + 1;
            throw ProblemException.tooManyRequests(
                    "Too many attempts. Wait " + retryAfter + " seconds and try again.", retryAfter);
        }
    }

    /** Forgets windows that ended more than a day ago. */
    @Transactional
    public int purgeOldWindows() {
        return em.createNativeQuery("DELETE FROM rate_limit WHERE window_start < ?1")
                .setParameter(1, clock.instant().minus(Duration.ofDays(1)))
                .executeUpdate();
    }
}
