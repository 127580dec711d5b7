package dev.latch.identity;

import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** What the person pages (Profile, Admin → Users → a person) show of managers and delegates: plain values for the templates. */
@ApplicationScoped
public class ManagerViews {

    /** A person as a line: "Bob Builder (bob)". */
    public record Person(UUID id, String username, String name) {
        static Person of(User user) {
            return new Person(user.id, user.username, user.displayName + " (" + user.username + ")");
        }
    }

    /** A delegation; {@code inForce}: now, else still to come. */
    public record DelegationRow(UUID id, String manager, String delegate, String starts, String ends, boolean inForce) {
    }

    /**
     * A person's manager and the people they manage. {@code manager} null and {@code pendingEmail}
     * null: none. {@code setBy} says who owns it ("the inventory file"); {@code ownedElsewhere}: an
     * administrator cannot change it here.
     */
    public record ManagerView(Person manager, String pendingEmail, String setBy, boolean ownedElsewhere, List<Person> reports,
            List<DelegationRow> delegations, List<DelegationRow> actingFor) {

        public boolean hasManager() {
            return manager != null || pendingEmail != null;
        }
    }

    private final Managers managers;
    private final Clock clock;

    public ManagerViews(Managers managers, Clock clock) {
        this.managers = managers;
        this.clock = clock;
    }

    /** Call inside a transaction. */
    public ManagerView of(User person) {
        Instant now = clock.instant();
        Person manager = managers.managerOf(person).map(Person::of).orElse(null);
        String source = person.managerSource;
        boolean set = person.managerId != null || person.managerEmail != null;
        return new ManagerView(manager, person.managerId == null ? person.managerEmail : null, set && source != null ? setBy(source) : null,
                set && source != null && !PeopleSource.LOCAL.dbValue().equals(source),
                managers.reportsOf(person).stream().map(Person::of).toList(),
                ManagerDelegation.open(person.id, now).stream().map(d -> row(d, now)).toList(),
                ManagerDelegation.openAsDelegate(person.id, now).stream().map(d -> row(d, now)).toList());
    }

    /** "set by the inventory file", as the admin page says who owns a manager. */
    static String setBy(String source) {
        return switch (PeopleSource.of(source)) {
            case LOCAL -> "an administrator in Latch";
            case FILE -> "the inventory file";
            case SCIM -> "the directory, through SCIM";
            case UPSTREAM -> "the identity provider's claim";
        };
    }

    private static DelegationRow row(ManagerDelegation d, Instant now) {
        User manager = User.findById(d.managerId);
        User delegate = User.findById(d.delegateId);
        return new DelegationRow(d.id, Person.of(manager).name(), Person.of(delegate).name(), TimeFormats.display(d.startsAt),
                TimeFormats.display(d.until()), d.inForceAt(now));
    }

    /** A form's date and time (UTC, from a datetime-local field); blank: null. */
    public static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("time-invalid", "The " + field + " must be a date and time (UTC), e.g. 2026-12-24T09:00.");
        }
    }
}
