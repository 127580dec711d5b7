package dev.latch.oauth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One helper login ("signed-in device"): the family its rotating refresh tokens belong to. */
@Entity
@Table(name = "token_family")
public class TokenFamily extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "client_name", nullable = false)
    public String clientName;

    @Column(name = "host_name")
    public String hostName;

    public String os;

    /** Thumbprint of the helper's DPoP key; every token of the family is bound to it. */
    @Column(name = "dpop_jkt", nullable = false)
    public String dpopJkt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at", nullable = false)
    public Instant lastUsedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    /** When the portal last asked for a key touch on this login (production from the terminal). */
    @Column(name = "touch_requested_at")
    public Instant touchRequestedAt;

    /** What that touch was asked for, as the confirmation page shows it. */
    @Column(name = "touch_purpose")
    public String touchPurpose;

    /** The person's key touch that confirmed the request; production use needs one after its grant started. */
    @Column(name = "touched_at")
    public Instant touchedAt;

    public boolean isLive(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
