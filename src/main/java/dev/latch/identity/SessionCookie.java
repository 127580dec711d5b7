package dev.latch.identity;

import dev.latch.web.PortalConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import jakarta.enterprise.context.ApplicationScoped;

/** The session cookie: HttpOnly, SameSite=Lax, Secure and {@code __Host-} prefixed over TLS. */
@ApplicationScoped
public class SessionCookie {

    private final PortalConfig portal;

    public SessionCookie(PortalConfig portal) {
        this.portal = portal;
    }

    public String name() {
        return portal.secure() ? "__Host-latch-session" : "latch-session";
    }

    public Cookie issue(String token) {
        return base(token);
    }

    public Cookie clear() {
        return base("").setMaxAge(0);
    }

    private Cookie base(String value) {
        return Cookie.cookie(name(), value).setPath("/").setHttpOnly(true).setSecure(portal.secure())
                .setSameSite(CookieSameSite.LAX);
    }
}
