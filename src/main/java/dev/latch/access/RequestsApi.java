package dev.latch.access;

import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.oauth.ApiAccess;
import dev.latch.oauth.ApiCaller;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Requests from the helper: {@code latch request <account|cluster> --level L --for 2h --reason …}. */
@Path("/api/v1/requests")
@ApiAccess
public class RequestsApi {

    private final AccessRequests requests;
    private final PortalConfig portal;
    private final ApiCaller caller;

    public RequestsApi(AccessRequests requests, PortalConfig portal, ApiCaller caller) {
        this.requests = requests;
        this.portal = portal;
        this.caller = caller;
    }

    /** {@code target}: a cluster (name or context) or an account (12-digit id or name). {@code startsAt}: RFC 3339, optional. */
    public record Ask(String target, String level, String duration, String reason, String ticketUrl, String startsAt) {
    }

    public record Answer(String id, String status, String level, String duration, String reason, String expiresAt, String link,
            List<String> approvers) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "File an access request")
    public Response create(Ask ask) {
        if (ask == null) {
            throw ProblemException.badRequest("request-invalid", "Send {\"target\", \"level\", \"duration\", \"reason\"}.");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = User.findById(caller.require().userId());
            AccessLevel level = resolve(ask.target(), ask.level());
            Instant start = null;
            if (ask.startsAt() != null && !ask.startsAt().isBlank()) {
                try {
                    start = Instant.parse(ask.startsAt().trim());
                } catch (java.time.format.DateTimeParseException e) {
                    throw ProblemException.badRequest("start-invalid", "startsAt must be RFC 3339, e.g. 2026-12-01T09:00:00Z.");
                }
            }
            AccessRequest request = requests.create(user, new AccessRequests.Ask(level.id, Durations.parse(ask.duration()), ask.reason(),
                    ask.ticketUrl(), start, null));
            return Response.status(201).entity(answer(request)).build();
        });
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One of the caller's requests")
    public Answer get(@PathParam("id") UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            AccessRequest request = AccessRequest.findById(id);
            if (request == null || !request.requester.id.equals(caller.require().userId())) {
                throw ProblemException.notFound("You have no request with this id.");
            }
            return answer(request);
        });
    }

    private Answer answer(AccessRequest request) {
        return new Answer(request.id.toString(), request.status, AccessRequests.levelName(request.level), dev.latch.web.TimeFormats.length(request.duration),
                request.reason, request.expiresAt.toString(), portal.publicOrigin() + "/requests/" + request.id,
                requests.approvers(request).stream().map(u -> u.username).toList());
    }

    /** A cluster level by cluster name or context, else an account level by account id or name; ambiguity is a 409. */
    private static AccessLevel resolve(String target, String level) {
        if (target == null || target.isBlank() || level == null || level.isBlank()) {
            throw ProblemException.badRequest("request-invalid", "Name the account or cluster and the level.");
        }
        String t = target.trim().toLowerCase(Locale.ROOT);
        List<AccessLevel> found = AccessLevel.<AccessLevel>find("""
                from AccessLevel l left join fetch l.cluster c left join fetch l.account a
                where l.name = ?1 and ((c is not null and (lower(c.name) = ?2 or c.contextName = ?2))
                   or (a is not null and (a.accountId = ?2 or lower(a.name) = ?2)))""", level.trim(), t).list();
        if (found.isEmpty()) {
            throw new ProblemException(404, "level-not-found", "No such level", "No level " + level + " on " + target
                    + ". Run `latch ls` to see what you may use or request.");
        }
        if (found.size() > 1) {
            throw new ProblemException(409, "target-ambiguous", "Ambiguous", target + " names several things: "
                    + String.join(", ", found.stream().map(AccessRequests::levelName).toList()) + ". Use the cluster's context name or the account id.");
        }
        return found.get(0);
    }
}
