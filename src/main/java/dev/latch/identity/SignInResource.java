package dev.latch.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.RateLimiter;
import dev.latch.web.Flash;
import dev.latch.web.ProblemException;
import dev.latch.web.RequestIds;
import dev.latch.web.SafeRedirect;
import dev.latch.webauthn.CeremonyJson;
import dev.latch.webauthn.WebAuthnService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** "Sign in with security key" (discoverable credential, or username first) and sign-out. */
@Path("/signin")
public class SignInResource {

    static final RateLimiter.Limit PER_IP = new RateLimiter.Limit("signin-ip", 30, Duration.ofMinutes(1));
    static final RateLimiter.Limit PER_USERNAME = new RateLimiter.Limit("signin-user", 10, Duration.ofMinutes(1));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(String next);
    }

    /** A sign-in start: a username for the username-first fallback, or nothing. */
    public record Start(String username) {
    }

    private final WebAuthnService webauthn;
    private final Sessions sessions;
    private final SessionCookie cookie;
    private final CurrentSession current;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Flash flash;

    public SignInResource(WebAuthnService webauthn, Sessions sessions, SessionCookie cookie, CurrentSession current,
            RateLimiter rateLimiter, AuditLog audit, ObjectMapper json, Flash flash) {
        this.flash = flash;
        this.webauthn = webauthn;
        this.sessions = sessions;
        this.cookie = cookie;
        this.current = current;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Object page(@QueryParam("next") String next) {
        String target = SafeRedirect.localPath(next, "/");
        if (current.isSignedIn()) {
            return Response.seeOther(URI.create(target)).build();
        }
        return Templates.signin(target);
    }

    @POST
    @Path("/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.StartAnswer start(Start start) {
        rateLimiter.hit(PER_IP, RequestIds.clientIp());
        Optional<String> username = Optional.ofNullable(start == null ? null : start.username())
                .map(String::trim).filter(u -> !u.isEmpty());
        if (username.isPresent()) {
            String name = username.get().toLowerCase();
            if (name.length() > 63) {
                throw ProblemException.badRequest("invalid-username", "That is not a Latch username.");
            }
            rateLimiter.hit(PER_USERNAME, name);
        }
        return CeremonyJson.answer(webauthn.startSignIn(username, Map.of()), json);
    }

    @POST
    @Path("/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.Done finish(CeremonyJson.Finish finish, HttpServerRequest request, HttpServerResponse response) {
        rateLimiter.hit(PER_IP, RequestIds.clientIp());
        CeremonyJson.require(finish);
        WebAuthnService.VerifiedAssertion verified;
        try {
            verified = webauthn.finishSignIn(finish.ceremonyId(), finish.credentialJson());
        } catch (ProblemException refused) {
            audit.record(AuditEntry.of("user.signin").byAnonymous().failed(refused.detail()).detail("code", refused.code()));
            throw refused;
        }
        User user = verified.user();
        Cookie previous = request.getCookie(cookie.name());
        Sessions.Started started = sessions.start(user, verified.credential().id, RequestIds.clientIp(),
                request.getHeader("User-Agent"), Optional.ofNullable(previous).map(Cookie::getValue));
        audit.record(AuditEntry.of("user.signin").byUser(user.id.toString(), user.username)
                .on("session", started.session().id).detail("key", verified.credential().id));
        response.addCookie(cookie.issue(started.token()));
        return new CeremonyJson.Done(SafeRedirect.localPath(finish.next(), "/"));
    }

    /** Signing out ends the session on the server, not only in this browser. */
    @POST
    @Path("/out")
    @Produces(MediaType.TEXT_HTML)
    public Response signOut(HttpServerResponse response) {
        current.live().ifPresent(live -> {
            sessions.revoke(live.user().id, live.session().id, "signed out");
            audit.record(AuditEntry.of("user.signout").byUser(live.user().id.toString(), live.user().username)
                    .on("session", live.session().id));
        });
        response.addCookie(cookie.clear());
        flash.set(Flash.Kind.INFO, "You are signed out.");
        return Response.seeOther(URI.create("/signin")).build();
    }
}
