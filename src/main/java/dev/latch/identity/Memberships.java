package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * The one way people join and leave groups, whoever asks (an administrator, the inventory file,
 * SCIM, the upstream sign-in): each change is audited and fires {@link PeopleChanged}, and an owner
 * removes only the memberships it made.
 */
@ApplicationScoped
public class Memberships {

    private final Event<PeopleChanged> changed;
    private final AuditLog audit;
    private final Clock clock;

    public Memberships(Event<PeopleChanged> changed, AuditLog audit, Clock clock) {
        this.changed = changed;
        this.audit = audit;
        this.clock = clock;
    }

    /** Puts the person in the group; nothing happens if they are in it already. Returns whether it was new. */
    @Transactional
    public boolean add(Group group, User member, PeopleActor by) {
        GroupMembership.Key key = new GroupMembership.Key(group.id, member.id);
        if (GroupMembership.findById(key) != null) {
            return false;
        }
        GroupMembership membership = new GroupMembership();
        membership.key = key;
        membership.source = by.source().dbValue();
        membership.createdAt = clock.instant();
        membership.persist();
        audit.record(by.by(AuditEntry.of("group.member_added")).on("group", group.id).detail("group", group.name)
                .detail("member", member.username).detail("source", membership.source));
        changed.fire(PeopleChanged.of(member.id, "group " + group.name));
        return true;
    }

    /** Takes the person out of the group, if the caller's owner made the membership. Returns whether there was one. */
    @Transactional
    public boolean remove(Group group, User member, PeopleActor by) {
        GroupMembership membership = GroupMembership.findById(new GroupMembership.Key(group.id, member.id));
        if (membership == null) {
            return false;
        }
        if (!membership.source.equals(by.source().dbValue())) {
            throw new ProblemException(409, "membership-owned-elsewhere", "Managed elsewhere", member.username + "'s membership of "
                    + group.name + " comes from " + PeopleSource.of(membership.source).owner() + "; change it there.");
        }
        membership.delete();
        audit.record(by.by(AuditEntry.of("group.member_removed")).on("group", group.id).detail("group", group.name)
                .detail("member", member.username).detail("member_id", member.id).detail("source", membership.source));
        changed.fire(PeopleChanged.of(member.id, "group " + group.name));
        return true;
    }
}
