package dev.latch.access;

import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A request for a requestable level, for a while, with a reason; decided by its policy. */
@Entity
@Table(name = "access_request")
public class AccessRequest extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DENIED = "denied";
    public static final String EXPIRED = "expired";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "requester_id")
    public User requester;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "access_level_id")
    public AccessLevel level;

    @Column(name = "entitlement_id")
    public UUID entitlementId;

    @JdbcTypeCode(SqlTypes.INTERVAL_SECOND)
    @Column(nullable = false)
    public Duration duration;

    @Column(nullable = false)
    public String reason;

    @Column(name = "ticket_url")
    public String ticketUrl;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(nullable = false)
    public String status;

    @Column(name = "break_glass", nullable = false)
    public boolean breakGlass;

    @Column(name = "extends_grant_id")
    public UUID extendsGrantId;

    @Column(name = "policy_json", nullable = false)
    public String policyJson;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** Why it ended without its approvers, e.g. "account disabled (left the company)". */
    @Column(name = "end_reason")
    public String endReason;

    public boolean isPending() {
        return PENDING.equals(status);
    }
}
