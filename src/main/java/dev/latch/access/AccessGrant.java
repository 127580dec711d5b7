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
import java.time.Instant;
import java.util.UUID;

/** Time-boxed access to a level, from an approved request or break-glass. Ends by itself. */
@Entity
@Table(name = "access_grant")
public class AccessGrant extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "request_id", nullable = false)
    public UUID requestId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "access_level_id")
    public AccessLevel level;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(name = "break_glass", nullable = false)
    public boolean breakGlass;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_by")
    public UUID endedBy;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "warned_at")
    public Instant warnedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Usable now: started, not yet at its end, not ended early. */
    public boolean isActive(Instant now) {
        return endedAt == null && !now.isBefore(startsAt) && now.isBefore(endsAt);
    }
}
