package dev.latch.oauth;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.CurrentSession;
import dev.latch.identity.SignedIn;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** Profile → Signed-in devices: the person's helper logins, each revocable. An htmx fragment of the profile page. */
@Path("/profile/devices")
@SignedIn
public class SignedInDevicesResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance devices(List<DeviceView> devices);
    }

    public record DeviceView(UUID id, String client, String host, String os, String since, String lastUsed, String ends) {
    }

    private final TokenIssuer tokens;
    private final CurrentSession current;
    private final AuditLog audit;

    public SignedInDevicesResource(TokenIssuer tokens, CurrentSession current, AuditLog audit) {
        this.tokens = tokens;
        this.current = current;
        this.audit = audit;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return Templates.devices(views(current.user()));
    }

    @POST
    @Path("/{id}/revoke")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance revoke(@PathParam("id") UUID id) {
        User user = current.user();
        if (!tokens.revokeFamily(user.id, id, "revoked from the profile")) {
            throw ProblemException.notFound("You have no signed-in device with that id.");
        }
        audit.record(AuditEntry.of("device.revoked").byUser(user.id.toString(), user.username).on("token_family", id));
        return Templates.devices(views(user));
    }

    private List<DeviceView> views(User user) {
        return tokens.liveFamilies(user.id).stream()
                .map(f -> new DeviceView(f.id, f.clientName, f.hostName == null ? "unknown computer" : f.hostName,
                        f.os == null ? "" : f.os, TimeFormats.display(f.createdAt), TimeFormats.display(f.lastUsedAt),
                        TimeFormats.display(f.expiresAt)))
                .toList();
    }
}
