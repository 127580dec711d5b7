package dev.latch.inventory;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.Group;
import dev.latch.inventory.InventoryDocument.AccountSpec;
import dev.latch.inventory.InventoryDocument.ClusterSpec;
import dev.latch.inventory.InventoryDocument.EntitlementSpec;
import dev.latch.inventory.InventoryDocument.GroupSpec;
import dev.latch.inventory.InventoryDocument.LevelSpec;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Makes the database match the inventory file, or says what that would change (dry run). The rule:
 * the file owns the objects it declares ({@code source = 'file'}) and nothing else. An object in
 * the file that already exists under another owner (made in the UI, discovered) is a conflict and
 * nothing is applied; file-owned objects no longer in the file are deleted. One code path does
 * both the plan and the apply, so a dry run shows exactly what applying does.
 */
@ApplicationScoped
public class InventorySync {

    private final AuditLog audit;
    private final Clock clock;

    public InventorySync(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** One change: add, update or delete of an object named by kind and key. */
    public record Change(String action, String kind, String key) {
    }

    /** What the file means for the database; applying is refused while there are conflicts. */
    public record Plan(List<Change> changes, List<String> conflicts) {
        public boolean conflicted() {
            return !conflicts.isEmpty();
        }
    }

    @Transactional
    public Plan plan(InventoryDocument document) {
        return new Run(document, false).execute();
    }

    @Transactional
    public Plan apply(InventoryDocument document, String actor) {
        Plan plan = new Run(document, false).execute();
        if (plan.conflicted()) {
            throw new ProblemException(409, "inventory-conflict", "Inventory conflict",
                    "Nothing was applied: " + String.join("; ", plan.conflicts()));
        }
        Plan applied = new Run(document, true).execute();
        audit.record(AuditEntry.of("inventory.file_applied").bySystem(actor).detail("changes", applied.changes().size()));
        return applied;
    }

    /** One pass over the document; writes only when {@code write}. */
    private final class Run {
        private final InventoryDocument document;
        private final boolean write;
        private final Instant now = clock.instant();
        private final List<Change> changes = new ArrayList<>();
        private final List<String> conflicts = new ArrayList<>();
        private final Map<String, UUID> levelIds = new HashMap<>();
        private final Map<String, UUID> groupIds = new HashMap<>();

        Run(InventoryDocument document, boolean write) {
            this.document = document;
            this.write = write;
        }

        Plan execute() {
            Set<UUID> keptAccounts = new HashSet<>();
            Set<UUID> keptClusters = new HashSet<>();
            Set<UUID> keptLevels = new HashSet<>();
            for (AccountSpec spec : document.accounts()) {
                AwsAccount account = account(spec);
                keptAccounts.add(account.id);
                for (LevelSpec level : spec.levels()) {
                    keptLevels.add(level(account, null, level, spec.name()));
                }
                for (ClusterSpec clusterSpec : spec.clusters()) {
                    Cluster cluster = cluster(account, clusterSpec);
                    keptClusters.add(cluster.id);
                    for (LevelSpec level : clusterSpec.levels()) {
                        keptLevels.add(level(null, cluster, level, clusterSpec.context()));
                    }
                }
            }
            Set<UUID> keptGroups = new HashSet<>();
            for (GroupSpec spec : document.groups()) {
                keptGroups.add(group(spec));
            }
            Set<UUID> keptEntitlements = new HashSet<>();
            for (EntitlementSpec spec : document.entitlements()) {
                UUID id = entitlement(spec);
                if (id != null) {
                    keptEntitlements.add(id);
                }
            }
            deleteMissing(Entitlement.<Entitlement>list("source", "file"), e -> e.id, keptEntitlements, "entitlement",
                    e -> "entitlement " + e.id, e -> {
                        ApprovalStep.delete("entitlementId", e.id);
                        e.delete();
                    });
            deleteMissing(AccessLevel.<AccessLevel>list("source", "file"), l -> l.id, keptLevels, "level", l -> l.name, AccessLevel::delete);
            deleteMissing(Cluster.<Cluster>list("source", "file"), c -> c.id, keptClusters, "cluster", c -> c.contextName, Cluster::delete);
            deleteMissing(AwsAccount.<AwsAccount>list("source", "file"), a -> a.id, keptAccounts, "account", a -> a.accountId, AwsAccount::delete);
            deleteMissing(Group.<Group>list("source", "file"), g -> g.id, keptGroups, "group", g -> g.name, Group::delete);
            return new Plan(List.copyOf(changes), List.copyOf(conflicts));
        }

        private AwsAccount account(AccountSpec spec) {
            AwsAccount account = AwsAccount.<AwsAccount>find("accountId", spec.id()).firstResult();
            if (account != null && !"file".equals(account.source)) {
                conflicts.add("account " + spec.id() + " already exists (" + account.source + "); remove it there or from the file");
                return account;
            }
            if (account == null) {
                account = new AwsAccount();
                account.id = UUID.randomUUID();
                account.accountId = spec.id();
                account.source = "file";
                account.createdAt = now;
                change("add", "account", spec.id());
            } else if (!Objects.equals(account.name, spec.name()) || !Objects.equals(account.environment, spec.environment())
                    || !Objects.equals(account.defaultRegion, spec.region())) {
                change("update", "account", spec.id());
                if (!write) {
                    return account; // a dry run must not touch managed entities (they would be flushed)
                }
            } else {
                return account;
            }
            account.name = spec.name();
            account.environment = spec.environment();
            account.defaultRegion = spec.region();
            account.updatedAt = now;
            if (write) {
                account.persist();
            }
            return account;
        }

        private Cluster cluster(AwsAccount account, ClusterSpec spec) {
            Cluster cluster = Cluster.<Cluster>find("contextName", spec.context()).firstResult();
            if (cluster != null && !"file".equals(cluster.source)) {
                conflicts.add("cluster " + spec.context() + " already exists (" + cluster.source + "); remove it there or from the file");
                return cluster;
            }
            if (cluster == null) {
                cluster = new Cluster();
                cluster.id = UUID.randomUUID();
                cluster.contextName = spec.context();
                cluster.source = "file";
                cluster.createdAt = now;
                change("add", "cluster", spec.context());
            } else if (!Objects.equals(cluster.name, spec.name()) || !Objects.equals(cluster.endpoint, spec.endpoint())
                    || !Objects.equals(cluster.caBundle, spec.caBundle()) || !Objects.equals(cluster.region, spec.region())
                    || !Objects.equals(cluster.kind, spec.kind()) || !cluster.account.id.equals(account.id)) {
                change("update", "cluster", spec.context());
                if (!write) {
                    return cluster;
                }
            } else {
                return cluster;
            }
            cluster.account = account;
            cluster.name = spec.name();
            cluster.region = spec.region();
            cluster.kind = spec.kind();
            cluster.endpoint = spec.endpoint();
            cluster.caBundle = spec.caBundle();
            cluster.updatedAt = now;
            if (write) {
                cluster.persist();
            }
            return cluster;
        }

        private UUID level(AwsAccount account, Cluster cluster, LevelSpec spec, String ownerKey) {
            String key = ownerKey + "/" + spec.name();
            AccessLevel level = account != null
                    ? AccessLevel.<AccessLevel>find("account.id = ?1 and name = ?2", account.id, spec.name()).firstResult()
                    : AccessLevel.<AccessLevel>find("cluster.id = ?1 and name = ?2", cluster.id, spec.name()).firstResult();
            if (level != null && !"file".equals(level.source)) {
                conflicts.add("level " + key + " already exists (" + level.source + "); remove it there or from the file");
                levelIds.put(key, level.id);
                return level.id;
            }
            String scope = spec.scope() != null ? spec.scope() : (cluster != null && spec.eksAccessPolicy() != null ? "cluster" : null);
            if (level == null) {
                level = new AccessLevel();
                level.id = UUID.randomUUID();
                level.account = account;
                level.cluster = cluster;
                level.name = spec.name();
                level.source = "file";
                level.createdAt = now;
                change("add", "level", key);
            } else if (!Objects.equals(level.roleArn, spec.role()) || !Objects.equals(level.description, spec.description())
                    || !Objects.equals(level.eksAccessPolicyArn, spec.eksAccessPolicy()) || !Objects.equals(level.eksAccessScope, scope)
                    || !level.eksNamespaces.equals(spec.namespaces()) || !level.kubernetesGroups.equals(spec.kubernetesGroups())
                    || level.breakGlass != spec.breakGlass()) {
                change("update", "level", key);
                if (!write) {
                    levelIds.put(key, level.id);
                    return level.id;
                }
            } else {
                levelIds.put(key, level.id);
                return level.id;
            }
            level.roleArn = spec.role();
            level.description = spec.description();
            level.eksAccessPolicyArn = spec.eksAccessPolicy();
            level.eksAccessScope = scope;
            level.eksNamespaces = List.copyOf(spec.namespaces());
            level.kubernetesGroups = List.copyOf(spec.kubernetesGroups());
            level.breakGlass = spec.breakGlass();
            level.updatedAt = now;
            if (write) {
                level.persist();
            }
            levelIds.put(key, level.id);
            return level.id;
        }

        private UUID group(GroupSpec spec) {
            Group group = Group.<Group>find("name", spec.name()).firstResult();
            if (group != null && !"file".equals(group.source)) {
                conflicts.add("group " + spec.name() + " already exists (" + group.source + "); remove it there or from the file");
            } else if (group == null) {
                group = new Group();
                group.id = UUID.randomUUID();
                group.name = spec.name();
                group.description = spec.description();
                group.source = "file";
                group.createdAt = now;
                change("add", "group", spec.name());
                if (write) {
                    group.persist();
                }
            } else if (!Objects.equals(group.description, spec.description())) {
                change("update", "group", spec.name());
                if (write) {
                    group.description = spec.description();
                }
            }
            groupIds.put(spec.name(), group.id);
            return group.id;
        }

        private UUID entitlement(EntitlementSpec spec) {
            UUID levelId = levelIds.get(spec.target() + "/" + spec.level());
            UUID groupId = groupIds.get(spec.group());
            String key = spec.group() + " → " + spec.target() + "/" + spec.level() + " (" + spec.mode() + ")";
            if (levelId == null) {
                conflicts.add("entitlement " + key + ": " + spec.target() + " has no level " + spec.level());
                return null;
            }
            Entitlement entitlement = Entitlement.<Entitlement>find("groupId = ?1 and accessLevelId = ?2 and mode = ?3",
                    groupId, levelId, spec.mode()).firstResult();
            if (entitlement != null && !"file".equals(entitlement.source)) {
                conflicts.add("entitlement " + key + " already exists (" + entitlement.source + ")");
                return entitlement.id;
            }
            if (entitlement == null) {
                entitlement = new Entitlement();
                entitlement.id = UUID.randomUUID();
                entitlement.groupId = groupId;
                entitlement.accessLevelId = levelId;
                entitlement.mode = spec.mode();
                entitlement.source = "file";
                entitlement.createdAt = now;
                change("add", "entitlement", key);
            } else if (!entitlement.maxDuration.equals(spec.maxDuration()) || !sameSteps(entitlement.id, spec)) {
                change("update", "entitlement", key);
                if (!write) {
                    return entitlement.id;
                }
            } else {
                return entitlement.id;
            }
            entitlement.maxDuration = spec.maxDuration();
            entitlement.updatedAt = now;
            if (write) {
                entitlement.persist();
                ApprovalStep.delete("entitlementId", entitlement.id);
                int position = 1;
                for (InventoryDocument.StepSpec step : spec.approvals()) {
                    ApprovalStep row = new ApprovalStep();
                    row.id = UUID.randomUUID();
                    row.entitlementId = entitlement.id;
                    row.position = position++;
                    row.approverKind = step.manager() ? "manager" : "group";
                    row.approverGroupId = step.manager() ? null : groupIds.get(step.group());
                    row.requiredApprovals = step.manager() ? 1 : step.count();
                    row.persist();
                }
            }
            return entitlement.id;
        }

        private boolean sameSteps(UUID entitlementId, EntitlementSpec spec) {
            List<ApprovalStep> stored = ApprovalStep.list("entitlementId = ?1 order by position", entitlementId);
            if (stored.size() != spec.approvals().size()) {
                return false;
            }
            for (int i = 0; i < stored.size(); i++) {
                InventoryDocument.StepSpec want = spec.approvals().get(i);
                ApprovalStep have = stored.get(i);
                if (want.manager() != "manager".equals(have.approverKind)
                        || (!want.manager() && (!Objects.equals(groupIds.get(want.group()), have.approverGroupId)
                                || want.count() != have.requiredApprovals))) {
                    return false;
                }
            }
            return true;
        }

        private <T> void deleteMissing(List<T> fileOwned, java.util.function.Function<T, UUID> id, Set<UUID> kept, String kind,
                java.util.function.Function<T, String> key, java.util.function.Consumer<T> delete) {
            for (T row : fileOwned) {
                if (!kept.contains(id.apply(row))) {
                    change("delete", kind, key.apply(row));
                    if (write) {
                        delete.accept(row);
                    }
                }
            }
        }

        private void change(String action, String kind, String key) {
            changes.add(new Change(action, kind, key));
        }
    }
}
