package dev.latch.inventory;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import dev.latch.web.Flash;
import dev.latch.web.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Admin pages for the estate: accounts, their clusters and access levels; search, create, edit, delete. */
@Path("/admin/estate")
@AdminOnly
public class AdminEstateResource {

    static final String LEVEL_CHANGE = "change an access level";
    static final String LEVEL_DELETE = "delete an access level";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance estate(List<AccountRow> accounts, String query);

        static native TemplateInstance estate$accounts(List<AccountRow> accounts, String query);

        static native TemplateInstance account(AwsAccount account);

        static native TemplateInstance cluster(Cluster cluster);

        static native TemplateInstance level(AccessLevel level, String owner, String ownerLabel, String namespaces);
    }

    public record LevelRow(UUID id, String name, String roleArn, String meaning, String source, boolean breakGlass) {
    }

    public record ClusterRow(UUID id, String name, String contextName, String region, String endpoint, String source, List<LevelRow> levels) {
    }

    public record AccountRow(UUID id, String accountId, String name, String environment, String region, String source,
            List<LevelRow> levels, List<ClusterRow> clusters) {
    }

    private final InventoryAdministration administration;
    private final CurrentSession current;
    private final Flash flash;

    public AdminEstateResource(InventoryAdministration administration, CurrentSession current, Flash flash) {
        this.administration = administration;
        this.current = current;
        this.flash = flash;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance page(@QueryParam("q") String query, @HeaderParam("HX-Request") String htmx) {
        List<AccountRow> rows = rows(query);
        return htmx != null ? Templates.estate$accounts(rows, query == null ? "" : query) : Templates.estate(rows, query == null ? "" : query);
    }

    @GET
    @Path("/accounts/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance account(@PathParam("id") UUID id) {
        AwsAccount account = AwsAccount.findById(id);
        if (account == null) {
            throw ProblemException.notFound("There is no such account.");
        }
        return Templates.account(account);
    }

    @GET
    @Path("/clusters/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance cluster(@PathParam("id") UUID id) {
        Cluster cluster = Cluster.findById(id);
        if (cluster == null) {
            throw ProblemException.notFound("There is no such cluster.");
        }
        cluster.account.name.length(); // load the account for the page
        return Templates.cluster(cluster);
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveAccount(@FormParam("id") String id, @FormParam("accountId") String accountId, @FormParam("name") String name,
            @FormParam("environment") String environment, @FormParam("region") String region) {
        administration.saveAccount(blank(id) ? null : UUID.fromString(id),
                new InventoryAdministration.AccountInput(trim(accountId), trim(name), trim(environment), trim(region)), current.user());
        flash.success("Account " + name + " saved.");
        return back();
    }

    @POST
    @Path("/accounts/{id}/delete")
    public Response deleteAccount(@PathParam("id") UUID id) {
        administration.deleteAccount(id, current.user());
        flash.success("Account deleted.");
        return back();
    }

    @POST
    @Path("/clusters")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveCluster(@FormParam("id") String id, @FormParam("account") UUID account, @FormParam("name") String name,
            @FormParam("region") String region, @FormParam("kind") String kind, @FormParam("endpoint") String endpoint,
            @FormParam("caBundle") String caBundle, @FormParam("contextName") String contextName,
            @FormParam("endpointOverride") String endpointOverride) {
        administration.saveCluster(blank(id) ? null : UUID.fromString(id), new InventoryAdministration.ClusterInput(account, trim(name),
                trim(region), trim(kind), trim(endpoint), caBundle, trim(contextName), trim(endpointOverride)), current.user());
        flash.success("Cluster " + name + " saved.");
        return back();
    }

    @POST
    @Path("/clusters/{id}/delete")
    public Response deleteCluster(@PathParam("id") UUID id) {
        administration.deleteCluster(id, current.user());
        flash.success("Cluster deleted, with its levels and their entitlements.");
        return back();
    }

    @GET
    @Path("/levels/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance level(@PathParam("id") UUID id) {
        AccessLevel level = AccessLevel.findById(id);
        if (level == null) {
            throw ProblemException.notFound("There is no such level.");
        }
        String owner = level.account != null ? "account:" + level.account.id : "cluster:" + level.cluster.id;
        String label = level.account != null ? "account " + level.account.name : "cluster " + level.cluster.contextName;
        return Templates.level(level, owner, label, String.join(", ", level.eksNamespaces));
    }

    @POST
    @Path("/levels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @dev.latch.identity.StepUp(LEVEL_CHANGE) // a level's role (or its break-glass mark) decides what its holders get
    public Response saveLevel(@FormParam("id") String id, @FormParam("owner") String owner, @FormParam("name") String name, @FormParam("roleArn") String roleArn,
            @FormParam("description") String description, @FormParam("eksAccessPolicyArn") String policy,
            @FormParam("eksAccessScope") String scope, @FormParam("namespaces") String namespaces, @FormParam("breakGlass") String breakGlass) {
        // owner is "account:<id>" or "cluster:<id>"
        String[] parts = owner == null ? new String[0] : owner.split(":", 2);
        if (parts.length != 2) {
            throw ProblemException.badRequest("invalid-input", "Choose the account or cluster the level belongs to.");
        }
        UUID ownerId = UUID.fromString(parts[1]);
        administration.saveLevel(blank(id) ? null : UUID.fromString(id), new InventoryAdministration.LevelInput(parts[0].equals("account") ? ownerId : null,
                parts[0].equals("cluster") ? ownerId : null, trim(name), trim(roleArn), trim(description), trim(policy), trim(scope),
                list(namespaces), List.of(), "on".equals(breakGlass) || "true".equals(breakGlass)), current.user());
        flash.success("Level " + name + " saved.");
        return back();
    }

    @POST
    @Path("/levels/{id}/delete")
    @dev.latch.identity.StepUp(LEVEL_DELETE)
    public Response deleteLevel(@PathParam("id") UUID id) {
        administration.deleteLevel(id, current.user());
        flash.success("Level deleted, with its entitlements.");
        return back();
    }

    private static Response back() {
        return Response.seeOther(URI.create("/admin/estate")).build();
    }

    private List<AccountRow> rows(String query) {
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        return AwsAccount.<AwsAccount>list("order by environment, name").stream()
                .map(a -> new AccountRow(a.id, a.accountId, a.name, a.environment, a.defaultRegion, a.source,
                        levels(AccessLevel.list("account.id = ?1 order by name", a.id)),
                        Cluster.<Cluster>list("account.id = ?1 order by contextName", a.id).stream()
                                .map(c -> new ClusterRow(c.id, c.name, c.contextName, c.region, c.endpoint, c.source,
                                        levels(AccessLevel.list("cluster.id = ?1 order by name", c.id))))
                                .toList()))
                .filter(a -> q.isEmpty() || (a.name() + " " + a.accountId() + " " + a.environment() + " "
                        + a.clusters().stream().map(ClusterRow::contextName).reduce("", String::concat)).toLowerCase(Locale.ROOT).contains(q))
                .sorted(Comparator.comparing(AccountRow::environment).thenComparing(AccountRow::name))
                .toList();
    }

    private static List<LevelRow> levels(List<AccessLevel> levels) {
        return levels.stream().map(l -> new LevelRow(l.id, l.name, l.roleArn,
                l.eksAccessPolicyArn == null ? (l.kubernetesGroups.isEmpty() ? "AWS console and CLI" : "groups " + l.kubernetesGroups)
                        : l.eksAccessPolicyArn.substring(l.eksAccessPolicyArn.lastIndexOf('/') + 1)
                                + ("namespace".equals(l.eksAccessScope) ? " in " + l.eksNamespaces : ""),
                l.source, l.breakGlass)).toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static List<String> list(String csv) {
        return blank(csv) ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
