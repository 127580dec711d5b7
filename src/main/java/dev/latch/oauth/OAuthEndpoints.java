package dev.latch.oauth;

import dev.latch.support.RateLimiter;
import dev.latch.web.PortalConfig;
import dev.latch.web.RequestIds;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol endpoints: device authorization (RFC 8628 §3.1), token (§3.4 and RFC 6749 §6) and
 * revocation (RFC 7009). Form-encoded in, JSON out, never cached. Protocol errors are
 * {@link OAuthException}s.
 */
@Path("/oauth")
public class OAuthEndpoints {

    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final RateLimiter.Limit DEVICE_REQUESTS = new RateLimiter.Limit("device-authorization-ip", 20, Duration.ofMinutes(1));

    private final OAuthConfig config;
    private final DeviceFlow deviceFlow;
    private final TokenIssuer tokens;
    private final DpopProofs dpop;
    private final PortalConfig portal;
    private final RateLimiter rateLimiter;
    private final SigningKeys signingKeys;

    public OAuthEndpoints(OAuthConfig config, DeviceFlow deviceFlow, TokenIssuer tokens, DpopProofs dpop, PortalConfig portal,
            RateLimiter rateLimiter, SigningKeys signingKeys) {
        this.signingKeys = signingKeys;
        this.config = config;
        this.deviceFlow = deviceFlow;
        this.tokens = tokens;
        this.dpop = dpop;
        this.portal = portal;
        this.rateLimiter = rateLimiter;
    }

    @POST
    @Path("/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deviceAuthorization(@FormParam("client_id") String clientId, @FormParam("scope") String scope,
            @FormParam("client_name") String clientName, @FormParam("host_name") String hostName, @FormParam("os") String os) {
        requireClient(clientId);
        try {
            rateLimiter.hit(DEVICE_REQUESTS, RequestIds.clientIp());
        } catch (dev.latch.web.ProblemException limited) {
            throw new OAuthException(429, "slow_down", limited.detail());
        }
        DeviceFlow.Codes codes = deviceFlow.authorize(new DeviceFlow.ClientInfo(clientId, clientName, hostName, os, RequestIds.clientIp()));
        String verification = portal.publicOrigin() + "/device";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", codes.deviceCode());
        body.put("user_code", codes.userCode());
        body.put("verification_uri", verification);
        body.put("verification_uri_complete", verification + "?user_code=" + codes.userCode());
        body.put("expires_in", codes.expiresIn());
        body.put("interval", codes.interval());
        return noStore(body);
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("device_code") String deviceCode, @FormParam("refresh_token") String refreshToken,
            @HeaderParam("DPoP") java.util.List<String> proofs) {
        if (grantType == null || grantType.isBlank()) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        if (!DEVICE_CODE_GRANT.equals(grantType) && !"refresh_token".equals(grantType)) {
            throw new OAuthException("unsupported_grant_type", "Supported: " + DEVICE_CODE_GRANT + ", refresh_token");
        }
        requireClient(clientId);
        String jkt = dpop.verify(proofs, "POST", portal.publicOrigin() + "/oauth/token", null);
        TokenIssuer.Tokens issued = DEVICE_CODE_GRANT.equals(grantType)
                ? deviceFlow.poll(deviceCode, clientId, jkt)
                : tokens.refresh(refreshToken, clientId, jkt);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.accessToken());
        body.put("token_type", "DPoP");
        body.put("expires_in", issued.expiresIn());
        body.put("refresh_token", issued.refreshToken());
        body.put("session_expires_at", issued.sessionEndsAt().toString());
        return noStore(body);
    }

    /** The public keys that verify the portal's tokens (published until tokens they signed have expired). */
    @jakarta.ws.rs.GET
    @Path("/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return Response.ok(signingKeys.jwks().toString(true), MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "public, max-age=300").build();
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@FormParam("token") String token, @FormParam("client_id") String clientId) {
        requireClient(clientId);
        tokens.revoke(token, clientId);
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private void requireClient(String clientId) {
        if (clientId == null || !config.clients().contains(clientId)) {
            throw OAuthException.invalidClient("Unknown client_id.");
        }
    }

    private static Response noStore(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
