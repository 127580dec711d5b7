package dev.latch.identity;

import dev.latch.web.Flash;
import dev.latch.web.TimeFormats;
import dev.latch.webauthn.KeyManagement;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Admin pages for people: list and search, invite, offboard, re-enable, end sessions, key recovery
 * links, and a person's manager and delegates.
 */
@Path("/admin/users")
@AdminOnly
public class AdminUsersResource {

    private static final int PAGE = 200;

    static final String CHANGE_MANAGER = "change a person's manager";

    static final String NAME_DELEGATE = "name a delegate";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<UserRow> users, String query, List<InvitationRow> invitations,
                List<FlaggedKey> flagged, List<RecoveryRow> recoveries);

        static native TemplateInstance list$rows(List<UserRow> users);

        static native TemplateInstance list$invitations(List<InvitationRow> invitations);

        static native TemplateInstance user(User user, List<KeyRow> keys, int liveSessions, ManagerViews.ManagerView manager,
                List<ManagerViews.Person> candidates, String managerQuery);

        static native TemplateInstance user$candidates(User user, List<ManagerViews.Person> candidates, String managerQuery);

        static native TemplateInstance link(String username, String url, String expires, boolean newUser);

        static native TemplateInstance recoveryPending(User user);
    }

    /** A key-recovery link for an approver that waits for a second administrator. */
    public record RecoveryRow(UUID id, String username, String requestedBy, String requestedAt) {
    }

    public record UserRow(UUID id, String username, String displayName, String email, boolean admin, boolean active, int keys) {
    }

    public record InvitationRow(UUID id, String username, String kind, boolean admin, String expires) {
    }

    /** A key on the person page; {@code revoked} says when and why, or is null for a key that can sign. */
    public record KeyRow(UUID id, String nickname, String model, String added, String lastUsed, boolean suspectedClone,
            String compromised, String revoked) {
    }

    public record FlaggedKey(UUID userId, String username, String nickname, String since) {
    }

    private final Users users;
    private final Invitations invitations;
    private final Sessions sessions;
    private final KeyModels models;
    private final CurrentSession current;
    private final Flash flash;
    private final KeyManagement keyManagement;
    private final KeyRecovery recovery;
    private final ManagerAdministration managers;
    private final ManagerViews managerViews;
    private final Delegations delegations;

    public AdminUsersResource(Users users, Invitations invitations, Sessions sessions, KeyModels models,
            CurrentSession current, Flash flash, KeyManagement keyManagement, KeyRecovery recovery, ManagerAdministration managers,
            ManagerViews managerViews, Delegations delegations) {
        this.managers = managers;
        this.managerViews = managerViews;
        this.delegations = delegations;
        this.keyManagement = keyManagement;
        this.recovery = recovery;
        this.users = users;
        this.invitations = invitations;
        this.sessions = sessions;
        this.models = models;
        this.current = current;
        this.flash = flash;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance list(@QueryParam("q") String query) {
        return Templates.list(rows(query), query == null ? "" : query, invitationRows(), flaggedKeys(), recoveryRows());
    }

    /** The table body for the live search. */
    @GET
    @Path("/rows")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance rows(@QueryParam("q") String query, @jakarta.ws.rs.HeaderParam("HX-Request") String htmx) {
        return Templates.list$rows(rows(query));
    }

    @POST
    @Path("/invite")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance invite(@FormParam("username") String username, @FormParam("email") String email,
            @FormParam("displayName") String displayName, @FormParam("admin") String admin) {
        boolean administrator = administrator(admin);
        Invitations.Issued issued = invitations.invite(new Invitations.Request(username, email, displayName, administrator), current.user());
        return Templates.link(issued.invitation().username, issued.url(), TimeFormats.display(issued.invitation().expiresAt), true);
    }

    /** Creates the account now and shows a one-time link with which its owner registers a key. */
    @POST
    @Path("/create")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance create(@FormParam("username") String username, @FormParam("email") String email,
            @FormParam("displayName") String displayName, @FormParam("admin") String admin) {
        boolean administrator = administrator(admin);
        User user = QuarkusTransaction.requiringNew().call(() -> users.create(
                new Invitations.Request(username, email, displayName, administrator), current.user()));
        Invitations.Issued issued = invitations.inviteExisting(user, current.user());
        return Templates.link(user.username, issued.url(), TimeFormats.display(issued.invitation().expiresAt), true);
    }

    @POST
    @Path("/invitations/{id}/revoke")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance revokeInvitation(@PathParam("id") UUID id) {
        invitations.revoke(id, current.user());
        return Templates.list$invitations(invitationRows());
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance user(@PathParam("id") UUID id, @QueryParam("mq") String managerQuery) {
        User user = users.get(id);
        List<KeyRow> keys = WebAuthnCredential.everOfUser(id).stream()
                .map(k -> new KeyRow(k.id, k.nickname, models.name(k.aaguid), TimeFormats.display(k.createdAt),
                        TimeFormats.display(k.lastUsedAt), k.suspectedCloneAt != null, k.compromisedReason,
                        k.isRevoked() ? TimeFormats.display(k.revokedAt) + " (" + k.revokedReason + ")" : null))
                .toList();
        return Templates.user(user, keys, sessions.live(id).size(), managerViews.of(user), candidates(id, managerQuery),
                managerQuery == null ? "" : managerQuery);
    }

    /** The people a search for a manager finds, for the live search on the person's page. */
    @GET
    @Path("/{id}/manager-candidates")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance managerCandidates(@PathParam("id") UUID id, @QueryParam("mq") String managerQuery) {
        return Templates.user$candidates(users.get(id), candidates(id, managerQuery), managerQuery == null ? "" : managerQuery);
    }

    /**
     * Sets or changes the manager (a username, or the email of someone without an account yet).
     * Manager approvals gate production access, so like group members it needs a fresh touch.
     */
    @POST
    @Path("/{id}/manager")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @StepUp(CHANGE_MANAGER)
    public Response setManager(@PathParam("id") UUID id, @FormParam("manager") String manager) {
        if (manager == null || manager.isBlank()) {
            throw dev.latch.web.ProblemException.badRequest("manager-required", "Choose the manager (a username or an email address).");
        }
        User person = managers.assign(id, manager, current.user());
        flash.success(person.managerId != null ? "Manager set." : "Manager set; it counts once " + manager.trim() + " has an account.");
        return back(id);
    }

    @POST
    @Path("/{id}/manager/clear")
    @StepUp(CHANGE_MANAGER)
    public Response clearManager(@PathParam("id") UUID id) {
        managers.assign(id, null, current.user());
        flash.success("Manager cleared. Requests that need a manager's approval cannot be approved for this person until one is set.");
        return back(id);
    }

    /** Names a delegate of this person (as a manager) for a period, e.g. while they are away. */
    @POST
    @Path("/{id}/delegations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @StepUp(NAME_DELEGATE)
    public Response nameDelegate(@PathParam("id") UUID id, @FormParam("delegate") String delegate, @FormParam("starts") String starts,
            @FormParam("ends") String ends) {
        delegations.name(id, new Delegations.Ask(delegate, ManagerViews.time("start", starts), ManagerViews.time("end", ends)),
                current.user());
        flash.success("Delegate named.");
        return back(id);
    }

    @POST
    @Path("/{id}/delegations/{delegation}/end")
    public Response endDelegation(@PathParam("id") UUID id, @PathParam("delegation") UUID delegation) {
        delegations.end(id, delegation, current.user());
        flash.success("Delegation ended.");
        return back(id);
    }

    @POST
    @Path("/{id}/disable")
    public Response disable(@PathParam("id") UUID id, @FormParam("reason") String reason) {
        users.disable(id, current.user(), reason == null || reason.isBlank() ? "disabled by an administrator" : reason.trim());
        flash.success("The user is disabled. Their sessions have ended and everything Latch handed out to them is revoked.");
        return back(id);
    }

    @POST
    @Path("/{id}/enable")
    @StepUp("enable a user")
    public Response enable(@PathParam("id") UUID id) {
        users.enable(id, current.user());
        flash.success("The user is enabled again.");
        return back(id);
    }

    /** Revokes one of the person's keys (lost, stolen); the person is told, and its sessions end. */
    @POST
    @Path("/{id}/keys/{key}/revoke")
    @StepUp("revoke a security key")
    public Response revokeKey(@PathParam("id") UUID id, @PathParam("key") UUID key, @FormParam("reason") String reason) {
        keyManagement.revokeFor(current.user(), id, key, reason);
        flash.success("The key is revoked: it cannot sign in, confirm or approve any more. The person has been told.");
        return back(id);
    }

    @POST
    @Path("/{id}/sessions/revoke")
    public Response revokeSessions(@PathParam("id") UUID id) {
        User user = users.get(id);
        int ended = sessions.revokeAll(user.id, "revoked by an administrator");
        flash.success(ended == 1 ? "1 session ended." : ended + " sessions ended.");
        return back(id);
    }

    /**
     * A one-time link with which an existing user registers a new key (for example after losing
     * every key). For someone who approves requests it may wait for a second administrator ({@link KeyRecovery}).
     */
    @POST
    @Path("/{id}/key-link")
    @StepUp("create a key-recovery link")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance keyLink(@PathParam("id") UUID id) {
        User user = users.get(id);
        KeyRecovery.Outcome outcome = recovery.ask(current.user(), id);
        return outcome.issued().map(issued -> Templates.link(user.username, issued.url(), TimeFormats.display(issued.invitation().expiresAt), false))
                .orElseGet(() -> Templates.recoveryPending(user));
    }

    /** A second administrator approves a recovery link for an approver; the link is shown to them only. */
    @POST
    @Path("/recovery/{approval}/approve")
    @StepUp("approve a key-recovery link")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance approveRecovery(@PathParam("approval") UUID approval) {
        Invitations.Issued issued = recovery.approve(current.user(), approval);
        return Templates.link(issued.invitation().username, issued.url(), TimeFormats.display(issued.invitation().expiresAt), false);
    }

    @POST
    @Path("/recovery/{approval}/refuse")
    public Response refuseRecovery(@PathParam("approval") UUID approval) {
        recovery.refuse(current.user(), approval);
        flash.success("The recovery request is refused; no link was issued.");
        return Response.seeOther(URI.create("/admin/users")).build();
    }

    /** Making someone an administrator is a role change: it needs a fresh touch. */
    private boolean administrator(String flag) {
        boolean administrator = "on".equals(flag) || "true".equals(flag);
        if (administrator) {
            current.requireStepUp("invite an administrator");
        }
        return administrator;
    }

    private static Response back(UUID id) {
        return Response.seeOther(URI.create("/admin/users/" + id)).build();
    }

    private List<ManagerViews.Person> candidates(UUID id, String query) {
        return managers.candidates(id, query).stream().map(ManagerViews.Person::of).toList();
    }

    private List<UserRow> rows(String query) {
        return users.search(query, PAGE).stream()
                .map(u -> new UserRow(u.id, u.username, u.displayName, u.email, u.admin, u.isActive(),
                        (int) WebAuthnCredential.countActive(u.id)))
                .toList();
    }

    private List<InvitationRow> invitationRows() {
        return invitations.pending().stream()
                .map(i -> new InvitationRow(i.id, i.username, i.kind, i.admin, TimeFormats.display(i.expiresAt)))
                .toList();
    }

    private List<RecoveryRow> recoveryRows() {
        return KeyRecoveryApproval.open().stream()
                .map(r -> new RecoveryRow(r.id, User.<User>findById(r.userId).username, User.<User>findById(r.requestedBy).username,
                        TimeFormats.display(r.requestedAt)))
                .toList();
    }

    private List<FlaggedKey> flaggedKeys() {
        return WebAuthnCredential.<WebAuthnCredential>list("revokedAt is null and (suspectedCloneAt is not null or compromisedReason is not null)").stream()
                .map(k -> {
                    User owner = User.findById(k.userId);
                    return new FlaggedKey(k.userId, owner.username, k.nickname,
                            TimeFormats.display(k.suspectedCloneAt != null ? k.suspectedCloneAt : k.createdAt));
                })
                .toList();
    }
}
