package dev.latch.broker;

import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.StepUpResource;
import dev.latch.inventory.AccessLevel;
import dev.latch.web.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/**
 * The dashboard's "AWS console" button: a federation sign-in link for the person's role session,
 * delivered as a redirect (the link is a bearer secret for 15 minutes). Production accounts need
 * a fresh key touch first, like production kubeconfigs.
 */
@Path("/aws/console")
@SignedIn
public class AwsConsoleResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(String levelId, String what);
    }

    private final AwsAccess aws;
    private final CurrentSession current;
    private final BrokerConfig config;

    public AwsConsoleResource(AwsAccess aws, CurrentSession current, BrokerConfig config) {
        this.aws = aws;
        this.current = current;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response open(@FormParam("level") UUID levelId) {
        AccessLevel level = accountLevel(levelId);
        if (config.needsStepUp(level.account.environment) && !current.isSteppedUp()) {
            return StepUpResource.touchThenGoTo("/aws/console/confirm?level=" + levelId);
        }
        return Response.seeOther(URI.create(aws.console(current.user(), level, null).url())).header("Cache-Control", "no-store").build();
    }

    /** Where a production console sign-in comes back to after the key touch. */
    @GET
    @Path("/confirm")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance confirm(@QueryParam("level") UUID levelId) {
        AccessLevel level = accountLevel(levelId);
        return Templates.confirm(levelId.toString(), level.account.name + " (" + level.name + ")");
    }

    private static AccessLevel accountLevel(UUID levelId) {
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.account == null) {
            throw ProblemException.notFound("No AWS account access level with this id.");
        }
        return level;
    }
}
