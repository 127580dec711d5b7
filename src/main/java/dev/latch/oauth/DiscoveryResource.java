package dev.latch.oauth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Authorization-server metadata (RFC 8414), also served at the OIDC discovery path. */
@Path("/.well-known")
public class DiscoveryResource {

    private final AccessTokens accessTokens;

    public DiscoveryResource(AccessTokens accessTokens) {
        this.accessTokens = accessTokens;
    }

    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> openidConfiguration() {
        return metadata();
    }

    @GET
    @Path("/oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> authorizationServer() {
        return metadata();
    }

    private Map<String, Object> metadata() {
        String issuer = accessTokens.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", issuer + "/oauth/token");
        metadata.put("device_authorization_endpoint", issuer + "/oauth/device_authorization");
        metadata.put("revocation_endpoint", issuer + "/oauth/revoke");
        metadata.put("jwks_uri", issuer + "/oauth/jwks");
        metadata.put("grant_types_supported", List.of(OAuthEndpoints.DEVICE_CODE_GRANT, "refresh_token"));
        metadata.put("response_types_supported", List.of("none"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("none"));
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        metadata.put("dpop_signing_alg_values_supported", List.of("ES256"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("scopes_supported", List.of("openid", "latch"));
        return metadata;
    }
}
