package dev.latch.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every request an id and records it, with the client address, in the logging context, so
 * log lines, audit rows and error pages can be matched up. An incoming {@code X-Request-Id} is
 * kept only behind a trusted proxy ({@code LATCH_PROXY_FORWARDING=true}) and only when well formed;
 * otherwise a client could choose the id stored in audit rows.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_CLIENT_IP = "clientIp";
    /** Routing-context key under which the id is kept for error handlers. */
    public static final String CONTEXT_KEY = "latch.requestId";

    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private final boolean trustProxy;

    public RequestIds(@org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding",
            defaultValue = "false") boolean trustProxy) {
        this.trustProxy = trustProxy;
    }

    void register(@Observes Filters filters) {
        filters.register(this::assign, 1000);
    }

    private void assign(RoutingContext rc) {
        String incoming = trustProxy ? rc.request().getHeader(HEADER) : null;
        String id = incoming != null && ACCEPTABLE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        rc.put(CONTEXT_KEY, id);
        MDC.put(MDC_REQUEST_ID, id);
        SocketAddress client = rc.request().remoteAddress();
        if (client != null) {
            MDC.put(MDC_CLIENT_IP, client.hostAddress());
        }
        rc.response().putHeader(HEADER, id);
        rc.next();
    }

    /** The client address of the request being handled (the proxy's view when forwarding is trusted). */
    public static String clientIp() {
        Object ip = MDC.get(MDC_CLIENT_IP);
        return ip == null ? null : ip.toString();
    }

    /** The id of the request being handled, if any. */
    public static String current() {
        Object id = MDC.get(MDC_REQUEST_ID);
        return id == null ? null : id.toString();
    }
}
