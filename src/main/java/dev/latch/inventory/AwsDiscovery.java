package dev.latch.inventory;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.aws.AwsClients;
import dev.latch.aws.AwsConfig;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Finds accounts (Organizations ListAccounts) and their EKS clusters (ListClusters and
 * DescribeCluster, with a role assumed in each account) and compares them with the inventory.
 * A scan changes nothing; applying adds new accounts and clusters as {@code discovery} objects
 * and refreshes endpoints and CAs of clusters discovery owns. It never deletes, and never touches
 * objects owned by the file or the UI.
 */
@ApplicationScoped
public class AwsDiscovery {

    private static final Logger LOG = Logger.getLogger(AwsDiscovery.class);
    private static final long LOCK = 0x4c41544344495343L; // "LATCDISC"

    private final AwsClients aws;
    private final AwsConfig awsConfig;
    private final DiscoveryConfig config;
    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;

    public AwsDiscovery(AwsClients aws, AwsConfig awsConfig, DiscoveryConfig config, AuditLog audit, EntityManager em, Clock clock) {
        this.aws = aws;
        this.awsConfig = awsConfig;
        this.config = config;
        this.audit = audit;
        this.em = em;
        this.clock = clock;
    }

    /** An account AWS reports, with its clusters. */
    public record FoundAccount(String id, String name, List<FoundCluster> clusters) {
    }

    public record FoundCluster(String name, String region, String endpoint, String caBundle) {
    }

    /** One difference between AWS and the inventory. */
    public record Difference(String action, String kind, String key, String detail) {
    }

    /** Asks AWS what exists. Accounts whose role cannot be assumed are reported with no clusters and a warning. */
    public List<FoundAccount> scan() {
        List<FoundAccount> accounts = new ArrayList<>();
        try {
            aws.organizations().listAccountsPaginator().stream().flatMap(p -> p.accounts().stream()).forEach(account -> {
                accounts.add(new FoundAccount(account.id(), account.name(), clusters(account.id())));
            });
        } catch (SdkException e) {
            throw new ProblemException(502, "aws-unavailable", "AWS did not answer",
                    "AWS Organizations could not be listed: " + e.getMessage());
        }
        return accounts;
    }

    private List<FoundCluster> clusters(String accountId) {
        List<FoundCluster> found = new ArrayList<>();
        try {
            Credentials credentials = aws.sts().assumeRole(r -> r.roleArn("arn:aws:iam::" + accountId + ":role/" + config.roleName())
                    .roleSessionName("latch-discovery").sourceIdentity("latch-discovery").durationSeconds(900)).credentials();
            StaticCredentialsProvider provider = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
            for (String region : config.regions().orElse(List.of(awsConfig.region()))) {
                try (EksClient eks = aws.eks(Region.of(region), provider)) {
                    for (String name : eks.listClustersPaginator(r -> { }).clusters()) {
                        var cluster = eks.describeCluster(r -> r.name(name)).cluster();
                        found.add(new FoundCluster(name, region, trimSlash(cluster.endpoint()),
                                cluster.certificateAuthority() == null ? "" : cluster.certificateAuthority().data()));
                    }
                }
            }
        } catch (SdkException e) {
            LOG.warnf("Discovery: cannot list the clusters of account %s (%s)", accountId, e.getMessage());
        }
        return found;
    }

    /** What applying would change. */
    public List<Difference> differences(List<FoundAccount> found) {
        return QuarkusTransaction.requiringNew().call(() -> new Walk(false).run(found));
    }

    /** Applies what AWS reports; returns what changed. */
    public List<Difference> apply(List<FoundAccount> found, String actor) {
        List<Difference> applied = QuarkusTransaction.requiringNew().call(() -> new Walk(true).run(found));
        if (!applied.isEmpty()) {
            audit.record(AuditEntry.of("inventory.discovery_applied").bySystem(actor).detail("changes", applied.size()));
        }
        return applied;
    }

    /**
     * Every 6 hours when enabled; one replica runs it. The advisory lock is transaction-scoped and
     * held by the one transaction the run happens in, so it is released with that transaction on
     * the same connection (a session lock taken and released in two transactions could land on two
     * pooled connections and stay held).
     */
    @Scheduled(every = "6h", delay = 10, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.scheduled()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().timeout(1800).run(() -> {
                boolean mine = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK).getSingleResult();
                if (mine) {
                    apply(scan(), "discovery");
                }
            });
        } catch (ProblemException e) {
            LOG.warnf("Scheduled discovery failed: %s", e.detail());
        }
    }

    private final class Walk {
        private final boolean write;
        private final Instant now = clock.instant();
        private final List<Difference> differences = new ArrayList<>();

        Walk(boolean write) {
            this.write = write;
        }

        List<Difference> run(List<FoundAccount> found) {
            for (FoundAccount foundAccount : found) {
                AwsAccount account = AwsAccount.<AwsAccount>find("accountId", foundAccount.id()).firstResult();
                if (account == null) {
                    differences.add(new Difference("add", "account", foundAccount.id(), foundAccount.name()));
                    account = new AwsAccount();
                    account.id = UUID.randomUUID();
                    account.accountId = foundAccount.id();
                    account.name = unique(slug(foundAccount.name()));
                    account.environment = slug(foundAccount.name());
                    account.defaultRegion = awsConfig.region();
                    account.source = "discovery";
                    account.createdAt = now;
                    account.updatedAt = now;
                    if (write) {
                        account.persist();
                    }
                }
                for (FoundCluster foundCluster : foundAccount.clusters()) {
                    cluster(account, foundCluster);
                }
            }
            return List.copyOf(differences);
        }

        private void cluster(AwsAccount account, FoundCluster found) {
            Cluster cluster = Cluster.<Cluster>find("account.id = ?1 and region = ?2 and name = ?3", account.id, found.region(), found.name())
                    .firstResult();
            if (cluster == null) {
                String context = slug(found.name());
                if (Cluster.count("contextName", context) > 0) {
                    context = slug(account.environment + "-" + found.name());
                }
                differences.add(new Difference("add", "cluster", found.name(), found.endpoint()));
                cluster = new Cluster();
                cluster.id = UUID.randomUUID();
                cluster.account = account;
                cluster.name = found.name();
                cluster.region = found.region();
                cluster.kind = "eks";
                cluster.endpoint = found.endpoint();
                cluster.caBundle = found.caBundle();
                cluster.contextName = context;
                cluster.source = "discovery";
                cluster.createdAt = now;
                cluster.updatedAt = now;
                if (write) {
                    cluster.persist();
                }
            } else if ("discovery".equals(cluster.source)
                    && (!cluster.endpoint.equals(found.endpoint()) || !cluster.caBundle.equals(found.caBundle()))) {
                differences.add(new Difference("update", "cluster", found.name(), "endpoint or CA changed"));
                if (write) {
                    cluster.endpoint = found.endpoint();
                    cluster.caBundle = found.caBundle();
                    cluster.updatedAt = now;
                }
            }
        }

        private String unique(String name) {
            String candidate = name;
            for (int i = 2; AwsAccount.count("lower(name)", candidate) > 0; i++) {
                candidate = name + "-" + i;
            }
            return candidate;
        }
    }

    static String slug(String raw) {
        String slug = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            slug = "account";
        }
        return slug.length() > 30 ? slug.substring(0, 30) : slug;
    }

    private static String trimSlash(String url) {
        return url == null ? null : url.replaceAll("/+$", "");
    }
}
