package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A person in a group, and where that membership came from. */
@Entity
@Table(name = "group_membership")
public class GroupMembership extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Embeddable
    public record Key(@Column(name = "group_id") UUID groupId, @Column(name = "user_id") UUID userId) implements Serializable {
    }
}
