package dev.latch.install;

import dev.latch.web.PortalConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The helper's download, install script and instructions page. Public: nothing here is secret. */
@Path("/")
public class InstallResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance install(String portal, boolean available, String sha256, String version);

        static native TemplateInstance script(String portal, String sha256, String version);
    }

    private final HelperDistribution distribution;
    private final PortalConfig portal;

    public InstallResource(HelperDistribution distribution, PortalConfig portal) {
        this.distribution = distribution;
        this.portal = portal;
    }

    @GET
    @Path("install")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return distribution.helper()
                .map(h -> Templates.install(portal.publicOrigin(), true, h.sha256(), h.version()))
                .orElseGet(() -> Templates.install(portal.publicOrigin(), false, "", ""));
    }

    @GET
    @Path("install.sh")
    @Produces("text/x-shellscript; charset=utf-8")
    public Response script() {
        HelperDistribution.Helper helper = distribution.require();
        return Response.ok(Templates.script(portal.publicOrigin(), helper.sha256(), helper.version()).render())
                .header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("download/latch.jar")
    @Produces("application/java-archive")
    public Response jar() {
        HelperDistribution.Helper helper = distribution.require();
        return Response.ok(helper.jar())
                .header("Content-Disposition", "attachment; filename=\"latch.jar\"")
                .header("ETag", "\"" + helper.sha256() + "\"")
                .header("Cache-Control", "no-cache")
                .build();
    }
}
