package dev.latch.web;

import io.smallrye.config.ConfigMapping;
import java.net.URI;

/** Where the portal lives. */
@ConfigMapping(prefix = "latch.portal")
public interface PortalConfig {

    /**
     * The URL people type to reach the portal, e.g. {@code https://latch.example.com}. It is the
     * only origin trusted for state-changing browser requests, the base of every link Latch sends
     * out, and (later) the WebAuthn relying party's origin and the OAuth issuer.
     */
    URI publicUrl();

    /** The public URL's origin: scheme, host and port, without a trailing slash. */
    default String publicOrigin() {
        URI url = publicUrl();
        return url.getScheme() + "://" + url.getAuthority();
    }

    /** Whether the public URL uses TLS, which decides Secure cookies and HSTS. */
    default boolean secure() {
        return "https".equalsIgnoreCase(publicUrl().getScheme());
    }
}
