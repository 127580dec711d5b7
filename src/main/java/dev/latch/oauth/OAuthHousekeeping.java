package dev.latch.oauth;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;

/**
 * Forgets what can no longer matter: DPoP proof ids past their acceptance window, device requests
 * a day after they expired, and refresh-token rows of logins that ended a day ago. Idempotent
 * deletes, harmless when several replicas run them at once.
 */
@ApplicationScoped
public class OAuthHousekeeping {

    private final DpopProofs dpop;
    private final EntityManager em;
    private final Clock clock;

    public OAuthHousekeeping(DpopProofs dpop, EntityManager em, Clock clock) {
        this.dpop = dpop;
        this.em = em;
        this.clock = clock;
    }

    @Scheduled(every = "10m", delay = 2, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        dpop.purgeExpired();
        purgeEnded();
    }

    @Transactional
    void purgeEnded() {
        java.time.Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        em.createNativeQuery("DELETE FROM device_authorization WHERE expires_at < ?1").setParameter(1, dayAgo).executeUpdate();
        em.createNativeQuery("DELETE FROM refresh_token r USING token_family f WHERE r.family_id = f.id "
                + "AND (f.expires_at < ?1 OR f.revoked_at < ?1)").setParameter(1, dayAgo).executeUpdate();
    }
}
