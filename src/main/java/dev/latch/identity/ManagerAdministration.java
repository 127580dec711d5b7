package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * An administrator sets, changes or clears a person's manager (the Users page and the admin API),
 * through {@link Managers} as owner {@link PeopleSource#LOCAL}. A manager is named by username, or
 * by email for someone without an account yet (pending until they get one). Refusals (someone
 * else owns the manager, a circle, an unknown or disabled person) are audited.
 */
@ApplicationScoped
public class ManagerAdministration {

    /** How many people the manager search offers. */
    private static final int CANDIDATES = 10;

    private final Managers managers;
    private final Users users;
    private final AuditLog audit;

    public ManagerAdministration(Managers managers, Users users, AuditLog audit) {
        this.managers = managers;
        this.users = users;
        this.audit = audit;
    }

    /** Sets the manager named by {@code manager} (a username, or an email with "@"); blank or null clears it. */
    @Transactional
    public User assign(UUID personId, String manager, User by) {
        User person = users.get(personId);
        String named = manager == null ? "" : manager.trim();
        try {
            if (named.isEmpty()) {
                managers.set(person, null, PeopleActor.admin(by));
            } else if (named.contains("@")) {
                String email = Invitations.validEmail(named);
                User existing = User.findByEmail(email).orElse(null);
                managers.setByEmail(person, requireActive(existing, email), PeopleActor.admin(by));
            } else {
                User chosen = User.findByUsername(named).orElseThrow(() -> ProblemException.badRequest("unknown-user",
                        "There is no user named " + named + "."));
                requireActive(chosen, named);
                managers.set(person, chosen, PeopleActor.admin(by));
            }
            return person;
        } catch (ProblemException refused) {
            audit.recordRefusal(AuditEntry.of(named.isEmpty() ? "user.manager_cleared" : "user.manager_set")
                    .byUser(by.id.toString(), by.username).on("user", person.id).outcome(AuditEntry.Outcome.DENIED)
                    .detail("person", person.username).detail("manager", named.isEmpty() ? null : named).detail("reason", refused.code()));
            throw refused;
        }
    }

    /** Active people who could manage {@code person}, matching the search (not the person themselves). */
    @Transactional
    public List<User> candidates(UUID personId, String query) {
        if (query == null || query.isBlank()) {
            return List.of();
        }
        return users.search(query, CANDIDATES + 1).stream().filter(u -> !u.id.equals(personId) && u.isActive()).limit(CANDIDATES).toList();
    }

    /** A disabled person approves nothing, so naming them would leave the manager step with nobody. */
    private static String requireActive(User chosen, String named) {
        if (chosen != null && !chosen.isActive()) {
            throw new ProblemException(409, "manager-disabled", "Account disabled",
                    named + "'s account is disabled, so they could not approve anything as a manager.");
        }
        return named;
    }
}
