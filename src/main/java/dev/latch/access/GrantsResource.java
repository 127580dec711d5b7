package dev.latch.access;

import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.StepUpResource;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.web.Flash;
import dev.latch.web.ProblemException;
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
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Grants in the browser: "My grants" on the dashboard (live, with countdown, end early, extend),
 * revocation by administrators and approvers, and break-glass.
 */
@Path("/")
@SignedIn
public class GrantsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mine(List<RequestViews.GrantRow> grants, List<RequestViews.GrantRow> ended);

        static native TemplateInstance breakGlass(String levelId, String level, String group, String maxDuration, List<String> durations);
    }

    private final Grants grants;
    private final AccessRequests requests;
    private final BreakGlass breakGlass;
    private final AccessConfig config;
    private final CurrentSession current;
    private final Flash flash;
    private final Clock clock;

    public GrantsResource(Grants grants, AccessRequests requests, BreakGlass breakGlass, AccessConfig config, CurrentSession current,
            Flash flash, Clock clock) {
        this.breakGlass = breakGlass;
        this.grants = grants;
        this.requests = requests;
        this.config = config;
        this.current = current;
        this.flash = flash;
        this.clock = clock;
    }

    /**
     * The dashboard loads this fragment (and refreshes it), so My access shows live grants, and for
     * a day the ones that ended: a revoked grant says so instead of vanishing.
     */
    @GET
    @Path("grants/mine")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance mine() {
        java.time.Instant now = clock.instant();
        UUID me = current.user().id;
        return Templates.mine(RequestViews.grants(grants.live(me), now), RequestViews.grants(grants.recentlyEnded(me), now));
    }

    @POST
    @Path("grants/{id}/end")
    public Response endEarly(@PathParam("id") UUID id) {
        grants.endEarly(id, current.user());
        flash.success("Grant ended. Its kubeconfigs and credentials stop working now.");
        return Response.seeOther(URI.create("/")).build();
    }

    @POST
    @Path("grants/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") UUID id, @FormParam("reason") String reason) {
        User actor = current.user();
        AccessGrant grant = AccessGrant.findById(id);
        if (grant == null) {
            throw ProblemException.notFound("No grant with this id.");
        }
        AccessRequest request = AccessRequest.findById(grant.requestId);
        boolean may = current.isAdmin() || (request != null && requests.mayDecide(request, actor));
        grants.revoke(id, actor, may, reason);
        flash.success("Grant revoked.");
        return Response.seeOther(URI.create("/requests/" + grant.requestId)).build();
    }

    /** The break-glass form; a fresh key touch first, so the form is not filled in vain. */
    @GET
    @Path("break-glass")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public Object breakGlassForm(@QueryParam("level") UUID levelId) {
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null) {
            throw ProblemException.notFound("No access level with this id.");
        }
        String group = config.breakGlassGroup().orElseThrow(() -> ProblemException.forbidden("break-glass-off",
                "Break-glass is not set up on this portal."));
        if (!level.breakGlass) {
            throw ProblemException.forbidden("not-break-glass-level", AccessRequests.levelName(level) + " does not allow break-glass.");
        }
        if (!current.isSteppedUp()) {
            return StepUpResource.touchThenGoTo("/break-glass?level=" + levelId);
        }
        List<String> durations = java.util.stream.Stream.of("15m", "30m", "1h", "2h", "4h", "8h")
                .filter(d -> Durations.parse(d).compareTo(config.breakGlassMaxDuration()) <= 0).toList();
        return Templates.breakGlass(levelId.toString(), AccessRequests.levelName(level), group,
                dev.latch.web.TimeFormats.length(config.breakGlassMaxDuration()), durations);
    }

    /** Without a fresh touch the browser is sent to touch its key and back to the form. */
    @POST
    @Path("break-glass")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response breakGlass(@FormParam("level") UUID levelId, @FormParam("duration") String duration, @FormParam("reason") String reason) {
        AccessGrant grant;
        try {
            grant = breakGlass.activate(current.user(), levelId, duration, reason, current.isSteppedUp());
        } catch (ProblemException refused) {
            if (refused.status() == 428 && levelId != null) {
                return StepUpResource.touchThenGoTo("/break-glass?level=" + levelId);
            }
            throw refused;
        }
        flash.set(Flash.Kind.WARNING, "Break-glass is active until " + grant.endsAt + ". Every approver has been alerted.");
        return Response.seeOther(URI.create("/requests/" + grant.requestId)).build();
    }
}
