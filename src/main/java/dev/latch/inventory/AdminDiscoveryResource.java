package dev.latch.inventory;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Admin page for AWS discovery: scan (shows the differences, changes nothing), then apply. */
@Path("/admin/discovery")
@AdminOnly
public class AdminDiscoveryResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance discovery(List<AwsDiscovery.Difference> differences, boolean scanned, boolean applied);
    }

    private final AwsDiscovery discovery;
    private final CurrentSession current;

    public AdminDiscoveryResource(AwsDiscovery discovery, CurrentSession current) {
        this.discovery = discovery;
        this.current = current;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.discovery(List.of(), false, false);
    }

    @POST
    @Path("/scan")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance scan() {
        return Templates.discovery(discovery.differences(discovery.scan()), true, false);
    }

    @POST
    @Path("/apply")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance apply() {
        return Templates.discovery(discovery.apply(discovery.scan(), current.user().username), true, true);
    }
}
