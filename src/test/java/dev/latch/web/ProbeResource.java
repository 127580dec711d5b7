package dev.latch.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only endpoints that exercise the shared web plumbing the way feature resources will:
 * a form that changes state (and counts how often it did), an htmx-style POST, an API endpoint
 * that takes JSON, and endpoints that fail.
 */
@Path("/test-probe")
public class ProbeResource {

    static final AtomicInteger CHANGES = new AtomicInteger();

    private final Flash flash;

    public ProbeResource(Flash flash) {
        this.flash = flash;
    }

    @POST
    @Path("/form")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response form(@FormParam("note") String note) {
        CHANGES.incrementAndGet();
        flash.success("Saved: " + note);
        return Response.seeOther(URI.create("/")).build();
    }

    @GET
    @Path("/boom")
    @Produces(MediaType.TEXT_HTML)
    public String boom() {
        throw new IllegalStateException("secret internal detail that must not leak");
    }
}
