package dev.latch.kube;

import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.LevelAccess;
import dev.latch.oauth.AccessTokens;
import dev.latch.oauth.ApiAccess;
import dev.latch.oauth.ApiCaller;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The helper's kube API: token mints for kubeconfigs, and issuances for {@code latch setup}. */
@Path("/api/v1/kube")
@ApiAccess
public class KubeApi {

    private final KubeTokens tokens;
    private final Issuances issuances;
    private final LevelAccess levels;
    private final ApiCaller caller;

    public KubeApi(KubeTokens tokens, Issuances issuances, LevelAccess levels, ApiCaller caller) {
        this.tokens = tokens;
        this.issuances = issuances;
        this.levels = levels;
        this.caller = caller;
    }

    /** What {@code latch setup} asks for: one cluster level. */
    public record IssuanceRequest(String accountId, String cluster, String level) {
    }

    /** One issuance, with the parts of its kubeconfig and the whole file. */
    public record IssuanceAnswer(String issuanceId, String contextName, String clusterName, String userName, String server,
            String certificateAuthorityData, String namespace, String expiresAt, String kubeconfig) {
    }

    @GET
    @Path("/token")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "ExecCredential for a kubeconfig issuance (the exec plugin's answer)")
    public ExecCredential token(@QueryParam("issuance") String issuance) {
        UUID id;
        try {
            id = UUID.fromString(issuance == null ? "" : issuance.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("issuance-invalid", "The issuance must be the id from your kubeconfig (a UUID).");
        }
        AccessTokens.Claims claims = caller.require();
        return tokens.mint(id, claims.userId(), claims.familyId());
    }

    @POST
    @Path("/issuances")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a kubeconfig for one cluster level (latch setup)")
    public Response issue(IssuanceRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("issuance-request-invalid", "Send {\"accountId\", \"cluster\", \"level\"}.");
        }
        AccessTokens.Claims claims = caller.require();
        User person = QuarkusTransaction.joiningExisting().call(() -> User.<User>findById(claims.userId()));
        AccessLevel level = QuarkusTransaction.joiningExisting().call(() -> levels.clusterLevel(request.accountId(), request.cluster(),
                request.level())).orElseThrow(() -> issuances.refused(person, null, null, "helper", new ProblemException(404,
                        "level-not-found", "No such cluster level", "No cluster " + request.cluster() + " with level " + request.level()
                        + " in account " + request.accountId() + ".")));
        // production kubeconfigs too: each token mint needs the login's key touch (TerminalProduction)
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = User.findById(claims.userId());
            Issuance issuance = issuances.issue(user, level.id, "helper");
            KubeNames names = KubeNames.of(issuance.cluster, issuance.level, false);
            IssuanceAnswer answer = new IssuanceAnswer(issuance.id.toString(), names.context(), names.cluster(), names.user(),
                    Issuances.server(issuance.cluster), Issuances.ca(issuance.cluster), KubeNames.namespace(issuance.level),
                    issuance.expiresAt.toString(), issuances.render(user, List.of(issuance)));
            return Response.status(201).entity(answer).build();
        });
    }
}
