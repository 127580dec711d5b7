package dev.latch.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.latch.web.ProblemException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * People for automation: a person with their manager and groups, and setting or clearing the
 * manager. Administrators only, with their browser session (writes also need the
 * {@code X-CSRF-Token} header and, like the page, a fresh key touch). Errors are RFC 9457 problem
 * JSON. Described at {@code /q/openapi}.
 */
@Path("/api/v1/admin/users")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "People", description = "People, their managers and groups")
public class AdminUsersApi {

    /**
     * A person. {@code manager}: the manager's username, or null; {@code managerEmail}: a manager
     * named by email who has no account yet (pending); {@code managerSource}: who owns the manager
     * (local, file, scim, upstream) and so who may change it.
     */
    public record PersonView(UUID id, String username, String displayName, String email, String status, boolean admin,
            String manager, UUID managerId, String managerEmail, String managerSource, List<String> groups, List<String> reports) {
    }

    /**
     * A change: {@code manager} a username (null clears the manager), or {@code managerEmail} the
     * email of a manager who may not have an account yet. A field left out is left alone.
     */
    @Schema(name = "PersonChange")
    public static class PersonChange {
        private String manager;
        private String managerEmail;
        /** Whether the field was in the body at all: {"manager": null} clears, a body without it leaves the manager alone. */
        @JsonIgnore
        @Schema(hidden = true)
        private boolean managerGiven;
        @JsonIgnore
        @Schema(hidden = true)
        private boolean managerEmailGiven;

        @Schema(description = "The manager's username; null clears the manager", nullable = true)
        public String getManager() {
            return manager;
        }

        public void setManager(String manager) {
            this.manager = manager;
            this.managerGiven = true;
        }

        @Schema(description = "The email of a manager who may not have an account yet (pending until they do)", nullable = true)
        public String getManagerEmail() {
            return managerEmail;
        }

        public void setManagerEmail(String managerEmail) {
            this.managerEmail = managerEmail;
            this.managerEmailGiven = true;
        }

        @JsonIgnore
        boolean managerGiven() {
            return managerGiven;
        }

        @JsonIgnore
        boolean managerEmailGiven() {
            return managerEmailGiven;
        }
    }

    private final Users users;
    private final ManagerAdministration managers;
    private final CurrentSession current;

    public AdminUsersApi(Users users, ManagerAdministration managers, CurrentSession current) {
        this.users = users;
        this.managers = managers;
        this.current = current;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "A person, with their manager (or pending manager email), who owns it, groups and status")
    public PersonView person(@PathParam("id") UUID id) {
        return view(users.get(id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @StepUp(AdminUsersResource.CHANGE_MANAGER)
    @Operation(summary = "Set, change or clear a person's manager",
            description = "{\"manager\": \"bob\"} sets it, {\"manager\": null} clears it, {\"managerEmail\": \"bob@example.com\"} names "
                    + "someone who may not have an account yet. Refused with 409 when the manager is owned by the inventory file, SCIM "
                    + "or the identity provider, or when it would make a circle; 400 for an unknown person or the person themselves.")
    public PersonView change(@PathParam("id") UUID id, PersonChange change) {
        if (change == null || change.managerGiven() == change.managerEmailGiven()) {
            throw ProblemException.badRequest("invalid-input", "Send exactly one of {\"manager\": \"<username>\" or null} and "
                    + "{\"managerEmail\": \"<email>\"}.");
        }
        if (change.managerEmailGiven() && (change.managerEmail == null || !change.managerEmail.contains("@"))) {
            throw ProblemException.badRequest("invalid-email", "managerEmail must be an email address; to clear the manager send {\"manager\": null}.");
        }
        if (change.managerGiven() && change.manager != null && (change.manager.isBlank() || change.manager.contains("@"))) {
            throw ProblemException.badRequest("invalid-username", "manager is a username (or null to clear); use managerEmail for an email.");
        }
        managers.assign(id, change.managerGiven() ? change.manager : change.managerEmail, current.user());
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> view(users.get(id)));
    }

    private PersonView view(User user) {
        User manager = user.managerId == null ? null : User.findById(user.managerId);
        @SuppressWarnings("unchecked")
        List<String> groups = Group.getEntityManager().createNativeQuery(
                "SELECT g.name FROM app_group g JOIN group_membership m ON m.group_id = g.id WHERE m.user_id = ?1 ORDER BY g.name")
                .setParameter(1, user.id).getResultList();
        List<String> reports = User.<User>list("managerId = ?1 order by username", user.id).stream().map(u -> u.username).toList();
        return new PersonView(user.id, user.username, user.displayName, user.email, user.status, user.admin,
                manager == null ? null : manager.username, user.managerId, user.managerId == null ? user.managerEmail : null,
                user.managerSource, groups, reports);
    }
}
