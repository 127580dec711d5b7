package dev.latch.oauth;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The helper login calling the API on this request, once {@link ApiAuthentication} has verified it. */
@RequestScoped
public class ApiCaller {

    private AccessTokens.Claims claims;

    void set(AccessTokens.Claims claims) {
        this.claims = claims;
    }

    public Optional<AccessTokens.Claims> claims() {
        return Optional.ofNullable(claims);
    }

    /** The caller; only behind {@link ApiAccess}. */
    public AccessTokens.Claims require() {
        if (claims == null) {
            throw new IllegalStateException("no API caller on this request");
        }
        return claims;
    }
}
