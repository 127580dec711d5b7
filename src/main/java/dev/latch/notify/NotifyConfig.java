package dev.latch.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How notifications go out: which channels, and how the outbox worker retries. */
@ConfigMapping(prefix = "latch.notify")
public interface NotifyConfig {

    /** Email through the Quarkus Mailer (SMTP settings are the standard {@code quarkus.mailer.*} keys). */
    Email email();

    /** A Slack-compatible incoming webhook that receives one message per event. */
    Webhook webhook();

    /**
     * Delivery attempts per message, the first included. After the last failed attempt the
     * message is marked failed and never tried again.
     */
    @WithDefault("8")
    @Min(1)
    int maxAttempts();

    /**
     * The wait after the first failed attempt; it doubles after each further failure
     * (30 s, 1 min, 2 min, 4 min…) up to {@link #backoffMax()}.
     */
    @WithDefault("30s")
    Duration backoff();

    /** The longest wait between two attempts. */
    @WithDefault("30m")
    Duration backoffMax();

    /**
     * How often each replica's worker looks for due messages, as a Quarkus scheduler interval
     * ({@code 10s}, {@code 1m}); {@code off} stops the schedule (tests call
     * {@link OutboxWorker#deliverDue()} themselves).
     */
    @WithDefault("10s")
    String every();

    /** The most messages one worker run delivers; the rest wait for the next run. */
    @WithDefault("20")
    @Min(1)
    int batchSize();

    interface Email {
        /** Whether notifications are sent by email at all. */
        @WithDefault("true")
        boolean enabled();

        /** The sender address of notification email. */
        @WithDefault("latch@localhost")
        String from();
    }

    interface Webhook {
        /**
         * The incoming-webhook URL, e.g. {@code https://hooks.slack.com/services/T…/B…/…}. Its path
         * is a secret: it is never stored in the outbox or logged (only the host is). Unset means
         * no webhook messages.
         */
        Optional<URI> url();

        /** Connect and response timeout for one webhook call; the outbox row stays locked meanwhile. */
        @WithDefault("5s")
        Duration timeout();
    }
}
