package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A one-time enrolment link. Only the SHA-256 of the link's secret is stored. */
@Entity
@Table(name = "invitation")
public class Invitation extends PanacheEntityBase {

    public static final String INVITE = "invite";
    public static final String BOOTSTRAP = "bootstrap";

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false)
    public byte[] tokenHash;

    @Column(nullable = false)
    public String kind = INVITE;

    @Column(nullable = false)
    public String username;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "is_admin", nullable = false)
    public boolean admin;

    /** Set when the link adds a key to an existing account (an admin-created user, or key recovery). */
    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "upstream_subject")
    public String upstreamSubject;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "upstream_claims")
    public Map<String, String> upstreamClaims;

    /** SHA-256 of the secret in the cookie of the browser that made the upstream proof ({@link UpstreamProofCookie}). */
    @Column(name = "upstream_browser_hash")
    public byte[] upstreamBrowserHash;

    public boolean isOpen(Instant now) {
        return usedAt == null && revokedAt == null && now.isBefore(expiresAt);
    }

    public boolean isBootstrap() {
        return BOOTSTRAP.equals(kind);
    }
}
