package dev.latch.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A person who may sign in to Latch. */
@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    @Id
    public UUID id;

    /** Lower-case login name; also the STS SourceIdentity, so it stays short and plain. */
    @Column(nullable = false)
    public String username;

    public String email;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** WebAuthn user handle: 64 random bytes, never derived from the username. */
    @Column(name = "user_handle", nullable = false)
    public byte[] userHandle;

    @Column(name = "is_admin", nullable = false)
    public boolean admin;

    @Column(nullable = false)
    public String status = ACTIVE;

    @Column(name = "manager_id")
    public UUID managerId;

    /** A manager named by email who has no account yet; resolved when they get one. */
    @Column(name = "manager_email")
    public String managerEmail;

    /** Who set the manager ({@link PeopleSource}); only that owner changes it. */
    @Column(name = "manager_source")
    public String managerSource;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public static Optional<User> findByUsername(String username) {
        return find("username", username == null ? null : username.trim().toLowerCase()).firstResultOptional();
    }

    public static Optional<User> findByHandle(byte[] handle) {
        return find("userHandle", handle).firstResultOptional();
    }

    public static Optional<User> findByEmail(String email) {
        return find("lower(email) = ?1", email == null ? null : email.trim().toLowerCase()).firstResultOptional();
    }
}
