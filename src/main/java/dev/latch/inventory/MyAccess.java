package dev.latch.inventory;

import dev.latch.identity.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * "My access": the accounts and clusters a person may use, at which levels, in which state. One
 * query fetches every entitlement of the person's groups with its level, cluster and account; the
 * rules are {@link EntitlementResolver}'s. Only entitled objects are ever loaded, so nothing else
 * can leak into the page.
 */
@ApplicationScoped
public class MyAccess {

    private final EntityManager em;

    public MyAccess(EntityManager em) {
        this.em = em;
    }

    /** A level on the dashboard. */
    public record LevelState(UUID id, String name, String state, String maxDuration, String description) {
    }

    /** A row: an account (AWS console and CLI) or a cluster (Kubernetes). */
    public record Target(String kind, String name, String accountName, String accountId, String region, String contextName,
            List<LevelState> levels) {
    }

    /** An environment's rows. */
    public record Environment(String name, List<Target> targets) {
    }

    @Transactional
    public List<Environment> of(User user, String query, String environment) {
        Set<UUID> groups = new HashSet<>(em.createQuery(
                "select m.key.groupId from GroupMembership m where m.key.userId = :user", UUID.class)
                .setParameter("user", user.id).getResultList());
        if (groups.isEmpty() || !user.isActive()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT e.group_id, l.id, e.mode, extract(epoch FROM e.max_duration)::bigint, l.name, l.description,
                       c.name, c.region, c.context_name, a.name, a.account_id, a.environment, a.default_region
                FROM entitlement e
                JOIN access_level l ON l.id = e.access_level_id
                LEFT JOIN cluster c ON c.id = l.cluster_id
                JOIN aws_account a ON a.id = coalesce(l.account_id, c.account_id)
                WHERE e.group_id = ANY(?1)""")
                .setParameter(1, groups.toArray(new UUID[0]))
                .getResultList();
        List<EntitlementResolver.Entitlement> entitlements = new ArrayList<>();
        Map<UUID, Object[]> levels = new LinkedHashMap<>();
        for (Object[] row : rows) {
            UUID level = (UUID) row[1];
            entitlements.add(new EntitlementResolver.Entitlement((UUID) row[0], level, EntitlementResolver.Mode.of((String) row[2]),
                    Duration.ofSeconds(((Number) row[3]).longValue())));
            levels.putIfAbsent(level, row);
        }
        Map<UUID, EntitlementResolver.Access> access = EntitlementResolver.resolve(user.isActive(), groups, entitlements);
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        Map<String, Map<String, Target>> byEnvironment = new java.util.TreeMap<>();
        for (EntitlementResolver.Access granted : access.values()) {
            Object[] row = levels.get(granted.levelId());
            String env = (String) row[11];
            boolean cluster = row[6] != null;
            String name = cluster ? (String) row[6] : (String) row[9];
            if ((environment != null && !environment.isBlank() && !environment.equals(env))
                    || (!q.isEmpty() && !(name + " " + row[9] + " " + env + " " + row[10]).toLowerCase(Locale.ROOT).contains(q))) {
                continue;
            }
            String key = (cluster ? "cluster:" : "account:") + row[10] + ":" + name;
            Target target = byEnvironment.computeIfAbsent(env, e -> new java.util.TreeMap<>()).computeIfAbsent(key,
                    k -> new Target(cluster ? "cluster" : "account", name, (String) row[9], (String) row[10],
                            cluster ? (String) row[7] : (String) row[12], cluster ? (String) row[8] : null, new ArrayList<>()));
            target.levels().add(new LevelState(granted.levelId(), (String) row[4], granted.mode().name().toLowerCase(Locale.ROOT),
                    dev.latch.web.TimeFormats.length(granted.maxDuration()), (String) row[5]));
        }
        List<Environment> environments = new ArrayList<>();
        byEnvironment.forEach((env, targets) -> {
            targets.values().forEach(t -> t.levels().sort(Comparator.comparing(LevelState::name)));
            List<Target> sorted = new ArrayList<>(targets.values());
            sorted.sort(Comparator.comparing(Target::kind).reversed().thenComparing(Target::name));
            environments.add(new Environment(env, sorted));
        });
        return environments;
    }
}
