package dev.latch.inventory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A group may use an access level: standing (always) or requestable (after approval). */
@Entity
@Table(name = "entitlement")
public class Entitlement extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "group_id", nullable = false)
    public UUID groupId;

    @Column(name = "access_level_id", nullable = false)
    public UUID accessLevelId;

    /** {@code standing} or {@code requestable}. */
    @Column(nullable = false)
    public String mode;

    @JdbcTypeCode(SqlTypes.INTERVAL_SECOND)
    @Column(name = "max_duration", nullable = false)
    public Duration maxDuration;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
