package dev.latch.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Test-only API endpoints under /api/**, where every error must be problem JSON. */
@Path("/api/v1/test-probe")
public class ApiProbeResource {

    public record Note(@NotBlank String text, @Positive int priority) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> create(@Valid Note note) {
        ProbeResource.CHANGES.incrementAndGet();
        return Map.of("text", note.text(), "priority", note.priority());
    }

    @GET
    @Path("/boom")
    @Produces(MediaType.APPLICATION_JSON)
    public String boom() {
        throw new IllegalStateException("secret internal detail that must not leak");
    }

    @GET
    @Path("/refused")
    @Produces(MediaType.APPLICATION_JSON)
    public String refused() {
        throw ProblemException.forbidden("not-yours", "You cannot read this object.");
    }
}
