package dev.latch.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.EntitlementResolver;
import dev.latch.inventory.LevelAccess;
import dev.latch.web.Flash;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import dev.latch.webauthn.CeremonyJson;
import dev.latch.webauthn.WebAuthnCredential;
import dev.latch.webauthn.WebAuthnService;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Requests in the browser: the request form, the requests page (approver inbox that refreshes
 * itself, my requests, live grants), a request's page with its evidence, and decisions signed with
 * a key touch whose challenge is the hash of exactly what is decided.
 */
@Path("/requests")
@SignedIn
public class RequestsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance requests(List<RequestViews.RequestRow> inbox, List<RequestViews.RequestRow> mine,
                List<RequestViews.GrantRow> everyone, boolean admin);

        static native TemplateInstance requests$inbox(List<RequestViews.RequestRow> inbox);

        static native TemplateInstance form(String levelId, String level, String maxDuration, List<String> durations, String grantId,
                String reason, boolean breakGlass);

        static native TemplateInstance request(RequestViews.RequestRow request, List<RequestViews.StepRow> steps,
                List<RequestViews.DecisionRow> decisions, boolean mayDecide, boolean mine, List<RequestViews.RequestRow> history,
                RequestViews.GrantRow grant, boolean mayRevoke);

        static native TemplateInstance verified(boolean ok, String text);
    }

    private final AccessRequests requests;
    private final Grants grants;
    private final LevelAccess levelAccess;
    private final WebAuthnService webauthn;
    private final CurrentSession current;
    private final Flash flash;
    private final ObjectMapper json;
    private final Clock clock;
    private final boolean breakGlassOn;
    private final DecisionVerifier verifier;
    private final DecisionRefusals refusals;

    public RequestsResource(AccessRequests requests, Grants grants, LevelAccess levelAccess, WebAuthnService webauthn,
            CurrentSession current, Flash flash, ObjectMapper json, AccessConfig config, Clock clock, DecisionVerifier verifier,
            DecisionRefusals refusals) {
        this.verifier = verifier;
        this.refusals = refusals;
        this.breakGlassOn = config.breakGlassGroup().isPresent();
        this.requests = requests;
        this.grants = grants;
        this.levelAccess = levelAccess;
        this.webauthn = webauthn;
        this.current = current;
        this.flash = flash;
        this.json = json;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance page() {
        User me = current.user();
        List<RequestViews.GrantRow> everyone = current.isAdmin() ? RequestViews.grants(grants.liveForEveryone(), clock.instant()) : List.of();
        return Templates.requests(rows(requests.inbox(me)), rows(requests.mine(me)), everyone, current.isAdmin());
    }

    /** The inbox alone: the page polls it, so two approvers never act on stale state for long. */
    @GET
    @Path("/inbox")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance inbox() {
        return Templates.requests$inbox(rows(requests.inbox(current.user())));
    }

    @GET
    @Path("/new")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance form(@QueryParam("level") UUID levelId, @QueryParam("grant") UUID grantId) {
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        String reason = "";
        if (grantId != null) {
            AccessGrant grant = AccessGrant.findById(grantId);
            if (grant == null || !grant.user.id.equals(current.user().id)) {
                throw ProblemException.notFound("You have no grant with this id.");
            }
            level = grant.level;
            AccessRequest original = AccessRequest.findById(grant.requestId);
            reason = original == null ? "" : "Extension: " + original.reason;
        }
        if (level == null) {
            throw ProblemException.notFound("No access level with this id.");
        }
        EntitlementResolver.Access access = levelAccess.of(current.user(), level.id)
                .filter(a -> a.mode() == EntitlementResolver.Mode.REQUESTABLE)
                .orElseThrow(() -> ProblemException.forbidden("not-requestable", "Nothing makes this level requestable for you."));
        List<String> durations = new ArrayList<>();
        for (String d : List.of("30m", "1h", "2h", "4h", "8h", "1d", "3d", "7d")) {
            if (Durations.parse(d).compareTo(access.maxDuration()) <= 0) {
                durations.add(d);
            }
        }
        return Templates.form(level.id.toString(), AccessRequests.levelName(level), dev.latch.web.TimeFormats.length(access.maxDuration()), durations,
                grantId == null ? "" : grantId.toString(), reason, breakGlassOn && level.breakGlass);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("level") UUID levelId, @FormParam("duration") String duration, @FormParam("reason") String reason,
            @FormParam("ticket") String ticket, @FormParam("start") String start, @FormParam("grant") String grantId) {
        User me = current.user();
        AccessRequest request;
        if (grantId != null && !grantId.isBlank()) {
            request = requests.extend(me, parseId(grantId), Durations.parse(duration), reason);
        } else {
            request = requests.create(me, new AccessRequests.Ask(levelId, Durations.parse(duration), reason, ticket, startAt(start), null));
        }
        flash.success("Request filed. Your approvers have been told.");
        return Response.seeOther(URI.create("/requests/" + request.id)).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance request(@PathParam("id") UUID id) {
        User me = current.user();
        AccessRequest request = visible(id);
        boolean mine = request.requester.id.equals(me.id);
        boolean mayDecide = requests.mayDecide(request, me);
        boolean decided = AccessDecision.count("requestId = ?1 and approverId = ?2", id, me.id) > 0;
        List<AccessDecision> decisions = requests.decisions(id);
        ApprovalPolicy policy = requests.policy(request);
        List<RequestViews.StepRow> steps = policy.progress(request.requester.id, requests.votes(request)).entrySet().stream()
                .map(e -> new RequestViews.StepRow(e.getKey().kind() == ApprovalPolicy.Kind.MANAGER
                        ? RequestViews.managerStep(request.requester, clock.instant()) : e.getKey().describe(), e.getValue(),
                        e.getKey().required())).toList();
        List<RequestViews.DecisionRow> rows = decisions.stream().map(d -> {
            User approver = User.findById(d.approverId);
            WebAuthnCredential key = WebAuthnCredential.findById(d.credentialId);
            return new RequestViews.DecisionRow(d.id, RequestViews.name(approver), d.decision, d.comment, TimeFormats.display(d.decidedAt),
                    key == null ? "?" : key.nickname, d.voidReason,
                    d.asDelegateOf == null ? null : User.<User>findByIdOptional(d.asDelegateOf).map(m -> m.username).orElse("?"));
        }).toList();
        List<RequestViews.RequestRow> history = mayDecide || current.isAdmin()
                ? rows(requests.mine(request.requester).stream().filter(r -> !r.id.equals(id)).limit(5).toList()) : List.of();
        AccessGrant grant = AccessGrant.<AccessGrant>find("requestId", id).firstResult();
        if (grant == null && request.extendsGrantId != null && AccessRequest.APPROVED.equals(request.status)) {
            grant = AccessGrant.findById(request.extendsGrantId);
        }
        boolean pending = request.isPending() && clock.instant().isBefore(request.expiresAt);
        return Templates.request(RequestViews.RequestRow.of(request), steps, rows, mayDecide && pending && !decided && !mine, mine && pending,
                history, grant == null ? null : RequestViews.GrantRow.of(grant, clock.instant()),
                grant != null && grant.endedAt == null && (current.isAdmin() || mayDecide));
    }

    /** A decision starts with the challenge: SHA-256 of a fresh nonce and what exactly is decided. */
    @POST
    @Path("/{id}/decision/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.StartAnswer startDecision(@PathParam("id") UUID id, DecisionAsk ask) {
        User me = current.user();
        String decision = ask == null ? null : ask.decision();
        AccessRequests.Challenge challenge = requests.challenge(id, me, decision);
        Map<String, String> context = Map.of("request", id.toString(), "decision", decision,
                "nonce", Base64.getEncoder().encodeToString(challenge.nonce()), "canonical", challenge.canonical(),
                "comment", ask.comment() == null ? "" : ask.comment().trim());
        return CeremonyJson.answer(webauthn.startDecision(me, current.session().id, challenge.challenge(), context), json);
    }

    public record DecisionAsk(String decision, String comment) {
    }

    @POST
    @Path("/{id}/decision/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CeremonyJson.Done finishDecision(@PathParam("id") UUID id, CeremonyJson.Finish finish) {
        User me = current.user();
        WebAuthnService.VerifiedAssertion verified;
        Map<String, String> context;
        String response;
        try {
            CeremonyJson.require(finish);
            response = finish.credentialJson();
            verified = webauthn.finishDecision(finish.ceremonyId(), response, me.id, current.session().id);
            context = verified.ceremony().context();
            if (!id.toString().equals(context.get("request"))) {
                throw ProblemException.badRequest("decision-mismatch", "This key touch was for another request. Start again.");
            }
        } catch (ProblemException refused) {
            refusals.record(id, me, null, refused); // the rules' refusals are audited by AccessRequests.decide
            throw refused;
        }
        byte[] nonce = Base64.getDecoder().decode(context.get("nonce"));
        AccessRequest decided = requests.decide(id, me, context.get("decision"), context.get("comment"), new AccessRequests.Evidence(nonce,
                context.get("canonical"), verified.ceremony().requestJson(), response, verified.credential().id));
        flash.success(switch (decided.status) {
            case AccessRequest.APPROVED -> "Approved. The grant is live.";
            case AccessRequest.DENIED -> "Denied. The requester has been told.";
            default -> "Your decision is recorded; the policy needs more approvals.";
        });
        return new CeremonyJson.Done("/requests/" + id);
    }

    /** Checks a stored decision again: see {@link DecisionVerifier}. */
    @POST
    @Path("/decisions/{id}/verify")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.transaction.Transactional
    public TemplateInstance verify(@PathParam("id") UUID decisionId) {
        AccessDecision decision = AccessDecision.findById(decisionId);
        if (decision == null) {
            throw ProblemException.notFound("No decision with this id.");
        }
        visible(decision.requestId);
        DecisionVerifier.Verdict verdict = verifier.verify(decision);
        return Templates.verified(verdict.ok(), verdict.text());
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") UUID id) {
        requests.cancel(id, current.user());
        flash.success("Request cancelled.");
        return Response.seeOther(URI.create("/requests/" + id)).build();
    }

    /** A request the signed-in person may see: theirs, one they may decide or have decided, or any for administrators. */
    private AccessRequest visible(UUID id) {
        User me = current.user();
        AccessRequest request = AccessRequest.findById(id);
        if (request == null || !(request.requester.id.equals(me.id) || current.isAdmin() || requests.mayDecide(request, me)
                || AccessDecision.count("requestId = ?1 and approverId = ?2", id, me.id) > 0)) {
            throw ProblemException.notFound("No request with this id is yours to see.");
        }
        return request;
    }

    private static List<RequestViews.RequestRow> rows(List<AccessRequest> list) {
        return list.stream().map(RequestViews.RequestRow::of).toList();
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id-invalid", "Not an id: " + id);
        }
    }

    /** The form's start: empty for "when approved", else a UTC date-time from the datetime-local field. */
    private static Instant startAt(String start) {
        if (start == null || start.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(start.trim()).toInstant(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.badRequest("start-invalid", "The start must be a date and time (UTC), e.g. 2026-12-01T09:00.");
        }
    }
}
