package dev.latch.access;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The clock-driven side of JIT access: grants end by themselves, holders are warned before, and
 * undecided requests expire. Every instance runs this; each step claims its rows with one UPDATE
 * … RETURNING, so on any number of replicas each grant ends (and each warning goes out) once.
 */
@ApplicationScoped
public class AccessJobs {

    private static final Logger LOG = Logger.getLogger(AccessJobs.class);

    private final Grants grants;
    private final AccessRequests requests;
    private final AccessConfig config;

    public AccessJobs(Grants grants, AccessRequests requests, AccessConfig config) {
        this.grants = grants;
        this.requests = requests;
        this.config = config;
    }

    @Scheduled(every = "${latch.access.job-every:20s}", delay = 10, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warnf("JIT access job failed (it runs again shortly): %s", e.toString());
        }
    }

    /** One pass; each part in its own transaction. */
    public void runOnce() {
        int ended = grants.expireDue().size();
        int warned = grants.warnEndingSoon(config.warnBeforeEnd());
        int expired = requests.expireUndecided().size();
        if (ended + warned + expired > 0) {
            LOG.infof("JIT access: %d grants ended, %d warned, %d undecided requests expired", ended, warned, expired);
        }
    }
}
