package dev.latch.kube;

import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One kubeconfig handed out: who, which cluster and level, until when, and whether it was revoked. */
@Entity
@Table(name = "kube_issuance")
public class Issuance extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cluster_id")
    public Cluster cluster;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "access_level_id")
    public AccessLevel level;

    /** The JIT grant this issuance rides on; null for standing access. */
    @Column(name = "grant_id")
    public UUID grantId;

    /** {@code browser} (dashboard download) or {@code helper} ({@code latch setup}). */
    @Column(nullable = false)
    public String channel;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public UUID revokedBy;

    @Column(name = "revoke_reason")
    public String revokeReason;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "token_count", nullable = false)
    public long tokenCount;

    public boolean isLive(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
