package dev.latch.inventory;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.Group;
import dev.latch.identity.GroupMembership;
import dev.latch.identity.Memberships;
import dev.latch.identity.PeopleActor;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Changes to groups, memberships and entitlements made by administrators. Objects owned by the
 * inventory file are read-only here (the file is their source of truth); every change is audited.
 */
@ApplicationScoped
public class AccessAdministration {

    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final Memberships memberships;
    private final AuditLog audit;
    private final Clock clock;

    public AccessAdministration(Memberships memberships, AuditLog audit, Clock clock) {
        this.memberships = memberships;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Group createGroup(String rawName, String description, User by) {
        String name = rawName == null ? "" : rawName.trim().toLowerCase();
        if (!GROUP_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("invalid-group-name",
                    "A group name is 1 to 63 characters: lower-case letters, digits, dot, dash or underscore.");
        }
        if (Group.count("name", name) > 0) {
            throw new ProblemException(409, "conflict", "Conflict", "A group named " + name + " already exists.");
        }
        Group group = new Group();
        group.id = UUID.randomUUID();
        group.name = name;
        group.description = description == null || description.isBlank() ? null : description.trim();
        group.source = "local";
        group.createdAt = clock.instant();
        group.persist();
        audit.record(AuditEntry.of("group.created").byUser(by.id.toString(), by.username).on("group", group.id).detail("name", name));
        return group;
    }

    @Transactional
    public void deleteGroup(UUID id, User by) {
        Group group = group(id);
        requireEditable(group.source, "group " + group.name);
        if (ApprovalStep.count("approverGroupId", id) > 0) {
            throw new ProblemException(409, "group-in-use", "Group in use",
                    "The group " + group.name + " approves requests for some entitlement; change those first.");
        }
        group.delete();
        audit.record(AuditEntry.of("group.deleted").byUser(by.id.toString(), by.username).on("group", id).detail("name", group.name));
    }

    @Transactional
    public void addMember(UUID groupId, String username, User by) {
        Group group = group(groupId);
        User member = User.findByUsername(username).orElseThrow(() -> ProblemException.badRequest("unknown-user",
                "There is no user named " + username + "."));
        memberships.add(group, member, PeopleActor.admin(by));
    }

    @Transactional
    public void removeMember(UUID groupId, UUID userId, User by) {
        GroupMembership membership = GroupMembership.findById(new GroupMembership.Key(groupId, userId));
        if (membership == null) {
            throw ProblemException.notFound("That person is not in this group.");
        }
        requireEditable(membership.source, "this membership");
        memberships.remove(group(groupId), User.findById(userId), PeopleActor.admin(by));
    }

    /** What an admin asks for; {@code approverGroupId} and {@code managerApproves} make the approval steps. */
    public record EntitlementRequest(UUID groupId, UUID levelId, String mode, int maxHours, UUID approverGroupId,
            int approvals, boolean managerApproves) {
    }

    @Transactional
    public Entitlement createEntitlement(EntitlementRequest request, User by) {
        group(request.groupId());
        if (request.levelId() == null || AccessLevel.findById(request.levelId()) == null) {
            throw ProblemException.badRequest("unknown-level", "Choose an access level.");
        }
        if (!"standing".equals(request.mode()) && !"requestable".equals(request.mode())) {
            throw ProblemException.badRequest("invalid-mode", "The mode is standing or requestable.");
        }
        if (request.maxHours() < 1 || request.maxHours() > 24 * 90) {
            throw ProblemException.badRequest("invalid-duration", "The longest duration is 1 hour to 90 days.");
        }
        boolean requestable = request.mode().equals("requestable");
        if (requestable && request.approverGroupId() == null && !request.managerApproves()) {
            throw ProblemException.badRequest("no-approvers",
                    "A requestable entitlement needs someone to approve: the requester's manager, an approver group, or both.");
        }
        if (Entitlement.count("groupId = ?1 and accessLevelId = ?2 and mode = ?3", request.groupId(), request.levelId(), request.mode()) > 0) {
            throw new ProblemException(409, "conflict", "Conflict", "This group already has that access.");
        }
        Instant now = clock.instant();
        Entitlement entitlement = new Entitlement();
        entitlement.id = UUID.randomUUID();
        entitlement.groupId = request.groupId();
        entitlement.accessLevelId = request.levelId();
        entitlement.mode = request.mode();
        entitlement.maxDuration = Duration.ofHours(request.maxHours());
        entitlement.source = "ui";
        entitlement.createdAt = now;
        entitlement.updatedAt = now;
        entitlement.persist();
        if (requestable) {
            int position = 1;
            if (request.managerApproves()) {
                step(entitlement.id, position++, "manager", null, 1);
            }
            if (request.approverGroupId() != null) {
                group(request.approverGroupId());
                step(entitlement.id, position, "group", request.approverGroupId(), Math.max(1, Math.min(10, request.approvals())));
            }
        }
        audit.record(AuditEntry.of("entitlement.created").byUser(by.id.toString(), by.username).on("entitlement", entitlement.id)
                .detail("group_id", request.groupId()).detail("level_id", request.levelId()).detail("mode", request.mode())
                .detail("max_hours", request.maxHours()));
        return entitlement;
    }

    /** Changes an entitlement's longest duration and approval steps; group, level and mode are its identity. */
    @Transactional
    public void updateEntitlement(UUID id, int maxHours, UUID approverGroupId, int approvals, boolean managerApproves, User by) {
        Entitlement entitlement = Entitlement.findById(id);
        if (entitlement == null) {
            throw ProblemException.notFound("There is no such entitlement.");
        }
        requireEditable(entitlement.source, "this entitlement");
        if (maxHours < 1 || maxHours > 24 * 90) {
            throw ProblemException.badRequest("invalid-duration", "The longest duration is 1 hour to 90 days.");
        }
        boolean requestable = "requestable".equals(entitlement.mode);
        if (requestable && approverGroupId == null && !managerApproves) {
            throw ProblemException.badRequest("no-approvers",
                    "A requestable entitlement needs someone to approve: the requester's manager, an approver group, or both.");
        }
        entitlement.maxDuration = Duration.ofHours(maxHours);
        entitlement.updatedAt = clock.instant();
        ApprovalStep.delete("entitlementId", id);
        if (requestable) {
            int position = 1;
            if (managerApproves) {
                step(id, position++, "manager", null, 1);
            }
            if (approverGroupId != null) {
                group(approverGroupId);
                step(id, position, "group", approverGroupId, Math.max(1, Math.min(10, approvals)));
            }
        }
        audit.record(AuditEntry.of("entitlement.updated").byUser(by.id.toString(), by.username).on("entitlement", id)
                .detail("max_hours", maxHours));
    }

    @Transactional
    public void describeGroup(UUID id, String description, User by) {
        Group group = group(id);
        requireEditable(group.source, "group " + group.name);
        group.description = description == null || description.isBlank() ? null : description.trim();
        audit.record(AuditEntry.of("group.updated").byUser(by.id.toString(), by.username).on("group", id));
    }

    @Transactional
    public void deleteEntitlement(UUID id, User by) {
        Entitlement entitlement = Entitlement.findById(id);
        if (entitlement == null) {
            throw ProblemException.notFound("There is no such entitlement.");
        }
        requireEditable(entitlement.source, "this entitlement");
        ApprovalStep.delete("entitlementId", id);
        entitlement.delete();
        audit.record(AuditEntry.of("entitlement.deleted").byUser(by.id.toString(), by.username).on("entitlement", id));
    }

    private static void step(UUID entitlementId, int position, String kind, UUID groupId, int approvals) {
        ApprovalStep step = new ApprovalStep();
        step.id = UUID.randomUUID();
        step.entitlementId = entitlementId;
        step.position = position;
        step.approverKind = kind;
        step.approverGroupId = groupId;
        step.requiredApprovals = approvals;
        step.persist();
    }

    private static Group group(UUID id) {
        Group group = id == null ? null : Group.findById(id);
        if (group == null) {
            throw ProblemException.badRequest("unknown-group", "Choose an existing group.");
        }
        return group;
    }

    /** Objects from the inventory file change only through the file (docs/inventory.md). */
    static void requireEditable(String source, String what) {
        if ("file".equals(source)) {
            throw new ProblemException(409, "owned-by-file", "Managed in the inventory file",
                    "The inventory file owns " + what + "; change it there.");
        }
    }
}
