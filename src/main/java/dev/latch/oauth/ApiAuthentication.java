package dev.latch.oauth;

import dev.latch.identity.User;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.time.Clock;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates API calls from the helper: {@code Authorization: DPoP <access token>} plus a DPoP
 * proof for this request bound to the token's key. The login (token family) and the user are
 * checked on every call, so a revoked login or a disabled user stops working at once, not only
 * when the 10-minute token expires.
 */
public class ApiAuthentication {

    private final AccessTokens accessTokens;
    private final DpopProofs dpop;
    private final ApiCaller caller;
    private final PortalConfig portal;
    private final Clock clock;

    public ApiAuthentication(AccessTokens accessTokens, DpopProofs dpop, ApiCaller caller, PortalConfig portal, Clock clock) {
        this.accessTokens = accessTokens;
        this.dpop = dpop;
        this.caller = caller;
        this.portal = portal;
        this.clock = clock;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 10)
    public void authenticate(ContainerRequestContext context, ResourceInfo resource) {
        boolean required = resource.getResourceMethod() != null && (resource.getResourceMethod().isAnnotationPresent(ApiAccess.class)
                || resource.getResourceClass().isAnnotationPresent(ApiAccess.class));
        if (!required) {
            return;
        }
        String authorization = context.getHeaderString("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "DPoP ", 0, 5)) {
            throw unauthorized("Sign in with `latch login`: this API takes DPoP-bound access tokens (Authorization: DPoP …).");
        }
        String token = authorization.substring(5).trim();
        AccessTokens.Claims claims = accessTokens.verify(token)
                .orElseThrow(() -> unauthorized("The access token is invalid or expired."));
        String url = portal.publicOrigin() + context.getUriInfo().getRequestUri().getRawPath();
        String jkt;
        try {
            jkt = dpop.verify(context.getHeaders().get("DPoP"), context.getMethod(), url, token);
        } catch (OAuthException e) {
            throw unauthorized(e.getMessage());
        }
        if (!jkt.equals(claims.jkt())) {
            throw unauthorized("The DPoP proof was made with another key than the one this token is bound to.");
        }
        boolean live = QuarkusTransaction.joiningExisting().call(() -> {
            TokenFamily family = TokenFamily.findById(claims.familyId());
            User user = User.findById(claims.userId());
            return family != null && family.isLive(clock.instant()) && user != null && user.isActive();
        });
        if (!live) {
            throw unauthorized("This login has ended (logged out, revoked or account disabled). Run `latch login` again.");
        }
        caller.set(claims);
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Not signed in", detail);
    }
}
