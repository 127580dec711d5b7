package dev.latch.inventory;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.Group;
import dev.latch.web.ProblemException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The inventory for automation: accounts, clusters, levels (read and write), groups and
 * entitlements (read). Administrators only; with a browser session cookie, writes also need the
 * {@code X-CSRF-Token} header. Errors are RFC 9457 problem JSON. Described at {@code /q/openapi}.
 */
@Path("/api/v1/admin")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inventory", description = "Accounts, clusters, access levels, groups and entitlements")
public class AdminInventoryApi {

    public record AccountView(UUID id, String accountId, String name, String environment, String region, String source) {
        static AccountView of(AwsAccount a) {
            return new AccountView(a.id, a.accountId, a.name, a.environment, a.defaultRegion, a.source);
        }
    }

    public record ClusterView(UUID id, UUID accountId, String name, String region, String kind, String endpoint, String caBundle,
            String contextName, String endpointOverride, String source) {
        static ClusterView of(Cluster c) {
            return new ClusterView(c.id, c.account.id, c.name, c.region, c.kind, c.endpoint, c.caBundle, c.contextName,
                    c.endpointOverride, c.source);
        }
    }

    /** {@code breakGlass}: members of the break-glass group may take this level without approval. */
    public record LevelView(UUID id, UUID accountId, UUID clusterId, String name, String roleArn, String description,
            String eksAccessPolicyArn, String eksAccessScope, List<String> namespaces, List<String> kubernetesGroups, boolean breakGlass,
            String source) {
        static LevelView of(AccessLevel l) {
            return new LevelView(l.id, l.account == null ? null : l.account.id, l.cluster == null ? null : l.cluster.id, l.name,
                    l.roleArn, l.description, l.eksAccessPolicyArn, l.eksAccessScope, l.eksNamespaces, l.kubernetesGroups, l.breakGlass,
                    l.source);
        }
    }

    public record GroupView(UUID id, String name, String description, String source) {
    }

    public record EntitlementView(UUID id, UUID groupId, UUID accessLevelId, String mode, long maxDurationSeconds, String source) {
    }

    private final InventoryAdministration administration;
    private final CurrentSession current;

    public AdminInventoryApi(InventoryAdministration administration, CurrentSession current) {
        this.administration = administration;
        this.current = current;
    }

    @GET
    @Path("/accounts")
    @Transactional
    @Operation(summary = "List accounts")
    public List<AccountView> accounts() {
        return AwsAccount.<AwsAccount>list("order by name").stream().map(AccountView::of).toList();
    }

    @GET
    @Path("/accounts/{id}")
    @Transactional
    public AccountView account(@PathParam("id") UUID id) {
        return AccountView.of(found(AwsAccount.<AwsAccount>findById(id)));
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account")
    public Response createAccount(InventoryAdministration.AccountInput input) {
        AwsAccount account = administration.saveAccount(null, required(input), current.user());
        return Response.created(URI.create("/api/v1/admin/accounts/" + account.id)).entity(AccountView.of(account)).build();
    }

    @PUT
    @Path("/accounts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountView updateAccount(@PathParam("id") UUID id, InventoryAdministration.AccountInput input) {
        return AccountView.of(administration.saveAccount(id, required(input), current.user()));
    }

    @DELETE
    @Path("/accounts/{id}")
    public Response deleteAccount(@PathParam("id") UUID id) {
        administration.deleteAccount(id, current.user());
        return Response.noContent().build();
    }

    @GET
    @Path("/clusters")
    @Transactional
    public List<ClusterView> clusters() {
        return Cluster.<Cluster>list("order by contextName").stream().map(ClusterView::of).toList();
    }

    @GET
    @Path("/clusters/{id}")
    @Transactional
    public ClusterView cluster(@PathParam("id") UUID id) {
        return ClusterView.of(found(Cluster.<Cluster>findById(id)));
    }

    @POST
    @Path("/clusters")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a cluster")
    public Response createCluster(InventoryAdministration.ClusterInput input) {
        Cluster cluster = administration.saveCluster(null, required(input), current.user());
        return Response.created(URI.create("/api/v1/admin/clusters/" + cluster.id)).entity(ClusterView.of(cluster)).build();
    }

    @PUT
    @Path("/clusters/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClusterView updateCluster(@PathParam("id") UUID id, InventoryAdministration.ClusterInput input) {
        return ClusterView.of(administration.saveCluster(id, required(input), current.user()));
    }

    @DELETE
    @Path("/clusters/{id}")
    public Response deleteCluster(@PathParam("id") UUID id) {
        administration.deleteCluster(id, current.user());
        return Response.noContent().build();
    }

    @GET
    @Path("/levels")
    @Transactional
    public List<LevelView> levels() {
        return AccessLevel.<AccessLevel>listAll().stream().map(LevelView::of).toList();
    }

    @POST
    @Path("/levels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an access level")
    @dev.latch.identity.StepUp(AdminEstateResource.LEVEL_CHANGE)
    public Response createLevel(InventoryAdministration.LevelInput input) {
        AccessLevel level = administration.saveLevel(null, required(input), current.user());
        return Response.created(URI.create("/api/v1/admin/levels/" + level.id)).entity(LevelView.of(level)).build();
    }

    @PUT
    @Path("/levels/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @dev.latch.identity.StepUp(AdminEstateResource.LEVEL_CHANGE)
    public LevelView updateLevel(@PathParam("id") UUID id, InventoryAdministration.LevelInput input) {
        return LevelView.of(administration.saveLevel(id, required(input), current.user()));
    }

    @DELETE
    @Path("/levels/{id}")
    @dev.latch.identity.StepUp(AdminEstateResource.LEVEL_DELETE)
    public Response deleteLevel(@PathParam("id") UUID id) {
        administration.deleteLevel(id, current.user());
        return Response.noContent().build();
    }

    @GET
    @Path("/groups")
    @Transactional
    public List<GroupView> groups() {
        return Group.<Group>list("order by name").stream().map(g -> new GroupView(g.id, g.name, g.description, g.source)).toList();
    }

    @GET
    @Path("/entitlements")
    @Transactional
    public List<EntitlementView> entitlements() {
        return Entitlement.<Entitlement>listAll().stream()
                .map(e -> new EntitlementView(e.id, e.groupId, e.accessLevelId, e.mode, e.maxDuration.toSeconds(), e.source)).toList();
    }

    private static <T> T found(T entity) {
        if (entity == null) {
            throw ProblemException.notFound("There is no such object.");
        }
        return entity;
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw ProblemException.badRequest("invalid-input", "The request needs a JSON body.");
        }
        return body;
    }
}
