package dev.latch.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The corporate identity provider invitees must sign in to before registering a key. The
 * provider itself is the Quarkus OIDC tenant {@code corp} ({@code quarkus.oidc.corp.*}).
 */
@ConfigMapping(prefix = "latch.upstream")
public interface UpstreamConfig {

    /** Require an upstream sign-in whose verified email matches the invitation. */
    @WithDefault("false")
    boolean enabled();

    /** Name shown on the button, e.g. "Okta" or "Google Workspace". */
    @WithDefault("your company account")
    String displayName();

    /** Claim with the person's groups. */
    @WithDefault("groups")
    String groupsClaim();

    /** Claim with the manager's email. */
    @WithDefault("manager_email")
    String managerClaim();
}
