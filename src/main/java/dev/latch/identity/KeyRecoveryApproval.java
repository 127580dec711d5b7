package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An administrator's request for a key-recovery link for an approver, waiting for a second administrator. */
@Entity
@Table(name = "key_recovery_approval")
public class KeyRecoveryApproval extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "requested_by", nullable = false)
    public UUID requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "decided_by")
    public UUID decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** {@code approved} or {@code refused}; null while open. */
    public String outcome;

    public static List<KeyRecoveryApproval> open() {
        return list("decidedAt is null order by requestedAt");
    }
}
