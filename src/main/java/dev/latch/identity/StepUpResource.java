package dev.latch.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.RateLimiter;
import dev.latch.web.ProblemException;
import dev.latch.web.SafeRedirect;
import dev.latch.webauthn.CeremonyJson;
import dev.latch.webauthn.WebAuthnService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Map;

/**
 * Step-up: a fresh touch of one of the signed-in user's own keys, recorded on the session.
 * htmx actions marked {@link StepUp} run it in place (see latch.js); plain links use the page.
 */
@Path("/step-up")
@SignedIn
public class StepUpResource {

    static final RateLimiter.Limit PER_USER = new RateLimiter.Limit("step-up-user", 20, Duration.ofMinutes(1));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance stepUp(String next, String what);
    }

    private final WebAuthnService webauthn;
    private final Sessions sessions;
    private final CurrentSession current;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final jakarta.enterprise.inject.Instance<StepUpPurpose> purposes;

    public StepUpResource(WebAuthnService webauthn, Sessions sessions, CurrentSession current, RateLimiter rateLimiter,
            AuditLog audit, ObjectMapper json, jakarta.enterprise.inject.Instance<StepUpPurpose> purposes) {
        this.purposes = purposes;
        this.webauthn = webauthn;
        this.sessions = sessions;
        this.current = current;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.json = json;
    }

    /** For plain (non-htmx) actions: send the browser to the touch page, which comes back to {@code next}. */
    public static jakarta.ws.rs.core.Response touchThenGoTo(String next) {
        return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create("/step-up?next="
                + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8))).build();
    }

    /** The touch page names the action it confirms, as the feature behind {@code next} describes it. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance page(@QueryParam("next") String next) {
        String back = SafeRedirect.localPath(next, "/");
        return Templates.stepUp(back, describe(back));
    }

    private String describe(String next) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(next);
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
        Map<String, String> query = new java.util.HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                query.putIfAbsent(name, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        for (StepUpPurpose purpose : purposes) {
            java.util.Optional<String> what = purpose.describe(uri.getPath(), query::get);
            if (what.isPresent()) {
                return what.get();
            }
        }
        return null;
    }

    @POST
    @Path("/start")
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.StartAnswer start() {
        User user = current.user();
        rateLimiter.hit(PER_USER, user.id.toString());
        return CeremonyJson.answer(webauthn.startStepUp(user, current.session().id, Map.of()), json);
    }

    @POST
    @Path("/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.Done finish(CeremonyJson.Finish finish) {
        User user = current.user();
        rateLimiter.hit(PER_USER, user.id.toString());
        CeremonyJson.require(finish);
        try {
            WebAuthnService.VerifiedAssertion verified = webauthn.finishStepUp(finish.ceremonyId(), finish.credentialJson(),
                    user.id, current.session().id);
            sessions.markSteppedUp(current.session().id);
            audit.record(AuditEntry.of("session.stepped_up").byUser(user.id.toString(), user.username)
                    .on("session", current.session().id).detail("key", verified.credential().id));
        } catch (ProblemException refused) {
            audit.record(AuditEntry.of("session.stepped_up").byUser(user.id.toString(), user.username)
                    .on("session", current.session().id).failed(refused.detail()));
            throw refused;
        }
        return new CeremonyJson.Done(SafeRedirect.localPath(finish.next(), "/"));
    }
}
