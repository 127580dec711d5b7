package dev.latch.broker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** How the broker hands out access. */
@ConfigMapping(prefix = "latch.broker")
public interface BrokerConfig {

    /**
     * Environments whose kubeconfigs and console links need a fresh key touch (step-up) on the
     * page, on top of the sign-in.
     */
    @WithDefault("production,prod")
    List<String> stepUpEnvironments();

    /**
     * How long one key touch allows standing production access from a terminal login (kube
     * tokens, AWS credentials and console links); with a grant the touch must come after the
     * grant started instead.
     */
    @WithDefault("12h")
    java.time.Duration standingProductionTouch();

    /** AWS sign-in federation endpoint (another partition's, or a local stand-in in tests). */
    @WithDefault("https://signin.aws.amazon.com/federation")
    URI federationEndpoint();

    /** Where the console opens after federation sign-in. */
    @WithDefault("https://console.aws.amazon.com/")
    URI consoleDestination();

    /**
     * How long kubectl may use one minted token before asking the helper (and so the portal)
     * again: the most a revoked kubeconfig or an ended grant keeps working in a running kubectl
     * is this plus the helper's cache margin. At most 14 minutes, since STS stops accepting the
     * token 15 minutes after it was signed.
     */
    @WithDefault("5m")
    java.time.Duration kubeCredentialLifetime();

    default boolean needsStepUp(String environment) {
        return environment != null && stepUpEnvironments().stream().anyMatch(e -> e.trim().equalsIgnoreCase(environment.toLowerCase(Locale.ROOT)));
    }
}
