package dev.latch.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers (and the Date header) on every response, static files and errors included. The CSP allows no
 * inline script or style at all: every script is a file under {@code /static} or a webjar,
 * htmx's inline indicator styles are switched off in the layout's htmx-config.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private final PortalConfig portal;

    public SecurityHeaders(PortalConfig portal) {
        this.portal = portal;
    }

    void register(@Observes Filters filters) {
        filters.register(this::addHeaders, 900);
    }

    private void addHeaders(RoutingContext rc) {
        boolean tls = rc.request().isSSL() || "https".equalsIgnoreCase(rc.request().scheme()) || portal.secure();
        rc.addHeadersEndHandler(ignored -> {
            MultiMap headers = rc.response().headers();
            if (!headers.contains("Date")) {
                // RFC 9110 §6.6.1; the helper's `latch doctor` compares clocks with it (DPoP proofs are time-bound)
                headers.set("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
            }
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            // same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on form posts, which the CSRF origin check must refuse
            headers.set("Referrer-Policy", "same-origin");
            headers.set("Cross-Origin-Opener-Policy", "same-origin");
            headers.set("Cross-Origin-Resource-Policy", "same-origin");
            headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
            if (tls) {
                headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            if (!headers.contains("Cache-Control") && !rc.normalizedPath().startsWith("/static/")
                    && !rc.normalizedPath().startsWith("/webjars/")) {
                headers.set("Cache-Control", "no-store");
            }
        });
        rc.next();
    }
}
