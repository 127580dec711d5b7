package dev.latch.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * What the upstream identity provider contributes to enrolment: whether its sign-in is required,
 * and the verified claims (display name, email, manager, groups) copied onto the new account.
 */
@ApplicationScoped
public class UpstreamIdentity {

    private final UpstreamConfig config;

    public UpstreamIdentity(UpstreamConfig config) {
        this.config = config;
    }

    public boolean required() {
        return config.enabled();
    }

    public String providerName() {
        return config.displayName();
    }

    /** Fills the account from the claims the invitation recorded at upstream sign-in. */
    void applyClaims(User user, Invitation invitation) {
        Map<String, String> claims = invitation.upstreamClaims;
        if (claims == null) {
            return;
        }
        if (claims.get("name") != null && !claims.get("name").isBlank()) {
            user.displayName = claims.get("name");
        }
        if (claims.get("email") != null) {
            user.email = claims.get("email");
        }
        String manager = claims.get("manager_email");
        if (manager != null && !manager.isBlank()) {
            User.findByEmail(manager).ifPresentOrElse(m -> user.managerId = m.id, () -> user.managerEmail = manager);
        }
    }
}
