package dev.latch.identity;

import dev.latch.web.PortalConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The cookie that ties an upstream proof to the browser that made it: a random secret set when
 * the upstream sign-in comes back, whose hash the invitation keeps. Key registration needs it at
 * start and finish, so a leaked link is no use in any other browser. Like the session cookie it is
 * {@code __Host-} prefixed and Secure over TLS (the prefix needs Secure, Path=/ and no Domain, so
 * no sibling subdomain can plant one); plain-HTTP dev and tests drop the prefix.
 */
@ApplicationScoped
public class UpstreamProofCookie {

    private final PortalConfig portal;

    public UpstreamProofCookie(PortalConfig portal) {
        this.portal = portal;
    }

    public String name() {
        return portal.secure() ? "__Host-latch-enrol-proof" : "latch-enrol-proof";
    }

    /** The secret this browser holds, if any. */
    public Optional<String> read(HttpServerRequest request) {
        return Optional.ofNullable(request.getCookie(name())).map(Cookie::getValue).filter(v -> !v.isBlank());
    }

    /** Lax, not Strict: the page load right after the IdP's redirect chain is a cross-site navigation and must carry it. */
    public Cookie issue(String secret, Instant now, Instant until) {
        long seconds = Math.max(1, Duration.between(now, until).toSeconds());
        return Cookie.cookie(name(), secret).setPath("/").setHttpOnly(true).setSecure(portal.secure())
                .setSameSite(CookieSameSite.LAX).setMaxAge(seconds);
    }

    /** Removes it once the key is registered: the proof is spent with the link. */
    public Cookie clear() {
        return Cookie.cookie(name(), "").setPath("/").setHttpOnly(true).setSecure(portal.secure())
                .setSameSite(CookieSameSite.LAX).setMaxAge(0);
    }
}
