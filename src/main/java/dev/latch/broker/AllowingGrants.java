package dev.latch.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The state of the grants that allow cached role sessions, read from PostgreSQL at every use: a
 * grant ended on any replica (revoked, ended early, expired, its holder disabled) stops its
 * sessions here too, without any call between instances.
 */
@ApplicationScoped
class AllowingGrants {

    private final EntityManager em;

    AllowingGrants(EntityManager em) {
        this.em = em;
    }

    /** The end of the person's grant if it allows use now (started, not ended, holder active). */
    @Transactional
    Optional<Instant> liveUntil(UUID grantId, String username, Instant now) {
        List<?> rows = em.createNativeQuery("""
                SELECT g.ends_at FROM access_grant g JOIN app_user u ON u.id = g.user_id
                WHERE g.id = ?1 AND u.username = ?2 AND u.status = 'active'
                  AND g.ended_at IS NULL AND g.starts_at <= ?3 AND g.ends_at > ?3""")
                .setParameter(1, grantId).setParameter(2, username).setParameter(3, now).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(instant(rows.get(0)));
    }

    /** Those of the given grants that still allow use now. */
    @Transactional
    Set<UUID> live(Collection<UUID> grantIds, Instant now) {
        if (grantIds.isEmpty()) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        List<UUID> rows = em.createNativeQuery("""
                SELECT g.id FROM access_grant g JOIN app_user u ON u.id = g.user_id
                WHERE g.id = ANY(?1) AND u.status = 'active' AND g.ended_at IS NULL AND g.ends_at > ?2""")
                .setParameter(1, grantIds.toArray(UUID[]::new)).setParameter(2, now).getResultList();
        return new HashSet<>(rows);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
