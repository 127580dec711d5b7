package dev.latch.oauth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A device authorization request (RFC 8628 §3.1) and its decision. */
@Entity
@Table(name = "device_authorization")
public class DeviceAuthorization extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DENIED = "denied";
    public static final String CONSUMED = "consumed";
    /** {@link #closedReason} when too many wrong entries close to the code ended it. */
    public static final String WRONG_ENTRIES = "wrong-entries";

    @Id
    public UUID id;

    @Column(name = "device_code_hash", nullable = false)
    public byte[] deviceCodeHash;

    @Column(name = "user_code", nullable = false, columnDefinition = "bpchar(8)")
    public String userCode;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "client_name", nullable = false)
    public String clientName;

    @Column(name = "host_name")
    public String hostName;

    public String os;

    @Column(name = "request_ip")
    public String requestIp;

    @Column(nullable = false)
    public String status = PENDING;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "interval_seconds", nullable = false)
    public int intervalSeconds;

    @Column(name = "last_polled_at")
    public Instant lastPolledAt;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "family_id")
    public UUID familyId;

    /** Wrong entries close to this code (one or two letters off), from anyone (RFC 8628 §5.1). */
    @Column(name = "wrong_entries", nullable = false)
    public int wrongEntries;

    /** Why the request was closed without a person's decision: {@link #WRONG_ENTRIES}, or null. */
    @Column(name = "closed_reason")
    public String closedReason;

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
