package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Administration of people: search, offboarding (disable) and re-enabling. */
@ApplicationScoped
public class Users {

    private final Event<UserDisabled> disabled;
    private final AuditLog audit;
    private final Clock clock;

    public Users(Event<UserDisabled> disabled, AuditLog audit, Clock clock) {
        this.disabled = disabled;
        this.audit = audit;
        this.clock = clock;
    }

    /** Users whose username, name or email contains {@code query}, by username. */
    @Transactional
    public List<User> search(String query, int limit) {
        String q = query == null ? "" : query.trim().toLowerCase();
        if (q.isEmpty()) {
            return User.find("order by username").page(0, limit).list();
        }
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return User.find("lower(username) like ?1 or lower(displayName) like ?1 or lower(email) like ?1 order by username", like)
                .page(0, limit).list();
    }

    @Transactional
    public User get(UUID id) {
        User user = User.findById(id);
        if (user == null) {
            throw ProblemException.notFound("There is no such user.");
        }
        return user;
    }

    /**
     * Offboarding: the user can no longer sign in, and everything handed out to them is revoked
     * in the same transaction (sessions here; other features observe {@link UserDisabled}).
     */
    @Transactional
    public void disable(UUID id, User by, String reason) {
        User user = get(id);
        if (user.id.equals(by.id)) {
            throw new ProblemException(409, "cannot-disable-self", "Conflict", "You cannot disable your own account.");
        }
        if (!user.isActive()) {
            return;
        }
        user.status = User.DISABLED;
        user.disabledAt = clock.instant();
        user.updatedAt = user.disabledAt;
        audit.record(AuditEntry.of("user.disabled").byUser(by.id.toString(), by.username).on("user", user.id)
                .detail("username", user.username).detail("reason", reason));
        disabled.fire(new UserDisabled(user.id, user.username, reason));
    }

    @Transactional
    public void enable(UUID id, User by) {
        User user = get(id);
        if (user.isActive()) {
            return;
        }
        user.status = User.ACTIVE;
        user.disabledAt = null;
        user.updatedAt = clock.instant();
        audit.record(AuditEntry.of("user.enabled").byUser(by.id.toString(), by.username).on("user", user.id)
                .detail("username", user.username));
    }
}
