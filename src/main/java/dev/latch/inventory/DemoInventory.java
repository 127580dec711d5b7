package dev.latch.inventory;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.aws.AwsClients;
import dev.latch.devstack.DemoEstate;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Seeds the demo estate ({@link DemoEstate}) into an empty inventory when {@code latch.demo.seed-inventory}
 * is on. Account ids, endpoints and CAs come from the AWS the portal is pointed at (moto_server in dev
 * mode), so the demo's clusters are the ones discovery would find; without AWS it falls back to
 * placeholder values and says so.
 */
@ApplicationScoped
public class DemoInventory {

    private static final Logger LOG = Logger.getLogger(DemoInventory.class);

    private final DemoConfig config;
    private final AwsClients aws;
    private final AuditLog audit;
    private final Clock clock;

    public DemoInventory(DemoConfig config, AwsClients aws, AuditLog audit, Clock clock) {
        this.config = config;
        this.aws = aws;
        this.audit = audit;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        if (config.seedInventory() && AwsAccount.count() == 0) {
            seed(lookUpInAws());
        }
    }

    /**
     * With {@code latch.demo.first-admin-joins-demo-groups} (dev mode), the first administrator joins
     * the demo's {@code dev-team}, so My access shows standing and requestable levels at once instead
     * of an empty page. Runs in the enrolment transaction; a group the seed did not make is skipped.
     */
    void onFirstAdministrator(@Observes dev.latch.identity.FirstAdministratorEnrolled enrolled) {
        if (!config.firstAdminJoinsDemoGroups()) {
            return;
        }
        for (String name : DemoEstate.FIRST_ADMINISTRATOR_GROUPS) {
            dev.latch.identity.Group group = dev.latch.identity.Group.find("name", name).firstResult();
            if (group == null) {
                LOG.infof("Demo: there is no group %s to add the first administrator to.", name);
                continue;
            }
            dev.latch.identity.GroupMembership membership = new dev.latch.identity.GroupMembership();
            membership.key = new dev.latch.identity.GroupMembership.Key(group.id, enrolled.userId());
            membership.source = "local";
            membership.createdAt = clock.instant();
            membership.persist();
            audit.record(AuditEntry.of("group.member_added").bySystem("demo").on("group", group.id)
                    .detail("member", enrolled.username()).detail("why", "latch.demo.first-admin-joins-demo-groups"));
            LOG.infof("Demo: added the first administrator, %s, to %s.", enrolled.username(), name);
        }
    }

    /** What AWS says about the demo accounts and clusters, or placeholders when it cannot be asked. */
    Map<String, Found> lookUpInAws() {
        Map<String, Found> found = new HashMap<>();
        try {
            Map<String, String> idsByName = new HashMap<>();
            aws.organizations().listAccountsPaginator().stream().flatMap(page -> page.accounts().stream())
                    .forEach(account -> idsByName.put(account.name(), account.id()));
            for (DemoEstate.Account account : DemoEstate.ACCOUNTS) {
                String id = idsByName.get(account.name());
                if (id == null) {
                    throw new IllegalStateException("account " + account.name() + " is not in the organisation");
                }
                found.put(account.name(), account.cluster() == null ? new Found(id, null, null) : describe(id, account.cluster()));
            }
            return found;
        } catch (SdkException | IllegalStateException e) {
            LOG.warnf("Demo inventory: AWS is not reachable (%s); seeding placeholder accounts and endpoints.", e.getMessage());
            int n = 1;
            for (DemoEstate.Account account : DemoEstate.ACCOUNTS) {
                String id = "10000000000" + n++;
                found.put(account.name(), new Found(id,
                        account.cluster() == null ? null : "https://" + account.cluster() + ".demo.invalid",
                        account.cluster() == null ? null : ""));
            }
            return found;
        }
    }

    private Found describe(String accountId, String clusterName) {
        String viewRole = roleArn(accountId, DemoEstate.LEVELS.get(0).roleName());
        Credentials credentials = aws.sts().assumeRole(r -> r.roleArn(viewRole)
                .roleSessionName("latch-demo-seed").sourceIdentity("latch-demo-seed")).credentials();
        try (EksClient eks = aws.eks(Region.of(DemoEstate.REGION), StaticCredentialsProvider.create(
                AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))) {
            var cluster = eks.describeCluster(r -> r.name(clusterName)).cluster();
            return new Found(accountId, cluster.endpoint(), cluster.certificateAuthority().data());
        }
    }

    @Transactional
    void seed(Map<String, Found> found) {
        Instant now = clock.instant();
        int levels = 0;
        for (DemoEstate.Account demo : DemoEstate.ACCOUNTS) {
            Found aws = found.get(demo.name());
            AwsAccount account = new AwsAccount();
            account.id = UUID.randomUUID();
            account.accountId = aws.accountId();
            account.name = demo.name();
            account.environment = demo.environment();
            account.defaultRegion = DemoEstate.REGION;
            account.source = Source.DEMO.dbValue();
            account.createdAt = now;
            account.updatedAt = now;
            account.persist();
            if (demo.cluster() == null) {
                continue;
            }
            Cluster cluster = new Cluster();
            cluster.id = UUID.randomUUID();
            cluster.account = account;
            cluster.name = demo.cluster();
            cluster.region = DemoEstate.REGION;
            cluster.kind = "eks";
            cluster.endpoint = aws.endpoint().replaceAll("/+$", "");
            cluster.caBundle = aws.caBundle();
            cluster.contextName = demo.cluster();
            cluster.source = Source.DEMO.dbValue();
            cluster.createdAt = now;
            cluster.updatedAt = now;
            cluster.persist();
            for (DemoEstate.Level demoLevel : DemoEstate.LEVELS) {
                persistLevel(account, null, demoLevel, now);
                persistLevel(null, cluster, demoLevel, now);
                levels += 2;
            }
        }
        int entitlements = seedGroupsAndEntitlements(now);
        audit.record(AuditEntry.of("inventory.demo_seeded").bySystem("demo").detail("entitlements", entitlements)
                .detail("accounts", DemoEstate.ACCOUNTS.size()).detail("levels", levels));
        LOG.infof("Seeded the demo inventory: %d accounts, %d access levels", DemoEstate.ACCOUNTS.size(), levels);
    }

    /** Demo groups and entitlements on both the account and the cluster levels of each environment. */
    private static int seedGroupsAndEntitlements(Instant now) {
        java.util.Map<String, UUID> groups = new java.util.HashMap<>();
        for (String name : DemoEstate.GROUPS) {
            dev.latch.identity.Group group = new dev.latch.identity.Group();
            group.id = UUID.randomUUID();
            group.name = name;
            group.source = "local";
            group.createdAt = now;
            group.persist();
            groups.put(name, group.id);
        }
        int count = 0;
        for (DemoEstate.Grant grant : DemoEstate.GRANTS) {
            List<AccessLevel> levels = AccessLevel.find("select l from AccessLevel l left join l.account a left join l.cluster c "
                    + "left join c.account ca where l.name = ?1 and (a.environment = ?2 or ca.environment = ?2)",
                    grant.level(), grant.environment()).list();
            for (AccessLevel level : levels) {
                Entitlement entitlement = new Entitlement();
                entitlement.id = UUID.randomUUID();
                entitlement.groupId = groups.get(grant.group());
                entitlement.accessLevelId = level.id;
                entitlement.mode = grant.mode();
                entitlement.maxDuration = grant.mode().equals("standing") ? java.time.Duration.ofDays(7) : java.time.Duration.ofHours(4);
                entitlement.source = Source.DEMO.dbValue();
                entitlement.createdAt = now;
                entitlement.updatedAt = now;
                entitlement.persist();
                if (grant.mode().equals("requestable")) {
                    ApprovalStep step = new ApprovalStep();
                    step.id = UUID.randomUUID();
                    step.entitlementId = entitlement.id;
                    step.position = 1;
                    step.approverKind = "group";
                    step.approverGroupId = groups.get("prod-approvers");
                    step.requiredApprovals = 1;
                    step.persist();
                }
                count++;
            }
        }
        return count;
    }

    private static void persistLevel(AwsAccount account, Cluster cluster, DemoEstate.Level demo, Instant now) {
        AwsAccount owner = account != null ? account : cluster.account;
        AccessLevel level = new AccessLevel();
        level.id = UUID.randomUUID();
        level.account = account;
        level.cluster = cluster;
        level.name = demo.name();
        level.description = demo.description();
        level.roleArn = roleArn(owner.accountId, demo.roleName());
        if (cluster != null) {
            level.eksAccessPolicyArn = demo.eksAccessPolicyArn();
            level.eksAccessScope = "cluster";
        }
        level.eksNamespaces = List.of();
        level.kubernetesGroups = List.of();
        level.source = Source.DEMO.dbValue();
        level.createdAt = now;
        level.updatedAt = now;
        level.persist();
    }

    private static String roleArn(String accountId, String roleName) {
        return "arn:aws:iam::" + accountId + ":role/" + roleName;
    }

    /** An account id with its cluster's endpoint and CA (null for accounts without a cluster). */
    record Found(String accountId, String endpoint, String caBundle) {
    }
}
