package dev.latch.oauth;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.StepUp;
import dev.latch.identity.User;
import dev.latch.support.RateLimiter;
import dev.latch.web.IpAddresses;
import dev.latch.web.ProblemException;
import dev.latch.web.RequestIds;
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
import java.time.Duration;
import java.util.UUID;

/**
 * The {@code /device} page where a person approves a helper login. Against remote phishing
 * (RFC 8628 §5.4) it always shows the code for comparison, asks for explicit confirmation even
 * when the code arrived in the link, shows what is asking and from where (warning when that
 * address is not this browser's), says in plain words to approve only a code you started, and
 * needs a fresh key touch to approve.
 */
@Path("/device")
@SignedIn
public class DevicePageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance enter(String prefilled);

        static native TemplateInstance confirm(RequestView request);

        static native TemplateInstance done(boolean approved, String clientName);
    }

    /** The request as the page shows it. */
    public record RequestView(UUID id, String userCode, String clientName, String hostName, String os, String requestIp,
            String requestedAt, String expiresAt, boolean otherNetwork, String browserIp) {
    }

    private final DeviceFlow deviceFlow;
    private final CurrentSession current;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final RateLimiter.Limit entries;

    public DevicePageResource(DeviceFlow deviceFlow, CurrentSession current, RateLimiter rateLimiter, AuditLog audit, OAuthConfig config) {
        this.deviceFlow = deviceFlow;
        this.current = current;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.entries = new RateLimiter.Limit("device-user-code", config.userCodeAttemptsPerMinute(), Duration.ofMinutes(1));
    }

    /** Code entry; a code from {@code verification_uri_complete} is filled in but still needs a click. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance enter(@QueryParam("user_code") String userCode) {
        String normalised = UserCodes.normalise(userCode);
        return Templates.enter(normalised == null ? "" : UserCodes.display(normalised));
    }

    /**
     * Looks up a typed code. The limit per person and per address is checked first and counts
     * every entry, right or wrong, so once a guesser reaches it even a right guess is refused
     * (RFC 8628 §5.1); a wrong entry also counts against the pending codes it is close to
     * ({@link DeviceFlow#countWrongEntry}). Every refusal is audited in its own transaction.
     */
    @POST
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance lookup(@FormParam("user_code") String userCode) {
        try {
            rateLimiter.hit(entries, "user:" + current.user().id);
            rateLimiter.hit(entries, "ip:" + RequestIds.clientIp());
        } catch (ProblemException limited) {
            refused("rate-limited");
            throw limited;
        }
        try {
            return Templates.confirm(view(deviceFlow.pendingByUserCode(userCode)));
        } catch (ProblemException unknown) {
            deviceFlow.countWrongEntry(userCode);
            refused("unknown-code");
            throw unknown;
        }
    }

    private void refused(String reason) {
        User user = current.user();
        audit.recordRefusal(AuditEntry.of("device.user_code")
                .byUser(user.id.toString(), user.username).on("session", current.session().id).denied(reason));
    }

    /**
     * Approving needs a key touch made after the helper asked, not just a recent one: a session
     * that signed in a minute ago must still touch the key for this request (RFC 8628 §5.4).
     */
    @POST
    @Path("/{id}/approve")
    @StepUp("approve this sign-in")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance approve(@PathParam("id") UUID id) {
        DeviceAuthorization request = deviceFlow.pendingById(id);
        java.time.Instant touched = current.session().steppedUpAt;
        if (touched == null || !touched.isAfter(request.createdAt)) {
            throw ProblemException.stepUpRequired("Touch your security key to approve the sign-in of " + request.clientName
                    + (request.hostName == null ? "" : " on " + request.hostName) + ".");
        }
        deviceFlow.decide(id, current.user(), current.session().id, true);
        return Templates.done(true, request.clientName);
    }

    @POST
    @Path("/{id}/deny")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance deny(@PathParam("id") UUID id) {
        DeviceAuthorization request = deviceFlow.pendingById(id);
        deviceFlow.decide(id, current.user(), current.session().id, false);
        return Templates.done(false, request.clientName);
    }

    private RequestView view(DeviceAuthorization request) {
        String browserIp = RequestIds.clientIp();
        boolean otherNetwork = request.requestIp != null && browserIp != null && !IpAddresses.same(request.requestIp, browserIp);
        return new RequestView(request.id, UserCodes.display(request.userCode), request.clientName,
                request.hostName == null ? "not reported" : request.hostName, request.os == null ? "not reported" : request.os,
                request.requestIp == null ? "unknown" : IpAddresses.display(request.requestIp), TimeFormats.display(request.createdAt),
                TimeFormats.display(request.expiresAt), otherNetwork, IpAddresses.display(browserIp));
    }
}
