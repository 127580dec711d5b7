package dev.latch.web;

import dev.latch.support.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

/**
 * The CSRF token of the current request, for templates ({@code {inject:csrf.token}}). It is the
 * value of the browser's CSRF cookie, or a new random one that is put on the response as the
 * cookie at the moment it is made.
 *
 * <p>Why then, and not in a response filter: a resource that returns a template is rendered after
 * the filters have run, so a filter would not yet know that the page needs a token, and a browser
 * with no cookie (a bookmark, a link from an email) would get a form it cannot post. Qute renders
 * the whole page before the response head is written, so a cookie added while rendering is sent.
 */
@RequestScoped
@Named("csrf")
public class CsrfToken {

    /** Form field that carries the token in plain HTML forms. */
    public static final String FORM_FIELD = "_csrf";
    /** Header that carries the token in htmx and fetch requests. */
    public static final String HEADER = "X-CSRF-Token";

    private static final Logger LOG = Logger.getLogger(CsrfToken.class);

    private final HttpServerRequest request;
    private final PortalConfig portal;
    private String token;

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
                sendAsCookie(request.response(), token);
            }
        }
        return token;
    }

    private void sendAsCookie(HttpServerResponse response, String value) {
        if (response.headWritten()) {
            // a page streamed before it asked for a token: its forms will be refused, so say where
            LOG.errorf("CSRF token made after the response head of %s was written; its forms cannot be posted", request.path());
            return;
        }
        // HttpOnly: only the server puts the token into pages. Lax, not Strict: a Strict cookie is not
        // sent when a person follows a link from email or chat, so every such visit would replace the
        // token and expire the forms in the person's other tabs. The token's protection is the double
        // submit and the Origin check (CsrfProtection), which SameSite does not change.
        response.addCookie(Cookie.cookie(cookieName(portal), value)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(portal.secure())
                .setSameSite(CookieSameSite.LAX));
    }

    public String getFormField() {
        return FORM_FIELD;
    }
}
