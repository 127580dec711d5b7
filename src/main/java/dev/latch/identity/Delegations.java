package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A manager's delegates (a holiday): the manager, or an administrator on the manager's page, names
 * another active person for a period of at most {@link #LONGEST}; while it is in force the delegate
 * acts as the manager of the manager's reports ({@link Managers#actingManagerIds}). Naming and
 * ending are audited and fire {@link PeopleChanged} for the reports, so open requests are re-checked.
 */
@ApplicationScoped
public class Delegations {

    /** A delegation covers an absence, not a change of manager: change the manager for longer. */
    public static final Duration LONGEST = Duration.ofDays(90);

    /** What someone asks for; {@code startsAt} null: now. */
    public record Ask(String delegate, Instant startsAt, Instant endsAt) {
    }

    private final Event<PeopleChanged> changed;
    private final AuditLog audit;
    private final Clock clock;

    public Delegations(Event<PeopleChanged> changed, AuditLog audit, Clock clock) {
        this.changed = changed;
        this.audit = audit;
        this.clock = clock;
    }

    /** Names a delegate of {@code manager}; refusals are audited. */
    @Transactional
    public ManagerDelegation name(UUID managerId, Ask ask, User by) {
        User manager = User.findById(managerId);
        if (manager == null) {
            throw ProblemException.notFound("There is no such user.");
        }
        try {
            return create(manager, ask, by);
        } catch (ProblemException refused) {
            audit.recordRefusal(AuditEntry.of("manager.delegation_created").byUser(by.id.toString(), by.username).on("user", manager.id)
                    .outcome(AuditEntry.Outcome.DENIED).detail("manager", manager.username)
                    .detail("delegate", ask == null ? null : ask.delegate()).detail("reason", refused.code()));
            throw refused;
        }
    }

    private ManagerDelegation create(User manager, Ask ask, User by) {
        String name = ask == null || ask.delegate() == null ? "" : ask.delegate().trim();
        if (name.isEmpty()) {
            throw ProblemException.badRequest("delegate-required", "Name the delegate (a username).");
        }
        User delegate = User.findByUsername(name).orElseThrow(() -> ProblemException.badRequest("unknown-user",
                "There is no user named " + name + "."));
        if (delegate.id.equals(manager.id)) {
            throw ProblemException.badRequest("delegate-self", "A manager cannot be their own delegate.");
        }
        if (!delegate.isActive() || !manager.isActive()) {
            throw new ProblemException(409, "delegate-disabled", "Account disabled",
                    (delegate.isActive() ? manager.username : delegate.username) + "'s account is disabled.");
        }
        Instant now = clock.instant();
        Instant starts = ask.startsAt() == null ? now : ask.startsAt();
        Instant ends = ask.endsAt();
        if (ends == null) {
            throw ProblemException.badRequest("delegation-end-required", "Say when the delegation ends.");
        }
        if (starts.isBefore(now.minusSeconds(60))) {
            throw ProblemException.badRequest("delegation-in-past", "A delegation cannot start in the past.");
        }
        if (!ends.isAfter(starts)) {
            throw ProblemException.badRequest("delegation-end-before-start", "The end must come after the start.");
        }
        if (Duration.between(starts, ends).compareTo(LONGEST) > 0) {
            throw ProblemException.badRequest("delegation-too-long", "A delegation lasts at most " + LONGEST.toDays()
                    + " days; for longer, change the manager of the people concerned.");
        }
        boolean overlaps = ManagerDelegation.open(manager.id, now).stream()
                .anyMatch(d -> d.delegateId.equals(delegate.id) && d.startsAt.isBefore(ends) && starts.isBefore(d.until()));
        if (overlaps) {
            throw new ProblemException(409, "delegation-overlaps", "Already a delegate",
                    delegate.username + " is already " + manager.username + "'s delegate for part of that time. End that delegation first.");
        }
        ManagerDelegation delegation = new ManagerDelegation();
        delegation.id = UUID.randomUUID();
        delegation.managerId = manager.id;
        delegation.delegateId = delegate.id;
        delegation.startsAt = starts;
        delegation.endsAt = ends;
        delegation.createdBy = by.id;
        delegation.createdAt = now;
        delegation.persist();
        audit.record(AuditEntry.of("manager.delegation_created").byUser(by.id.toString(), by.username).on("user", manager.id)
                .detail("delegation", delegation.id).detail("manager", manager.username).detail("delegate", delegate.username)
                .detail("starts", TimeFormats.iso(starts)).detail("ends", TimeFormats.iso(ends)));
        changed.fire(new PeopleChanged(affected(manager, delegate), "delegation"));
        return delegation;
    }

    /** Ends a delegation of {@code managerId} now (it had not ended yet); audited. */
    @Transactional
    public void end(UUID managerId, UUID delegationId, User by) {
        ManagerDelegation delegation = ManagerDelegation.findById(delegationId);
        Instant now = clock.instant();
        if (delegation == null || !delegation.managerId.equals(managerId)) {
            throw ProblemException.notFound("There is no such delegation.");
        }
        if (!delegation.openAt(now)) {
            throw new ProblemException(409, "delegation-over", "Already over", "This delegation has already ended.");
        }
        delegation.endedAt = now;
        delegation.endedBy = by.id;
        User manager = User.findById(delegation.managerId);
        User delegate = User.findById(delegation.delegateId);
        audit.record(AuditEntry.of("manager.delegation_ended").byUser(by.id.toString(), by.username).on("user", manager.id)
                .detail("delegation", delegation.id).detail("manager", manager.username).detail("delegate", delegate.username));
        changed.fire(new PeopleChanged(affected(manager, delegate), "delegation"));
    }

    /** The manager's delegations that are in force or still to come. */
    @Transactional
    public List<ManagerDelegation> open(UUID managerId) {
        return ManagerDelegation.open(managerId, clock.instant());
    }

    /** Whose approvals a delegation changes: the manager's reports, and the two people. */
    private static Set<UUID> affected(User manager, User delegate) {
        Set<UUID> ids = new HashSet<>();
        ids.add(manager.id);
        ids.add(delegate.id);
        User.<User>list("managerId", manager.id).forEach(u -> ids.add(u.id));
        return Set.copyOf(ids);
    }
}
