package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A manager's delegate for a period: while in force, the delegate acts as the manager of the manager's reports. */
@Entity
@Table(name = "manager_delegation")
public class ManagerDelegation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "manager_id", nullable = false)
    public UUID managerId;

    @Column(name = "delegate_id", nullable = false)
    public UUID delegateId;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Set when it was ended before {@link #endsAt}. */
    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_by")
    public UUID endedBy;

    /** When it stops (or stopped) counting: the early end, else the planned one. */
    public Instant until() {
        return endedAt != null && endedAt.isBefore(endsAt) ? endedAt : endsAt;
    }

    public boolean inForceAt(Instant at) {
        return !startsAt.isAfter(at) && at.isBefore(until());
    }

    /** Whether it is still to come or in force at {@code at} (so it can be ended). */
    public boolean openAt(Instant at) {
        return at.isBefore(until());
    }

    /** The manager's delegations in force at {@code at}. */
    public static List<ManagerDelegation> inForce(UUID managerId, Instant at) {
        return list("managerId = ?1 and startsAt <= ?2 and endsAt > ?2 and (endedAt is null or endedAt > ?2) order by startsAt",
                managerId, at);
    }

    /** The manager's delegations not over at {@code at}: in force or still to come. */
    public static List<ManagerDelegation> open(UUID managerId, Instant at) {
        return list("managerId = ?1 and endsAt > ?2 and (endedAt is null or endedAt > ?2) order by startsAt", managerId, at);
    }

    /** Delegations naming this person as delegate that are not over at {@code at}. */
    public static List<ManagerDelegation> openAsDelegate(UUID delegateId, Instant at) {
        return list("delegateId = ?1 and endsAt > ?2 and (endedAt is null or endedAt > ?2) order by startsAt", delegateId, at);
    }
}
