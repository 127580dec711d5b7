package dev.latch.web;

import dev.latch.support.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The CSRF token of the current request, for templates ({@code {inject:csrf.token}}). It is the
 * value of the browser's CSRF cookie, or a new random one that {@link CsrfProtection} sets as
 * the cookie when the response goes out.
 */
@RequestScoped
@Named("csrf")
public class CsrfToken {

    /** Form field that carries the token in plain HTML forms. */
    public static final String FORM_FIELD = "_csrf";
    /** Header that carries the token in htmx and fetch requests. */
    public static final String HEADER = "X-CSRF-Token";

    private final HttpServerRequest request;
    private final PortalConfig portal;
    private String token;
    private boolean fresh;

    public CsrfToken(HttpServerRequest request, PortalConfig portal) {
        this.request = request;
        this.portal = portal;
    }

    /** The cookie name: {@code __Host-} prefixed over TLS, so subdomains cannot plant one. */
    public static String cookieName(PortalConfig portal) {
        return portal.secure() ? "__Host-latch-csrf" : "latch-csrf";
    }

    /** The token to embed in forms and in the page's htmx headers. */
    public String getToken() {
        if (token == null) {
            Cookie cookie = request.getCookie(cookieName(portal));
            if (cookie != null && cookie.getValue().length() >= 32) {
                token = cookie.getValue();
            } else {
                token = Secrets.newSecret();
                fresh = true;
            }
        }
        return token;
    }

    public String getFormField() {
        return FORM_FIELD;
    }

    /** Whether the token was made for this request and must be sent as a cookie. */
    boolean isFresh() {
        return fresh;
    }
}
