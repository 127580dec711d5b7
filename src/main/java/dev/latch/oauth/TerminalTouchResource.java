package dev.latch.oauth;

import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.StepUp;
import dev.latch.web.TimeFormats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * {@code /terminal/touch}: where a person allows production access from a signed-in terminal
 * with a key touch, as they approved its sign-in on {@code /device}. The helper opens (or prints)
 * this one address for every process and login, and goes on once the touch is recorded.
 */
@Path("/terminal/touch")
@SignedIn
public class TerminalTouchResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(List<WaitingView> waiting);

        static native TemplateInstance done(String clientName, String hostName);
    }

    /** A login waiting for a touch, as the page shows it. */
    public record WaitingView(UUID id, String purpose, String clientName, String hostName, String os, String askedAt) {
    }

    private final TerminalTouches touches;
    private final CurrentSession current;

    public TerminalTouchResource(TerminalTouches touches, CurrentSession current) {
        this.touches = touches;
        this.current = current;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.page(touches.waiting(current.user().id).stream()
                .map(f -> new WaitingView(f.id, f.touchPurpose, f.clientName, f.hostName == null ? "not reported" : f.hostName,
                        f.os == null ? "not reported" : f.os, TimeFormats.display(f.touchRequestedAt)))
                .toList());
    }

    /** Needs a key touch made after the terminal asked (see {@link TerminalTouches#confirm}). */
    @POST
    @Path("/{id}")
    @StepUp("allow production access from this terminal")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance confirm(@PathParam("id") UUID id) {
        TokenFamily family = touches.confirm(id, current.user(), current.session().steppedUpAt);
        return Templates.done(family.clientName, family.hostName);
    }
}
