package dev.latch.oauth;

import dev.latch.identity.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the helper is signed in as, and until when: {@code latch doctor} and {@code latch status --check}. */
@Path("/api/v1/me")
@ApiAccess
public class MeResource {

    private final ApiCaller caller;

    public MeResource(ApiCaller caller) {
        this.caller = caller;
    }

    public record Me(String username, String displayName, String email, boolean admin, String sessionExpiresAt) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Me me() {
        AccessTokens.Claims claims = caller.require();
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = User.findById(claims.userId());
            TokenFamily family = TokenFamily.findById(claims.familyId());
            return new Me(user.username, user.displayName, user.email, user.admin, family.expiresAt.toString());
        });
    }
}
