package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who manages whom. A manager is set by one owner ({@link PeopleSource}: an administrator, the
 * inventory file, SCIM or the upstream claim) and only that owner changes or clears it, so two
 * sources never fight over one person. A manager named by email before they have an account stays
 * pending ({@code manager_email}) and resolves when that person is created or enrols.
 */
@ApplicationScoped
public class Managers {

    private final Event<PeopleChanged> changed;
    private final AuditLog audit;
    private final Clock clock;

    public Managers(Event<PeopleChanged> changed, AuditLog audit, Clock clock) {
        this.changed = changed;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<User> managerOf(User person) {
        return person.managerId == null ? Optional.empty() : Optional.ofNullable(User.findById(person.managerId));
    }

    /** Who acts as this person's manager at {@code at}: the manager, and the delegates the manager named for that moment. */
    public Set<UUID> actingManagerIds(User person, Instant at) {
        Set<UUID> ids = new HashSet<>();
        if (person.managerId != null) {
            ids.add(person.managerId);
            ManagerDelegation.inForce(person.managerId, at).forEach(d -> ids.add(d.delegateId));
        }
        return ids;
    }

    /** The manager {@code actor} stands in for as {@code person}'s manager at {@code at}, if they act as a delegate (not as the manager). */
    public Optional<UUID> delegatedBy(User person, User actor, Instant at) {
        if (person.managerId == null || person.managerId.equals(actor.id)) {
            return Optional.empty();
        }
        return ManagerDelegation.inForce(person.managerId, at).stream().filter(d -> d.delegateId.equals(actor.id))
                .map(d -> d.managerId).findFirst();
    }

    /** The people this person manages, by username. */
    public List<User> reportsOf(User manager) {
        return User.list("managerId = ?1 order by username", manager.id);
    }

    /** Sets (or, with {@code manager} null, clears) a person's manager; audited. */
    @Transactional
    public void set(User person, User manager, PeopleActor by) {
        requireOwner(person, by.source());
        if (manager != null) {
            if (manager.id.equals(person.id)) {
                throw ProblemException.badRequest("manager-self", "A person cannot be their own manager.");
            }
            requireNoCycle(person, manager);
        }
        if (manager == null ? person.managerId == null && person.managerEmail == null
                : manager.id.equals(person.managerId) && Objects.equals(by.source().dbValue(), person.managerSource)) {
            return;
        }
        UUID previous = person.managerId;
        person.managerId = manager == null ? null : manager.id;
        person.managerEmail = null;
        person.managerSource = manager == null ? null : by.source().dbValue();
        person.updatedAt = clock.instant();
        audit.record(by.by(AuditEntry.of(manager == null ? "user.manager_cleared" : "user.manager_set")).on("user", person.id)
                .detail("person", person.username).detail("manager", manager == null ? null : manager.username)
                .detail("previous_manager_id", previous).detail("source", by.source().dbValue()));
        changed.fire(PeopleChanged.of(person.id, "manager"));
    }

    /**
     * Sets a manager named by email (the IdP's claim, SCIM's {@code manager}, the inventory file):
     * the account with that email if there is one, otherwise a pending email that resolves when
     * that person gets an account.
     */
    @Transactional
    public void setByEmail(User person, String email, PeopleActor by) {
        if (email == null || email.isBlank()) {
            set(person, null, by);
            return;
        }
        Optional<User> manager = User.findByEmail(email);
        if (manager.isPresent()) {
            set(person, manager.get(), by);
            return;
        }
        requireOwner(person, by.source());
        String pending = email.trim().toLowerCase();
        if (pending.equals(person.managerEmail) && by.source().dbValue().equals(person.managerSource)) {
            return;
        }
        person.managerId = null;
        person.managerEmail = pending;
        person.managerSource = by.source().dbValue();
        person.updatedAt = clock.instant();
        audit.record(by.by(AuditEntry.of("user.manager_pending")).on("user", person.id)
                .detail("person", person.username).detail("manager_email", pending).detail("source", by.source().dbValue()));
        changed.fire(PeopleChanged.of(person.id, "manager"));
    }

    /** People who named {@code newcomer}'s email as their manager before they had an account now point at them. */
    @Transactional
    public void resolvePending(User newcomer) {
        if (newcomer.email == null) {
            return;
        }
        List<User> waiting = User.list("lower(managerEmail) = ?1", newcomer.email.trim().toLowerCase());
        for (User person : waiting) {
            if (person.id.equals(newcomer.id)) {
                continue;
            }
            person.managerId = newcomer.id;
            person.managerEmail = null;
            person.updatedAt = clock.instant();
            audit.record(AuditEntry.of("user.manager_resolved").bySystem("managers").on("user", person.id)
                    .detail("person", person.username).detail("manager", newcomer.username).detail("source", person.managerSource));
            changed.fire(PeopleChanged.of(person.id, "manager"));
        }
    }

    private static void requireOwner(User person, PeopleSource source) {
        if (person.managerSource != null && !person.managerSource.equals(source.dbValue())
                && (person.managerId != null || person.managerEmail != null)) {
            PeopleSource owner = PeopleSource.of(person.managerSource);
            throw new ProblemException(409, "manager-owned-elsewhere", "Managed elsewhere",
                    person.username + "'s manager is set by " + owner.owner() + "; change it there.");
        }
    }

    /** Refuses a manager who is, directly or further up, managed by the person: approvals would go in a circle. */
    private static void requireNoCycle(User person, User manager) {
        Set<UUID> seen = new HashSet<>();
        User current = manager;
        while (current != null && current.managerId != null && seen.add(current.id)) {
            if (current.managerId.equals(person.id)) {
                throw new ProblemException(409, "manager-cycle", "Managers in a circle",
                        manager.username + " is managed (directly or further up) by " + person.username + ".");
            }
            current = User.findById(current.managerId);
        }
    }
}
