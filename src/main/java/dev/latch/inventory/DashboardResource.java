package dev.latch.inventory;

import dev.latch.identity.CurrentSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The start page: for a signed-in person, "My access" (their accounts and clusters by environment,
 * with levels and states, searchable); for anyone else, what Latch is and how to sign in.
 */
@Path("/")
public class DashboardResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing();

        static native TemplateInstance dashboard(List<MyAccess.Environment> environments, String query, String environment,
                boolean anyAccess, boolean anyDownload);

        static native TemplateInstance dashboard$targets(List<MyAccess.Environment> environments, String query, boolean anyAccess);
    }

    private final CurrentSession current;
    private final MyAccess myAccess;
    private final ClusterDownloads downloads;

    public DashboardResource(CurrentSession current, MyAccess myAccess, ClusterDownloads downloads) {
        this.current = current;
        this.myAccess = myAccess;
        this.downloads = downloads;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance index(@QueryParam("q") String query, @QueryParam("env") String environment,
            @HeaderParam("HX-Request") String htmx) {
        if (!current.isSignedIn()) {
            return Templates.landing();
        }
        List<MyAccess.Environment> environments = myAccess.of(current.user(), query, environment);
        boolean anyAccess = !environments.isEmpty() || (query != null && !query.isBlank()) || (environment != null && !environment.isBlank());
        if (htmx != null) {
            return Templates.dashboard$targets(environments, query == null ? "" : query, anyAccess);
        }
        return Templates.dashboard(environments, query == null ? "" : query, environment == null ? "" : environment, anyAccess,
                downloads.anyFor(current.user()));
    }
}
