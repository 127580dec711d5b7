package dev.latch.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.web.Flash;
import dev.latch.web.IpAddresses;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import dev.latch.webauthn.CeremonyJson;
import dev.latch.webauthn.KeyManagement;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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

/** The signed-in person's profile: security keys, active sessions, their manager, the people they manage and their delegates. */
@Path("/profile")
@SignedIn
public class ProfileResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance profile(User user, List<KeyView> keys, List<SessionView> sessions, boolean welcome,
                ManagerViews.ManagerView manager);

        static native TemplateInstance profile$keys(List<KeyView> keys);

        static native TemplateInstance profile$sessions(List<SessionView> sessions);
    }

    /** A key as the profile shows it. */
    public record KeyView(UUID id, String nickname, String model, String addedAt, String lastUsed, boolean suspectedClone,
            String compromised, boolean backedUp) {
    }

    /** A session as the profile shows it. */
    public record SessionView(UUID id, String started, String lastSeen, String ip, String client, boolean current) {
    }

    public record AddKey(String nickname) {
    }

    private final KeyManagement keys;
    private final KeyModels models;
    private final Sessions sessions;
    private final CurrentSession current;
    private final ObjectMapper json;
    private final ManagerViews managerViews;
    private final Delegations delegations;
    private final Flash flash;

    public ProfileResource(KeyManagement keys, KeyModels models, Sessions sessions, CurrentSession current, ObjectMapper json,
            ManagerViews managerViews, Delegations delegations, Flash flash) {
        this.managerViews = managerViews;
        this.delegations = delegations;
        this.flash = flash;
        this.keys = keys;
        this.models = models;
        this.sessions = sessions;
        this.current = current;
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance page(@QueryParam("welcome") String welcome) {
        User user = User.findById(current.user().id); // as stored now: the manager may have changed since the session was read
        return Templates.profile(user, keyViews(user), sessionViews(user), welcome != null, managerViews.of(user));
    }

    /** Names a delegate who approves as the signed-in person's stand-in for a while; like adding a key, it needs a fresh touch. */
    @POST
    @Path("/delegations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @StepUp(AdminUsersResource.NAME_DELEGATE)
    public Response nameDelegate(@FormParam("delegate") String delegate, @FormParam("starts") String starts, @FormParam("ends") String ends) {
        User me = current.user();
        delegations.name(me.id, new Delegations.Ask(delegate, ManagerViews.time("start", starts), ManagerViews.time("end", ends)), me);
        flash.success("Delegate named. They approve for the people you manage during that time.");
        return Response.seeOther(URI.create("/profile")).build();
    }

    @POST
    @Path("/delegations/{id}/end")
    public Response endDelegation(@PathParam("id") UUID id) {
        User me = current.user();
        delegations.end(me.id, id, me);
        flash.success("Delegation ended.");
        return Response.seeOther(URI.create("/profile")).build();
    }

    @GET
    @Path("/keys")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance keyList() {
        return Templates.profile$keys(keyViews(current.user()));
    }

    @POST
    @Path("/keys/start")
    @StepUp("add a security key")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.StartAnswer startAdding(AddKey add) {
        return CeremonyJson.answer(keys.startAdding(current.user(), add == null ? null : add.nickname()), json);
    }

    @POST
    @Path("/keys/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.Done finishAdding(CeremonyJson.Finish finish) {
        CeremonyJson.require(finish);
        keys.finishAdding(current.user(), finish.ceremonyId(), finish.credentialJson());
        return new CeremonyJson.Done("/profile");
    }

    @POST
    @Path("/keys/{id}/rename")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance rename(@PathParam("id") UUID id, @FormParam("nickname") String nickname) {
        keys.rename(current.user(), id, nickname);
        return Templates.profile$keys(keyViews(current.user()));
    }

    @POST
    @Path("/keys/{id}/remove")
    @StepUp("remove a security key")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance remove(@PathParam("id") UUID id) {
        keys.remove(current.user(), id, current.session().id);
        return Templates.profile$keys(keyViews(current.user()));
    }

    @POST
    @Path("/sessions/{id}/revoke")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance revokeSession(@PathParam("id") UUID id) {
        User user = current.user();
        if (!sessions.revoke(user.id, id, "revoked by its owner")) {
            throw ProblemException.notFound("You have no active session with that id.");
        }
        return Templates.profile$sessions(sessionViews(user));
    }

    private List<KeyView> keyViews(User user) {
        return keys.keys(user.id).stream().map(this::view).toList();
    }

    private KeyView view(WebAuthnCredential key) {
        return new KeyView(key.id, key.nickname, models.name(key.aaguid), TimeFormats.display(key.createdAt),
                TimeFormats.display(key.lastUsedAt), key.suspectedCloneAt != null, key.compromisedReason, key.backedUp);
    }

    private List<SessionView> sessionViews(User user) {
        UUID mine = current.session().id;
        return sessions.live(user.id).stream()
                .map(s -> new SessionView(s.id, TimeFormats.display(s.createdAt), TimeFormats.display(s.lastSeenAt),
                        s.ip == null ? "unknown" : IpAddresses.display(s.ip), ClientNames.of(s.userAgent), s.id.equals(mine)))
                .toList();
    }
}
