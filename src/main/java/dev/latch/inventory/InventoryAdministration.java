package dev.latch.inventory;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creating, changing and deleting accounts, clusters and access levels from the admin UI and API,
 * with the inventory file's validation rules. File-owned objects are read-only here; every change
 * is audited.
 */
@ApplicationScoped
public class InventoryAdministration {

    private final AuditLog audit;
    private final Clock clock;

    public InventoryAdministration(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public record AccountInput(String accountId, String name, String environment, String region) {
    }

    public record ClusterInput(UUID accountId, String name, String region, String kind, String endpoint, String caBundle,
            String contextName, String endpointOverride) {
    }

    /** {@code breakGlass}: the level allows break-glass (absent: false). */
    public record LevelInput(UUID accountId, UUID clusterId, String name, String roleArn, String description, String eksAccessPolicyArn,
            String eksAccessScope, List<String> namespaces, List<String> kubernetesGroups, Boolean breakGlass) {
    }

    @Transactional
    public AwsAccount saveAccount(UUID id, AccountInput input, User by) {
        check(input.accountId(), InventoryFileParser.ACCOUNT_ID, "accountId", "12 digits");
        check(input.name(), InventoryFileParser.NAME, "name", "lower-case letters, digits and dashes");
        check(input.environment(), InventoryFileParser.NAME, "environment", "lower-case letters, digits and dashes");
        check(input.region(), InventoryFileParser.REGION, "region", "an AWS region such as eu-west-1");
        Instant now = clock.instant();
        AwsAccount account = id == null ? null : existing(AwsAccount.findById(id), "account");
        AwsAccount sameId = AwsAccount.<AwsAccount>find("accountId", input.accountId()).firstResult();
        if (sameId != null && (account == null || !sameId.id.equals(account.id))) {
            throw conflict("The account " + input.accountId() + " is already in the inventory.");
        }
        if (account == null) {
            account = new AwsAccount();
            account.id = UUID.randomUUID();
            account.source = "ui";
            account.createdAt = now;
        }
        AccessAdministration.requireEditable(account.source, "account " + account.accountId);
        account.accountId = input.accountId();
        account.name = input.name();
        account.environment = input.environment();
        account.defaultRegion = input.region();
        account.updatedAt = now;
        account.persist();
        audit.record(AuditEntry.of(id == null ? "account.created" : "account.updated").byUser(by.id.toString(), by.username)
                .on("account", account.id).detail("account_id", account.accountId).detail("name", account.name));
        return account;
    }

    @Transactional
    public void deleteAccount(UUID id, User by) {
        AwsAccount account = existing(AwsAccount.findById(id), "account");
        AccessAdministration.requireEditable(account.source, "account " + account.accountId);
        if (Cluster.count("account.id", id) > 0) {
            throw conflict("The account " + account.name + " still has clusters; delete them first.");
        }
        deleteLevels(AccessLevel.list("account.id", id));
        account.delete();
        audit.record(AuditEntry.of("account.deleted").byUser(by.id.toString(), by.username).on("account", id)
                .detail("account_id", account.accountId));
    }

    @Transactional
    public Cluster saveCluster(UUID id, ClusterInput input, User by) {
        AwsAccount account = existing(input.accountId() == null ? null : AwsAccount.findById(input.accountId()), "account");
        check(input.name(), InventoryFileParser.CONTEXT, "name", "lower-case letters, digits and dashes");
        check(input.region(), InventoryFileParser.REGION, "region", "an AWS region such as eu-west-1");
        String context = input.contextName() == null || input.contextName().isBlank() ? input.name() : input.contextName();
        check(context, InventoryFileParser.CONTEXT, "contextName", "lower-case letters, digits and dashes, e.g. staging-main");
        String kind = input.kind() == null || input.kind().isBlank() ? "eks" : input.kind();
        if (!kind.equals("eks") && !kind.equals("generic")) {
            throw ProblemException.badRequest("invalid-input", "kind must be eks or generic");
        }
        if (input.endpoint() == null || !input.endpoint().startsWith("https://")) {
            throw ProblemException.badRequest("invalid-input", "endpoint must be an https:// URL");
        }
        if (input.endpointOverride() != null && !input.endpointOverride().isBlank() && !input.endpointOverride().startsWith("https://")) {
            throw ProblemException.badRequest("invalid-input", "endpointOverride must be an https:// URL");
        }
        Instant now = clock.instant();
        Cluster cluster = id == null ? null : existing(Cluster.findById(id), "cluster");
        Cluster sameContext = Cluster.<Cluster>find("contextName", context).firstResult();
        if (sameContext != null && (cluster == null || !sameContext.id.equals(cluster.id))) {
            throw conflict("The context name " + context + " is taken.");
        }
        if (cluster == null) {
            cluster = new Cluster();
            cluster.id = UUID.randomUUID();
            cluster.source = "ui";
            cluster.createdAt = now;
        }
        AccessAdministration.requireEditable(cluster.source, "cluster " + cluster.contextName);
        cluster.account = account;
        cluster.name = input.name();
        cluster.region = input.region();
        cluster.kind = kind;
        cluster.endpoint = input.endpoint();
        cluster.caBundle = input.caBundle() == null ? "" : input.caBundle().trim();
        cluster.contextName = context;
        cluster.endpointOverride = input.endpointOverride() == null || input.endpointOverride().isBlank() ? null : input.endpointOverride();
        cluster.updatedAt = now;
        cluster.persist();
        audit.record(AuditEntry.of(id == null ? "cluster.created" : "cluster.updated").byUser(by.id.toString(), by.username)
                .on("cluster", cluster.id).detail("context", context));
        return cluster;
    }

    @Transactional
    public void deleteCluster(UUID id, User by) {
        Cluster cluster = existing(Cluster.findById(id), "cluster");
        AccessAdministration.requireEditable(cluster.source, "cluster " + cluster.contextName);
        deleteLevels(AccessLevel.list("cluster.id", id));
        cluster.delete();
        audit.record(AuditEntry.of("cluster.deleted").byUser(by.id.toString(), by.username).on("cluster", id)
                .detail("context", cluster.contextName));
    }

    @Transactional
    public AccessLevel saveLevel(UUID id, LevelInput input, User by) {
        if ((input.accountId() == null) == (input.clusterId() == null)) {
            throw ProblemException.badRequest("invalid-input", "A level belongs to exactly one account or one cluster.");
        }
        check(input.name(), InventoryFileParser.NAME, "name", "lower-case letters, digits and dashes");
        check(input.roleArn(), InventoryFileParser.ROLE_ARN, "roleArn", "an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        String scope = input.eksAccessScope() == null || input.eksAccessScope().isBlank() ? null : input.eksAccessScope();
        List<String> namespaces = input.namespaces() == null ? List.of() : input.namespaces();
        if (scope != null && !scope.equals("cluster") && !scope.equals("namespace")) {
            throw ProblemException.badRequest("invalid-input", "eksAccessScope must be cluster or namespace");
        }
        if ("namespace".equals(scope) && namespaces.isEmpty()) {
            throw ProblemException.badRequest("invalid-input", "a namespace scope needs at least one namespace");
        }
        AwsAccount account = input.accountId() == null ? null : existing(AwsAccount.findById(input.accountId()), "account");
        Cluster cluster = input.clusterId() == null ? null : existing(Cluster.findById(input.clusterId()), "cluster");
        AccessLevel level = id == null ? null : existing(AccessLevel.findById(id), "level");
        AccessLevel sameName = account != null
                ? AccessLevel.<AccessLevel>find("account.id = ?1 and name = ?2", account.id, input.name()).firstResult()
                : AccessLevel.<AccessLevel>find("cluster.id = ?1 and name = ?2", cluster.id, input.name()).firstResult();
        if (sameName != null && (level == null || !sameName.id.equals(level.id))) {
            throw conflict("That target already has a level named " + input.name() + ".");
        }
        Instant now = clock.instant();
        if (level == null) {
            level = new AccessLevel();
            level.id = UUID.randomUUID();
            level.source = "ui";
            level.createdAt = now;
        }
        AccessAdministration.requireEditable(level.source, "level " + level.name);
        level.account = account;
        level.cluster = cluster;
        level.name = input.name();
        level.roleArn = input.roleArn();
        level.description = input.description();
        level.eksAccessPolicyArn = input.eksAccessPolicyArn() == null || input.eksAccessPolicyArn().isBlank() ? null : input.eksAccessPolicyArn();
        level.eksAccessScope = scope;
        level.eksNamespaces = List.copyOf(namespaces);
        level.kubernetesGroups = input.kubernetesGroups() == null ? List.of() : List.copyOf(input.kubernetesGroups());
        level.breakGlass = Boolean.TRUE.equals(input.breakGlass());
        level.updatedAt = now;
        level.persist();
        audit.record(AuditEntry.of(id == null ? "level.created" : "level.updated").byUser(by.id.toString(), by.username)
                .on("level", level.id).detail("name", level.name).detail("role", level.roleArn).detail("break_glass", level.breakGlass));
        return level;
    }

    @Transactional
    public void deleteLevel(UUID id, User by) {
        AccessLevel level = existing(AccessLevel.findById(id), "level");
        AccessAdministration.requireEditable(level.source, "level " + level.name);
        deleteLevels(List.of(level));
        audit.record(AuditEntry.of("level.deleted").byUser(by.id.toString(), by.username).on("level", id).detail("name", level.name));
    }

    private static void deleteLevels(List<AccessLevel> levels) {
        for (AccessLevel level : levels) {
            Entitlement.<Entitlement>list("accessLevelId", level.id).forEach(e -> {
                ApprovalStep.delete("entitlementId", e.id);
                e.delete();
            });
            level.delete();
        }
    }

    private static <T> T existing(T entity, String kind) {
        if (entity == null) {
            throw ProblemException.notFound("There is no such " + kind + ".");
        }
        return entity;
    }

    private static void check(String value, Pattern format, String field, String expected) {
        if (value == null || !format.matcher(value).matches()) {
            throw ProblemException.badRequest("invalid-input", field + " must be " + expected);
        }
    }

    private static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail);
    }
}
