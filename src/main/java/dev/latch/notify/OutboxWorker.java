package dev.latch.notify;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Delivers due outbox messages, on every replica at once without sending anything twice: each
 * message is claimed with {@code FOR UPDATE SKIP LOCKED} in its own transaction, sent while the
 * row lock is held, and marked delivered (or scheduled for a retry) before that transaction
 * commits. Another worker skips a locked row and, once the lock is gone, no longer sees it as due.
 * See the package documentation for what a crash in the middle means.
 */
@ApplicationScoped
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);

    private final EntityManager em;
    private final Clock clock;
    private final NotifyConfig config;
    private final EmailDelivery email;
    private final WebhookDelivery webhook;
    private final Backoff backoff;
    /** {@code latch_outbox_pending}: messages not yet delivered nor given up, as of this instance's last run. */
    private final java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();
    /** Failed attempts per channel since its last delivery: an outage warns once, not once per message and attempt. */
    private final java.util.Map<String, Integer> failureStreaks = new java.util.concurrent.ConcurrentHashMap<>();

    public OutboxWorker(EntityManager em, Clock clock, NotifyConfig config, EmailDelivery email, WebhookDelivery webhook,
            io.micrometer.core.instrument.MeterRegistry meters) {
        meters.gauge("latch.outbox.pending", backlog);
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.email = email;
        this.webhook = webhook;
        this.backoff = new Backoff(config.backoff(), config.backoffMax());
    }

    @Scheduled(every = "${latch.notify.every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        deliverDue();
    }

    /**
     * Tries every message that is due, up to the batch size, one transaction per message.
     *
     * @return how many messages it tried: delivered, put back for a retry, or given up
     */
    public int deliverDue() {
        backlog.set(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM notification_outbox WHERE delivered_at IS NULL AND failed_at IS NULL").getSingleResult()).longValue()));
        int tried = 0;
        while (tried < config.batchSize()) {
            boolean found;
            try {
                found = QuarkusTransaction.requiringNew().call(this::deliverNext);
            } catch (RuntimeException e) {
                // the row's transaction rolled back, so it is still due; try again next run
                LOG.warnf("Notification delivery stopped for this run: %s", DeliveryFailure.shorten(e.toString()));
                break;
            }
            if (!found) {
                break;
            }
            tried++;
        }
        return tried;
    }

    /** Claims the next due message, sends it and records the outcome; false when nothing is due. */
    private boolean deliverNext() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, event_key, channel, recipient, subject, body, CAST(payload AS text), attempts
                FROM notification_outbox
                WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                ORDER BY next_attempt_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED""")
                .setParameter(1, clock.instant())
                .getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] r = rows.get(0);
        OutboxMessage message = new OutboxMessage((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], (String) r[5], (String) r[6], ((Number) r[7]).intValue());
        int attempt = message.attempts() + 1;
        try {
            if ("email".equals(message.channel())) {
                email.send(message);
            } else {
                webhook.send(message);
            }
            markDelivered(message, attempt);
        } catch (DeliveryFailure failure) {
            markFailed(message, attempt, failure);
        } catch (RuntimeException e) {
            // counted like any failure, so one odd message cannot block the queue by rolling back
            // every run; the class only, as a message could quote the webhook URL
            markFailed(message, attempt, DeliveryFailure.retry("unexpected " + e.getClass().getName()));
        }
        return true;
    }

    private void markDelivered(OutboxMessage m, int attempt) {
        em.createNativeQuery("UPDATE notification_outbox SET attempts = ?2, delivered_at = ?3, last_error = NULL WHERE id = ?1")
                .setParameter(1, m.id())
                .setParameter(2, attempt)
                .setParameter(3, clock.instant())
                .executeUpdate();
        LOG.infof("Notification %s delivered by %s%s (attempt %d)", m.eventKey(), m.channel(), where(m), attempt);
        Integer streak = failureStreaks.remove(m.channel());
        if (streak != null) {
            LOG.infof("Notifications by %s%s work again after %d failed attempt(s)", m.channel(), where(m), streak);
        }
    }

    private void markFailed(OutboxMessage m, int attempt, DeliveryFailure failure) {
        Instant now = clock.instant();
        boolean giveUp = failure.permanent() || attempt >= config.maxAttempts();
        Instant next = giveUp ? now : now.plus(backoff.after(attempt));
        em.createNativeQuery("""
                UPDATE notification_outbox
                SET attempts = ?2, last_error = ?3, next_attempt_at = ?4, failed_at = ?5
                WHERE id = ?1""")
                .setParameter(1, m.id())
                .setParameter(2, attempt)
                .setParameter(3, failure.getMessage())
                .setParameter(4, next)
                .setParameter(5, giveUp ? now : null)
                .executeUpdate();
        int streak = failureStreaks.merge(m.channel(), 1, Integer::sum);
        if (giveUp) {
            // a lost message is always worth a line
            LOG.errorf("Notification %s by %s%s failed for good after %d attempt(s): %s",
                    m.eventKey(), m.channel(), where(m), attempt, failure.getMessage());
        } else if (streak == 1) {
            LOG.warnf("Notification %s by %s%s failed (attempt %d of %d), next try at %s: %s. Further failures by %s are"
                    + " logged at DEBUG until one is delivered", m.eventKey(), m.channel(), where(m), attempt,
                    config.maxAttempts(), next, failure.getMessage(), m.channel());
        } else {
            LOG.debugf("Notification %s by %s%s failed (attempt %d of %d), next try at %s: %s",
                    m.eventKey(), m.channel(), where(m), attempt, config.maxAttempts(), next, failure.getMessage());
        }
    }

    /** The webhook host, never its path; email recipients stay out of the logs. */
    private String where(OutboxMessage m) {
        return "webhook".equals(m.channel()) ? webhook.host().map(h -> " to " + h).orElse("") : "";
    }
}
