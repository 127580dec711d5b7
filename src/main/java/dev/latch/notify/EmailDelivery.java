package dev.latch.notify;

import dev.latch.web.PortalConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends an outbox row as a plain-text email through the blocking Quarkus {@link Mailer}
 * ({@code quarkus.mailer.*} holds the SMTP settings; {@code quarkus.mailer.timeout} bounds a send).
 */
@ApplicationScoped
class EmailDelivery {

    private final Mailer mailer;
    private final NotifyConfig config;
    private final PortalConfig portal;

    EmailDelivery(Mailer mailer, NotifyConfig config, PortalConfig portal) {
        this.mailer = mailer;
        this.config = config;
        this.portal = portal;
    }

    void send(OutboxMessage message) throws DeliveryFailure {
        if (!config.email().enabled()) {
            throw DeliveryFailure.permanent("email is disabled (latch.notify.email.enabled=false)");
        }
        Mail mail = Mail.withText(message.recipient(), message.subject(), message.body())
                .setFrom(config.email().from())
                // RFC 3834: no out-of-office replies to a robot
                .addHeader("Auto-Submitted", "auto-generated")
                // the same id on every attempt, so a resend after a crash looks like a duplicate
                // to mail clients that group or drop messages by Message-ID
                .addHeader("Message-ID", "<" + message.id() + "@" + portal.publicUrl().getHost() + ">");
        try {
            mailer.send(mail);
        } catch (RuntimeException e) {
            throw DeliveryFailure.retry(describe(e));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "SMTP: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
