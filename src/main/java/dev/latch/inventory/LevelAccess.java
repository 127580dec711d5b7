package dev.latch.inventory;

import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One person's access to one access level, right now: the question every download, token mint
 * and credential hand-out asks again. Same rules as the dashboard ({@link EntitlementResolver}),
 * but loads only the entitlements of that level.
 */
@ApplicationScoped
public class LevelAccess {

    private final EntityManager em;

    public LevelAccess(EntityManager em) {
        this.em = em;
    }

    /** The person's resolved access to the level, if any entitlement of their groups names it. */
    public Optional<EntitlementResolver.Access> of(User user, UUID levelId) {
        if (user == null || !user.isActive()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT e.group_id, e.mode, extract(epoch FROM e.max_duration)::bigint
                FROM entitlement e JOIN group_membership m ON m.group_id = e.group_id
                WHERE m.user_id = ?1 AND e.access_level_id = ?2""")
                .setParameter(1, user.id).setParameter(2, levelId).getResultList();
        Set<UUID> groups = new HashSet<>();
        List<EntitlementResolver.Entitlement> entitlements = new ArrayList<>();
        for (Object[] row : rows) {
            groups.add((UUID) row[0]);
            entitlements.add(new EntitlementResolver.Entitlement((UUID) row[0], levelId, EntitlementResolver.Mode.of((String) row[1]),
                    Duration.ofSeconds(((Number) row[2]).longValue())));
        }
        return Optional.ofNullable(EntitlementResolver.resolve(true, groups, entitlements).get(levelId));
    }

    /** The person's access to the level when it is standing (usable without a request). */
    public Optional<EntitlementResolver.Access> standing(User user, UUID levelId) {
        return of(user, levelId).filter(a -> a.mode() == EntitlementResolver.Mode.STANDING);
    }

    /**
     * The 403 for someone without standing access, saying what to do instead: nothing makes the
     * level theirs, or it is on request and needs an approved request first.
     */
    public static ProblemException refusal(Optional<EntitlementResolver.Access> access, String what) {
        if (access.isEmpty()) {
            return ProblemException.forbidden("not-entitled", "You have no access to " + what + ". Ask your Latch administrator if you need it.");
        }
        return ProblemException.forbidden("request-needed", "Access to " + what + " is on request: request it in the portal "
                + "and use it once it is approved.");
    }

    /** A cluster's level, by account (12-digit id or name), cluster name and level name. */
    public Optional<AccessLevel> clusterLevel(String account, String cluster, String level) {
        if (blank(account) || blank(cluster) || blank(level)) {
            return Optional.empty();
        }
        return AccessLevel.<AccessLevel>find("""
                from AccessLevel l join fetch l.cluster c join fetch c.account a
                where (a.accountId = ?1 or lower(a.name) = ?2) and c.name = ?3 and l.name = ?4""",
                account.trim(), account.trim().toLowerCase(Locale.ROOT), cluster.trim(), level.trim()).firstResultOptional();
    }

    /** An account's level (AWS console and CLI), by account (12-digit id or name) and level name. */
    public Optional<AccessLevel> accountLevel(String account, String level) {
        if (blank(account) || blank(level)) {
            return Optional.empty();
        }
        return AccessLevel.<AccessLevel>find("""
                from AccessLevel l join fetch l.account a
                where (a.accountId = ?1 or lower(a.name) = ?2) and l.name = ?3""",
                account.trim(), account.trim().toLowerCase(Locale.ROOT), level.trim()).firstResultOptional();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
