package dev.latch.notify;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One line per notification channel at start, so an operator sees where mail and webhook
 * messages go (or that they go nowhere) before the first delivery fails. The webhook's path is
 * a secret, so only its scheme, host and port are logged.
 */
@ApplicationScoped
class ChannelReport {

    private static final Logger LOG = Logger.getLogger(ChannelReport.class);

    private final NotifyConfig config;
    private final String smtpHost;
    private final Optional<Integer> smtpPort;
    private final boolean tls;
    private final boolean mock;

    ChannelReport(NotifyConfig config,
            @ConfigProperty(name = "quarkus.mailer.host", defaultValue = "localhost") String smtpHost,
            @ConfigProperty(name = "quarkus.mailer.port") Optional<Integer> smtpPort,
            @ConfigProperty(name = "quarkus.mailer.tls") Optional<Boolean> tls,
            @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock) {
        this.config = config;
        this.smtpHost = smtpHost;
        this.smtpPort = smtpPort;
        this.tls = tls.orElse(false);
        // the Quarkus Mailer's own default: a mock in dev mode and tests, real SMTP in production
        this.mock = mock.orElse(LaunchMode.current().isDevOrTest());
    }

    void report(@Observes StartupEvent start) {
        LOG.info(emailLine());
        LOG.info(webhookLine());
    }

    String emailLine() {
        if (!config.email().enabled()) {
            return "Notifications by email: disabled (LATCH_NOTIFY_EMAIL_ENABLED=false)";
        }
        if (mock) {
            return "Notifications by email: enabled, but the mailer is a mock that only logs (quarkus.mailer.mock), from "
                    + config.email().from();
        }
        // the Quarkus Mailer's default port: 465 with TLS from the start, 25 otherwise
        int port = smtpPort.orElse(tls ? 465 : 25);
        return "Notifications by email: enabled, through SMTP " + smtpHost + ":" + port + ", from " + config.email().from();
    }

    String webhookLine() {
        return config.webhook().url()
                .map(url -> "Notifications by webhook: enabled, to " + origin(url))
                .orElse("Notifications by webhook: disabled (set LATCH_NOTIFY_WEBHOOK_URL to enable)");
    }

    /** scheme://host[:port], never the path or query. */
    static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }
}
