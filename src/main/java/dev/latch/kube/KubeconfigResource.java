package dev.latch.kube;

import dev.latch.broker.BrokerConfig;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.StepUpResource;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Kubeconfigs in the browser: "Download kubeconfig" for one cluster level, "All my clusters",
 * and "My kubeconfigs" (live issuances with their countdown, each revocable; administrators see
 * everyone's). Production downloads need a fresh key touch: without one the browser goes to the
 * step-up page and comes back to a confirmation page with the download button.
 */
@Path("/kube")
@SignedIn
public class KubeconfigResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance kubeconfigs(List<IssuanceView> mine, List<IssuanceView> everyone, boolean admin);

        static native TemplateInstance kubeconfigs$rows(List<IssuanceView> mine, List<IssuanceView> everyone, boolean admin);

        static native TemplateInstance confirm(String levelId, String what, boolean all);
    }

    /** A row of "My kubeconfigs". */
    public record IssuanceView(UUID id, String owner, String context, String cluster, String account, String level, String channel,
            String issued, String expires, String expiresIso, String remaining, String lastUsed, long tokens) {
    }

    private final Issuances issuances;
    private final CurrentSession current;
    private final BrokerConfig broker;
    private final Clock clock;

    public KubeconfigResource(Issuances issuances, CurrentSession current, BrokerConfig broker, Clock clock) {
        this.issuances = issuances;
        this.current = current;
        this.broker = broker;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.kubeconfigs(views(issuances.live(current.user().id)), everyone(), current.isAdmin());
    }

    /** The confirmation page a production download comes back to after the key touch. */
    @GET
    @Path("/new")
    @Produces(MediaType.TEXT_HTML)
    public Object confirm(@QueryParam("level") UUID levelId, @QueryParam("all") boolean all) {
        if (all) {
            return Templates.confirm("", "all your clusters", true);
        }
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.cluster == null) {
            throw ProblemException.notFound("No cluster access level with this id.");
        }
        return Templates.confirm(levelId.toString(), level.cluster.name + " (" + level.name + ")", false);
    }

    @POST
    @Path("/issuances")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response download(@FormParam("level") UUID levelId) {
        User user = current.user();
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.cluster == null) {
            throw issuances.refused(user, levelId, null, "browser", ProblemException.notFound("No cluster access level with this id."));
        }
        if (broker.needsStepUp(level.cluster.account.environment) && !current.isSteppedUp()) {
            return StepUpResource.touchThenGoTo("/kube/new?level=" + levelId);
        }
        Issuance issuance = issuances.issue(user, levelId, "browser");
        return yaml(issuances.render(user, List.of(issuance)), issuance.cluster.contextName);
    }

    /** "All my clusters": one file with a context for every cluster level the person may use now. */
    @POST
    @Path("/issuances/all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response downloadAll() {
        User user = current.user();
        List<AccessLevel> levels = issuances.standingClusterLevels(user);
        if (levels.isEmpty()) {
            throw ProblemException.notFound("You have no cluster you may use now. Clusters on request appear once a request is approved.");
        }
        boolean production = levels.stream().anyMatch(l -> broker.needsStepUp(l.cluster.account.environment));
        if (production && !current.isSteppedUp()) {
            return StepUpResource.touchThenGoTo("/kube/new?all=true");
        }
        List<Issuance> issued = levels.stream().map(l -> issuances.issue(user, l.id, "browser")).toList();
        return yaml(issuances.render(user, issued), "all-clusters");
    }

    @POST
    @Path("/{id}/revoke")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance revoke(@PathParam("id") UUID id) {
        issuances.revoke(id, current.user(), "revoked in the portal by " + current.user().username);
        return Templates.kubeconfigs$rows(views(issuances.live(current.user().id)), everyone(), current.isAdmin());
    }

    private List<IssuanceView> everyone() {
        return current.isAdmin() ? views(issuances.liveForEveryone()) : List.of();
    }

    private List<IssuanceView> views(List<Issuance> list) {
        Instant now = clock.instant();
        return list.stream().map(i -> new IssuanceView(i.id, i.user.username, i.cluster.contextName, i.cluster.name,
                i.cluster.account.name + " (" + i.cluster.account.accountId + ")", i.level.name, i.channel, TimeFormats.display(i.issuedAt),
                TimeFormats.display(i.expiresAt), i.expiresAt.toString(), TimeFormats.countdown(Duration.between(now, i.expiresAt), "expired"),
                i.lastUsedAt == null ? "never" : TimeFormats.display(i.lastUsedAt), i.tokenCount)).toList();
    }

    private static Response yaml(String body, String name) {
        return Response.ok(body, "application/yaml; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"latch-" + name + ".kubeconfig.yaml\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
