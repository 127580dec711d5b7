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
    private final Event<PeopleChanged> changed;
    private final Managers managers;
    private final AuditLog audit;
    private final Clock clock;

    public Users(Event<UserDisabled> disabled, Event<PeopleChanged> changed, Managers managers, AuditLog audit, Clock clock) {
        this.disabled = disabled;
        this.changed = changed;
        this.managers = managers;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates an account before its owner has a key (so it can be given groups or named as a
     * manager at once); the owner then registers a key through a link from {@link Invitations#inviteExisting}.
     */
    @Transactional
    public User create(Invitations.Request request, User by) {
        String username = Invitations.validUsername(request.username());
        String email = Invitations.validEmail(request.email());
        if (User.findByUsername(username).isPresent()) {
            throw new ProblemException(409, "conflict", "Conflict", "The username " + username + " is taken.");
        }
        if (email != null && User.findByEmail(email).isPresent()) {
            throw new ProblemException(409, "conflict", "Conflict", "A user with the email " + email + " already exists.");
        }
        User user = new User();
        user.id = UUID.randomUUID();
        user.username = username;
        user.email = email;
        user.displayName = request.displayName() == null || request.displayName().isBlank() ? username : request.displayName().trim();
        user.userHandle = dev.latch.support.Secrets.randomBytes(64);
        user.admin = request.admin();
        user.createdAt = clock.instant();
        user.updatedAt = user.createdAt;
        user.persist();
        audit.record(AuditEntry.of("user.created").byUser(by.id.toString(), by.username).on("user", user.id)
                .detail("username", username).detail("admin", user.admin).detail("via", "admin"));
        managers.resolvePending(user);
        return user;
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
        changed.fire(PeopleChanged.of(user.id, "disabled"));
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
