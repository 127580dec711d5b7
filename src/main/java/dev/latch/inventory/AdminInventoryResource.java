package dev.latch.inventory;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import dev.latch.web.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Admin page for the inventory file: check it, see what it would change, apply it. */
@Path("/admin/inventory")
@AdminOnly
public class AdminInventoryResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inventory(boolean configured, String path, List<String> errors,
                List<InventorySync.Change> changes, List<String> conflicts, boolean applied, boolean checked);
    }

    private final InventoryFileLoader loader;
    private final CurrentSession current;

    public AdminInventoryResource(InventoryFileLoader loader, CurrentSession current) {
        this.loader = loader;
        this.current = current;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.inventory(loader.configured(), loader.path(), List.of(), List.of(), List.of(), false, false);
    }

    @POST
    @Path("/dry-run")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dryRun() {
        return outcome(false);
    }

    @POST
    @Path("/apply")
    @Produces(MediaType.TEXT_HTML)
    @dev.latch.identity.StepUp("apply the inventory file")
    public TemplateInstance apply() {
        return outcome(true);
    }

    private TemplateInstance outcome(boolean apply) {
        InventoryFileParser.Result read = loader.read();
        if (!read.ok()) {
            return Templates.inventory(true, loader.path(), read.errors(), List.of(), List.of(), false, true);
        }
        try {
            InventorySync.Plan plan = apply ? loader.apply(current.user().username) : loader.dryRun();
            return Templates.inventory(true, loader.path(), List.of(), plan.changes(), plan.conflicts(), apply, true);
        } catch (ProblemException conflict) {
            InventorySync.Plan plan = loader.dryRun();
            return Templates.inventory(true, loader.path(), List.of(), plan.changes(), plan.conflicts(), false, true);
        }
    }
}
