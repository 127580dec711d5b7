package dev.latch.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Cross-site request forgery protection for every state-changing request.
 *
 * <ol>
 *   <li>Any unsafe request (POST, PUT, PATCH, DELETE) that a browser marks as cross-site, or whose
 *       {@code Origin} is not the portal's, is refused, on every path.</li>
 *   <li>Browser paths (everything but {@code /api/**}, {@code /oauth/**} and {@code /q/**}, which
 *       authenticate with bearer tokens and never with cookies, except the admin API, which takes the
 *       admin's session cookie) must also carry the CSRF token,
 *       in the {@code _csrf} form field or the {@code X-CSRF-Token} header, equal to the CSRF
 *       cookie (double submit). The layout puts the header on every htmx request.</li>
 * </ol>
 */
public class CsrfProtection {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final PortalConfig portal;

    public CsrfProtection(PortalConfig portal) {
        this.portal = portal;
    }

    @ServerRequestFilter(preMatching = false)
    @WithFormRead
    public void verify(ContainerRequestContext context, ServerRequestContext serverContext, HttpServerRequest request) {
        if (SAFE_METHODS.contains(context.getMethod())) {
            return;
        }
        if ("cross-site".equals(request.getHeader("Sec-Fetch-Site")) || !sameOrigin(request)) {
            throw ProblemException.forbidden("cross-origin-request",
                    "This request came from another web site, so Latch refused it. Open the portal directly and try again.");
        }
        if (!cookieAuthenticatedPath(context.getUriInfo().getPath())) {
            return;
        }
        String sent = request.getHeader(CsrfToken.HEADER);
        if (sent == null && serverContext instanceof ResteasyReactiveRequestContext reactive) {
            Object field = reactive.getFormParameter(CsrfToken.FORM_FIELD, true, false);
            sent = field == null ? null : field.toString();
        }
        Cookie cookie = request.getCookie(CsrfToken.cookieName(portal));
        if (sent == null || cookie == null || !MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden("csrf-rejected",
                    "This form has expired or did not come from a Latch page. Go back, reload the page and try again.");
        }
    }

    /**
     * Paths a browser reaches with cookies: the pages, and the admin API (which takes the admin's
     * session cookie, so its writes need the token header too). The rest take bearer tokens only.
     */
    static boolean cookieAuthenticatedPath(String path) {
        return path.startsWith("/api/v1/admin/") || !(path.startsWith("/api/") || path.startsWith("/oauth/") || path.startsWith("/q/"));
    }

    private boolean sameOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(portal.publicOrigin());
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            try {
                URI uri = URI.create(referer);
                return (uri.getScheme() + "://" + uri.getAuthority()).equalsIgnoreCase(portal.publicOrigin());
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        // Programs (the helper, curl) send neither header; browsers always send Origin on POST.
        return true;
    }
}
