package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A browser session. The cookie holds a secret whose hash is {@link #tokenHash}. */
@Entity
@Table(name = "user_session")
public class UserSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false)
    public byte[] tokenHash;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    /** The key used to sign in. */
    @Column(name = "credential_id")
    public UUID credentialId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "absolute_expires_at", nullable = false)
    public Instant absoluteExpiresAt;

    /** Last fresh key assertion (sign-in counts as one). */
    @Column(name = "stepped_up_at")
    public Instant steppedUpAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;
}
