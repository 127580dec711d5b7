package dev.latch.aws;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How Latch reaches AWS. */
@ConfigMapping(prefix = "latch.aws")
public interface AwsConfig {

    /** Region of the portal's own STS, and default region of new accounts and of discovery. */
    @WithDefault("us-east-1")
    String region();

    /** One endpoint for every service, for an emulator such as moto_server. */
    Optional<URI> endpoint();

    /** STS endpoint, e.g. a VPC interface endpoint. Overrides {@link #endpoint()}. */
    Optional<URI> stsEndpoint();

    /** EKS endpoint. Overrides {@link #endpoint()}. */
    Optional<URI> eksEndpoint();

    /** AWS Organizations endpoint. Overrides {@link #endpoint()}. */
    Optional<URI> organizationsEndpoint();

    /** IAM endpoint. Overrides {@link #endpoint()}. */
    Optional<URI> iamEndpoint();

    /**
     * Static access key, for emulators only. Without it the SDK's default provider chain is used
     * (environment, profile, web identity, EKS Pod Identity, instance metadata).
     */
    Optional<String> accessKeyId();

    /** Secret for {@link #accessKeyId()}. */
    Optional<String> secretAccessKey();

    /** Upper bound on one API call including retries. */
    @WithDefault("10s")
    Duration apiCallTimeout();
}
