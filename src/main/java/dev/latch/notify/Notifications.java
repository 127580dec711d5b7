package dev.latch.notify;

import dev.latch.web.PortalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Queues notifications in the outbox. Call {@link #enqueue(Notification)} inside the transaction
 * that makes the change it announces: the rows commit or roll back with it. Delivery happens
 * later, in {@link OutboxWorker}.
 */
@ApplicationScoped
public class Notifications {

    /** The recipient of the (single) webhook row of an event. */
    public static final String WEBHOOK = "webhook";

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final EntityManager em;
    private final Clock clock;
    private final NotifyConfig config;
    private final PortalConfig portal;

    public Notifications(EntityManager em, Clock clock, NotifyConfig config, PortalConfig portal) {
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.portal = portal;
    }

    /**
     * Queues one email per recipient (when email is enabled) and one webhook message (when a
     * webhook is configured), all due at once. Joins the caller's transaction, or starts one. A
     * message already queued for the same event key, channel and recipient is left alone, so
     * enqueueing an event twice sends it once.
     *
     * @return how many messages were newly queued
     */
    @Transactional
    public int enqueue(Notification notification) {
        Instant now = clock.instant();
        int queued = 0;
        if (config.email().enabled()) {
            String body = emailBody(notification);
            for (String recipient : notification.recipients()) {
                queued += insert(notification, "email", recipient, body, null, now);
            }
        }
        if (config.webhook().url().isPresent()) {
            queued += insert(notification, "webhook", WEBHOOK, notification.webhookText(), SlackMessage.of(notification), now);
        }
        LOG.debugf("Queued %d notification message(s) for %s", queued, notification.eventKey());
        return queued;
    }

    /** An absolute link to a page of the portal, for {@link Notification#link()}: {@code portalLink("/requests/" + id)}. */
    public URI portalLink(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        return URI.create(portal.publicOrigin() + path);
    }

    static String emailBody(Notification n) {
        String text = n.text().strip();
        return (text.isEmpty() ? "" : text + "\n\n") + "Open in Latch: " + n.link().toASCIIString() + "\n";
    }

    private int insert(Notification n, String channel, String recipient, String body, String payload, Instant now) {
        return em.createNativeQuery("""
                INSERT INTO notification_outbox (id, event_key, event_type, channel, recipient, subject, body, payload,
                                                 link, created_at, attempts, next_attempt_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS jsonb), ?9, ?10, 0, ?10)
                ON CONFLICT (event_key, channel, recipient) DO NOTHING""")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, n.eventKey())
                .setParameter(3, n.type().key())
                .setParameter(4, channel)
                .setParameter(5, recipient)
                .setParameter(6, n.subject())
                .setParameter(7, body)
                .setParameter(8, payload)
                .setParameter(9, n.link().toASCIIString())
                .setParameter(10, now)
                .executeUpdate();
    }
}
