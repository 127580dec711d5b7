package dev.latch.aws;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds and shares the AWS SDK clients. The portal's own clients are created once; clients
 * for a target account are built on demand with the credentials the caller brings and must be
 * closed by the caller (they share this factory's HTTP client, so closing them is cheap).
 */
@ApplicationScoped
public class AwsClients {

    private final AwsConfig config;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider portalCredentials;
    private final Map<Region, StsClient> stsByRegion = new ConcurrentHashMap<>();
    private volatile OrganizationsClient organizations;

    public AwsClients(AwsConfig config) {
        this.config = config;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
        this.portalCredentials = portalCredentials(config);
    }

    /** The portal's own STS client in its home region. */
    public StsClient sts() {
        return sts(Region.of(config.region()));
    }

    /** The portal's own STS client for a region (AssumeRole into targets in that region). */
    public StsClient sts(Region region) {
        return stsByRegion.computeIfAbsent(region, r -> configure(StsClient.builder(), r,
                config.stsEndpoint(), portalCredentials).build());
    }

    /** AWS Organizations, a global service served from us-east-1, with the portal's identity. */
    public OrganizationsClient organizations() {
        OrganizationsClient client = organizations;
        if (client == null) {
            synchronized (this) {
                if (organizations == null) {
                    organizations = configure(OrganizationsClient.builder(), Region.US_EAST_1,
                            config.organizationsEndpoint(), portalCredentials).build();
                }
                client = organizations;
            }
        }
        return client;
    }

    /** An EKS client for a region with the given credentials (usually a role in the target account). */
    public EksClient eks(Region region, AwsCredentialsProvider credentials) {
        return configure(EksClient.builder(), region, config.eksEndpoint(), credentials).build();
    }

    /** An IAM client with the given credentials. */
    public IamClient iam(AwsCredentialsProvider credentials) {
        return configure(IamClient.builder(), Region.AWS_GLOBAL, config.iamEndpoint(), credentials).build();
    }

    /** Whether an emulator endpoint stands in for AWS (shown to admins; never true in production). */
    public boolean emulated() {
        return config.endpoint().isPresent();
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder, Region region, Optional<URI> serviceEndpoint,
            AwsCredentialsProvider credentials) {
        builder.region(region).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(config.apiCallTimeout())
                        .build());
        serviceEndpoint.or(config::endpoint).ifPresent(builder::endpointOverride);
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        return builder;
    }

    private static AwsCredentialsProvider portalCredentials(AwsConfig config) {
        if (config.accessKeyId().isPresent() && config.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKeyId().get(), config.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @PreDestroy
    void close() {
        stsByRegion.values().forEach(StsClient::close);
        if (organizations != null) {
            organizations.close();
        }
        http.close();
    }
}
