package dev.latch.inventory;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.Group;
import dev.latch.identity.GroupMembership;
import dev.latch.identity.User;
import dev.latch.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Admin pages for who may use what: groups and their members, and entitlements. */
@Path("/admin/access")
@AdminOnly
public class AdminAccessResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance access(List<GroupRow> groups, List<EntitlementRow> entitlements, List<LevelOption> levels,
                String query);

        static native TemplateInstance group(Group group, List<MemberRow> members);

        static native TemplateInstance entitlement(EntitlementRow entitlement, List<GroupRow> groups, boolean manager,
                UUID approverGroup, int approvals, long maxHours);
    }

    public record GroupRow(UUID id, String name, String description, long members, String source) {
    }

    public record EntitlementRow(UUID id, String group, String target, String level, String mode, String maxDuration,
            String approvals, String source) {
    }

    public record LevelOption(UUID id, String label) {
    }

    public record MemberRow(UUID userId, String username, String displayName, String source) {
    }

    private final AccessAdministration administration;
    private final CurrentSession current;
    private final Flash flash;

    public AdminAccessResource(AccessAdministration administration, CurrentSession current, Flash flash) {
        this.administration = administration;
        this.current = current;
        this.flash = flash;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance page(@jakarta.ws.rs.QueryParam("q") String query) {
        String q = query == null ? "" : query.trim().toLowerCase(java.util.Locale.ROOT);
        Map<UUID, Group> groups = Group.<Group>listAll().stream().collect(Collectors.toMap(g -> g.id, Function.identity()));
        Map<UUID, AccessLevel> levels = AccessLevel.<AccessLevel>listAll().stream().collect(Collectors.toMap(l -> l.id, Function.identity()));
        List<GroupRow> allGroups = groups.values().stream().sorted(Comparator.comparing(g -> g.name))
                .map(g -> new GroupRow(g.id, g.name, g.description, GroupMembership.count("key.groupId", g.id), g.source)).toList();
        List<GroupRow> groupRows = allGroups;
        List<EntitlementRow> entitlementRows = Entitlement.<Entitlement>listAll().stream()
                .map(e -> new EntitlementRow(e.id, groups.get(e.groupId).name, target(levels.get(e.accessLevelId)),
                        levels.get(e.accessLevelId).name, e.mode, dev.latch.web.TimeFormats.length(e.maxDuration), approvals(e, groups), e.source))
                .sorted(Comparator.comparing(EntitlementRow::group).thenComparing(EntitlementRow::target).thenComparing(EntitlementRow::level))
                .toList();
        List<LevelOption> levelOptions = levels.values().stream()
                .map(l -> new LevelOption(l.id, target(l) + " / " + l.name))
                .sorted(Comparator.comparing(LevelOption::label)).toList();
        if (!q.isEmpty()) {
            groupRows = groupRows.stream().filter(g -> g.name().contains(q)).toList();
            entitlementRows = entitlementRows.stream()
                    .filter(e -> (e.group() + " " + e.target() + " " + e.level()).toLowerCase(java.util.Locale.ROOT).contains(q)).toList();
        }
        return Templates.access(groupRows, entitlementRows, levelOptions, query == null ? "" : query);
    }

    @POST
    @Path("/groups")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createGroup(@FormParam("name") String name, @FormParam("description") String description) {
        Group group = administration.createGroup(name, description, current.user());
        flash.success("Group " + group.name + " created.");
        return Response.seeOther(URI.create("/admin/access/groups/" + group.id)).build();
    }

    @GET
    @Path("/groups/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance group(@PathParam("id") UUID id) {
        Group group = Group.findById(id);
        if (group == null) {
            throw dev.latch.web.ProblemException.notFound("There is no such group.");
        }
        List<MemberRow> members = GroupMembership.<GroupMembership>list("key.groupId", id).stream()
                .map(m -> {
                    User user = User.findById(m.key.userId());
                    return new MemberRow(user.id, user.username, user.displayName, m.source);
                })
                .sorted(Comparator.comparing(MemberRow::username)).toList();
        return Templates.group(group, members);
    }

    @POST
    @Path("/groups/{id}/members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @dev.latch.identity.StepUp("change the members of a group")
    public Response addMember(@PathParam("id") UUID id, @FormParam("username") String username) {
        administration.addMember(id, username == null ? "" : username.trim().toLowerCase(), current.user());
        flash.success(username + " added.");
        return Response.seeOther(URI.create("/admin/access/groups/" + id)).build();
    }

    @POST
    @Path("/groups/{id}/members/{user}/remove")
    @dev.latch.identity.StepUp("change the members of a group")
    public Response removeMember(@PathParam("id") UUID id, @PathParam("user") UUID user) {
        administration.removeMember(id, user, current.user());
        flash.success("Member removed.");
        return Response.seeOther(URI.create("/admin/access/groups/" + id)).build();
    }

    @POST
    @Path("/groups/{id}/delete")
    @dev.latch.identity.StepUp("delete a group")
    public Response deleteGroup(@PathParam("id") UUID id) {
        administration.deleteGroup(id, current.user());
        flash.success("Group deleted, with its entitlements.");
        return Response.seeOther(URI.create("/admin/access")).build();
    }

    @POST
    @Path("/entitlements")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @dev.latch.identity.StepUp("change an entitlement")
    public Response createEntitlement(@FormParam("group") UUID group, @FormParam("level") UUID level, @FormParam("mode") String mode,
            @FormParam("maxHours") int maxHours, @FormParam("approverGroup") String approverGroup,
            @FormParam("approvals") int approvals, @FormParam("manager") String manager) {
        administration.createEntitlement(new AccessAdministration.EntitlementRequest(group, level, mode, maxHours,
                approverGroup == null || approverGroup.isBlank() ? null : UUID.fromString(approverGroup), approvals,
                "on".equals(manager) || "true".equals(manager)), current.user());
        flash.success("Entitlement added.");
        return Response.seeOther(URI.create("/admin/access")).build();
    }

    @GET
    @Path("/entitlements/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance entitlement(@PathParam("id") UUID id) {
        Entitlement entitlement = Entitlement.findById(id);
        if (entitlement == null) {
            throw dev.latch.web.ProblemException.notFound("There is no such entitlement.");
        }
        Map<UUID, Group> groups = Group.<Group>listAll().stream().collect(Collectors.toMap(g -> g.id, Function.identity()));
        AccessLevel level = AccessLevel.findById(entitlement.accessLevelId);
        List<ApprovalStep> steps = ApprovalStep.list("entitlementId = ?1 order by position", id);
        ApprovalStep groupStep = steps.stream().filter(st -> "group".equals(st.approverKind)).findFirst().orElse(null);
        List<GroupRow> groupRows = groups.values().stream().sorted(Comparator.comparing(g -> g.name))
                .map(g -> new GroupRow(g.id, g.name, g.description, 0, g.source)).toList();
        return Templates.entitlement(new EntitlementRow(entitlement.id, groups.get(entitlement.groupId).name, target(level), level.name,
                entitlement.mode, dev.latch.web.TimeFormats.length(entitlement.maxDuration), approvals(entitlement, groups), entitlement.source),
                groupRows, steps.stream().anyMatch(st -> "manager".equals(st.approverKind)),
                groupStep == null ? null : groupStep.approverGroupId, groupStep == null ? 1 : groupStep.requiredApprovals,
                entitlement.maxDuration.toHours());
    }

    @POST
    @Path("/entitlements/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @dev.latch.identity.StepUp("change an entitlement")
    public Response updateEntitlement(@PathParam("id") UUID id, @FormParam("maxHours") int maxHours,
            @FormParam("approverGroup") String approverGroup, @FormParam("approvals") int approvals, @FormParam("manager") String manager) {
        administration.updateEntitlement(id, maxHours, approverGroup == null || approverGroup.isBlank() ? null : UUID.fromString(approverGroup),
                approvals, "on".equals(manager) || "true".equals(manager), current.user());
        flash.success("Entitlement saved.");
        return Response.seeOther(URI.create("/admin/access")).build();
    }

    @POST
    @Path("/groups/{id}/describe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response describeGroup(@PathParam("id") UUID id, @FormParam("description") String description) {
        administration.describeGroup(id, description, current.user());
        flash.success("Group saved.");
        return Response.seeOther(URI.create("/admin/access/groups/" + id)).build();
    }

    @POST
    @Path("/entitlements/{id}/delete")
    @dev.latch.identity.StepUp("change an entitlement")
    public Response deleteEntitlement(@PathParam("id") UUID id) {
        administration.deleteEntitlement(id, current.user());
        flash.success("Entitlement removed.");
        return Response.seeOther(URI.create("/admin/access")).build();
    }

    private static String target(AccessLevel level) {
        return level.cluster != null
                ? level.cluster.account.environment + " / cluster " + level.cluster.name
                : level.account.environment + " / account " + level.account.name;
    }

    private static String approvals(Entitlement entitlement, Map<UUID, Group> groups) {
        if (!"requestable".equals(entitlement.mode)) {
            return "";
        }
        return ApprovalStep.<ApprovalStep>list("entitlementId = ?1 order by position", entitlement.id).stream()
                .map(s -> "manager".equals(s.approverKind) ? "the manager"
                        : s.requiredApprovals + " of " + groups.get(s.approverGroupId).name)
                .collect(Collectors.joining(" and "));
    }
}
