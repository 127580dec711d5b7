package dev.latch.webauthn;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A registered security key (a WebAuthn credential) of one user. Keys are revoked, never deleted:
 * signed decisions name the key, and their "Verify" needs its public key for as long as they exist.
 */
@Entity
@Table(name = "webauthn_credential")
public class WebAuthnCredential extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "credential_id", nullable = false)
    public byte[] credentialId;

    @Column(name = "public_key_cose", nullable = false)
    public byte[] publicKeyCose;

    @Column(name = "signature_count", nullable = false)
    public long signatureCount;

    /** Authenticator model id, when the key reports one. */
    public UUID aaguid;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> transports = List.of();

    @Column(nullable = false)
    public String nickname;

    @Column(name = "attestation_format")
    public String attestationFormat;

    @Column(name = "attestation_trusted", nullable = false)
    public boolean attestationTrusted;

    @Column(name = "backup_eligible", nullable = false)
    public boolean backupEligible;

    @Column(name = "backed_up", nullable = false)
    public boolean backedUp;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "suspected_clone_at")
    public Instant suspectedCloneAt;

    @Column(name = "compromised_reason")
    public String compromisedReason;

    /** When the key was revoked; a revoked key is refused at every ceremony. */
    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Who revoked it: the owner or an administrator. */
    @Column(name = "revoked_by")
    public UUID revokedBy;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** The user's keys that are not revoked: the ones that can sign. */
    public static List<WebAuthnCredential> ofUser(UUID userId) {
        return list("userId = ?1 and revokedAt is null order by createdAt", userId);
    }

    /** Every key the user ever registered, revoked ones included (for administrators' pages). */
    public static List<WebAuthnCredential> everOfUser(UUID userId) {
        return list("userId = ?1 order by createdAt", userId);
    }

    public static long countActive(UUID userId) {
        return count("userId = ?1 and revokedAt is null", userId);
    }

    /** The key with this credential id, revoked or not (evidence and registration look it up). */
    public static java.util.Optional<WebAuthnCredential> byCredentialId(byte[] credentialId) {
        return find("credentialId", (Object) credentialId).firstResultOptional();
    }
}
