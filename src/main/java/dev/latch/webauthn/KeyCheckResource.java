package dev.latch.webauthn;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** "Check your security key": lets a newcomer test browser and key before enrolling. */
@Path("/security-key/check")
public class KeyCheckResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance check();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance check() {
        return Templates.check();
    }
}
