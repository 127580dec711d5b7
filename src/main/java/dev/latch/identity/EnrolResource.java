package dev.latch.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.support.RateLimiter;
import dev.latch.web.RequestIds;
import dev.latch.webauthn.CeremonyJson;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Optional;

/** The page behind a one-time enrolment link: (upstream sign-in, then) register a security key. */
@Path("/enrol")
public class EnrolResource {

    static final RateLimiter.Limit PER_IP = new RateLimiter.Limit("enrol-ip", 20, Duration.ofMinutes(1));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance enrol(Invitation invitation, String token, boolean upstreamRequired,
                boolean upstreamDone, String upstreamName);
    }

    private final Invitations invitations;
    private final Enrolment enrolment;
    private final UpstreamIdentity upstream;
    private final SessionCookie cookie;
    private final UpstreamProofCookie proofCookie;
    private final RateLimiter rateLimiter;
    private final ObjectMapper json;

    public EnrolResource(Invitations invitations, Enrolment enrolment, UpstreamIdentity upstream, SessionCookie cookie,
            UpstreamProofCookie proofCookie, RateLimiter rateLimiter, ObjectMapper json) {
        this.invitations = invitations;
        this.enrolment = enrolment;
        this.upstream = upstream;
        this.cookie = cookie;
        this.proofCookie = proofCookie;
        this.rateLimiter = rateLimiter;
        this.json = json;
    }

    @GET
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@PathParam("token") String token, HttpServerRequest request) {
        rateLimiter.hit(PER_IP, RequestIds.clientIp());
        Invitation invitation = invitations.open(token);
        // another browser's proof does not count here: this one is asked to sign in upstream itself
        return Templates.enrol(invitation, token, upstream.requiredFor(invitation),
                upstream.provenIn(invitation, proofCookie.read(request)), upstream.providerName());
    }

    @POST
    @Path("/{token}/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.StartAnswer start(@PathParam("token") String token, Enrolment.Details details, HttpServerRequest request) {
        rateLimiter.hit(PER_IP, RequestIds.clientIp());
        return CeremonyJson.answer(enrolment.start(token, details == null ? new Enrolment.Details(null, null, null, null) : details,
                proofCookie.read(request)), json);
    }

    @POST
    @Path("/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.Done finish(CeremonyJson.Finish finish, HttpServerRequest request, HttpServerResponse response) {
        rateLimiter.hit(PER_IP, RequestIds.clientIp());
        CeremonyJson.require(finish);
        Cookie previous = request.getCookie(cookie.name());
        Enrolment.Enrolled enrolled = enrolment.finish(finish.ceremonyId(), finish.credentialJson(), RequestIds.clientIp(),
                request.getHeader("User-Agent"), Optional.ofNullable(previous).map(Cookie::getValue), proofCookie.read(request));
        response.addCookie(cookie.issue(enrolled.session().token()));
        if (proofCookie.read(request).isPresent()) {
            response.addCookie(proofCookie.clear());
        }
        return new CeremonyJson.Done("/profile?welcome=1");
    }
}
