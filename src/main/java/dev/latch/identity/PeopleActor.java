package dev.latch.identity;

import dev.latch.audit.AuditEntry;

/** Who changes people's managers and groups, as the audit log names them, and which owner they act as. */
public record PeopleActor(PeopleSource source, User user, String component) {

    /** An administrator, in the portal or the admin API. */
    public static PeopleActor admin(User user) {
        return new PeopleActor(PeopleSource.LOCAL, user, null);
    }

    /** A component acting for an owner: the inventory file's sync, a SCIM client, the upstream sign-in. */
    public static PeopleActor system(PeopleSource source, String component) {
        return new PeopleActor(source, null, component);
    }

    AuditEntry by(AuditEntry entry) {
        return user != null ? entry.byUser(user.id.toString(), user.username) : entry.bySystem(component);
    }
}
