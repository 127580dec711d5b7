package dev.latch.oauth;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes protocol errors in the shape OAuth clients expect, never cached. */
public class OAuthErrorMapper {

    @ServerExceptionMapper
    public Response oauthError(OAuthException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        if (e.getMessage() != null) {
            body.put("error_description", e.getMessage());
        }
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").entity(body);
        if (e.status() == 401) {
            response.header("WWW-Authenticate", "DPoP error=\"" + e.error() + "\"");
        }
        return response.build();
    }
}
