package dev.latch.identity;

import dev.latch.support.RateLimiter;
import dev.latch.webauthn.CeremonyStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes what has expired: unfinished ceremonies and old rate-limit windows. Idempotent deletes,
 * so it is harmless when several replicas run it at the same time.
 */
@ApplicationScoped
public class Housekeeping {

    private final CeremonyStore ceremonies;
    private final RateLimiter rateLimiter;

    public Housekeeping(CeremonyStore ceremonies, RateLimiter rateLimiter) {
        this.ceremonies = ceremonies;
        this.rateLimiter = rateLimiter;
    }

    @Scheduled(every = "10m", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        ceremonies.purgeExpired();
        rateLimiter.purgeOldWindows();
    }
}
