package dev.latch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Routes below JAX-RS: static assets from the top-level {@code web/static} folder, the answer
 * for addresses nothing else serves, and failures raised before a resource is reached. Both
 * answers come from {@link ErrorResponses}, so they look like every other error.
 */
@ApplicationScoped
public class WebRoutes {

    private static final Logger LOG = Logger.getLogger(WebRoutes.class);

    private final ErrorResponses errors;
    private final ObjectMapper json;

    public WebRoutes(ErrorResponses errors, ObjectMapper json) {
        this.errors = errors;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route("/static/*").handler(StaticHandler.create("static")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(3600)
                .setDirectoryListing(false)
                .setIncludeHidden(false));
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE).handler(rc -> answer(rc, 404));
    }

    private void failure(RoutingContext rc) {
        if (rc.failure() != null && rc.failure().getClass().getName().startsWith("io.quarkus.security.")) {
            // Quarkus security signals (e.g. the OIDC code flow's redirect back) are handled by Quarkus itself
            rc.next();
            return;
        }
        int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
        if (status >= 500) {
            LOG.errorf(rc.failure(), "Failure before a resource was reached: %s %s", rc.request().method(), rc.normalizedPath());
        }
        if (rc.response().headWritten()) {
            rc.response().close();
            return;
        }
        answer(rc, status);
    }

    private void answer(RoutingContext rc, int status) {
        Response response = errors.build(rc.normalizedPath(), rc.request().getHeader(HttpHeaders.ACCEPT), status, null, null, null);
        rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, response.getMediaType().toString())
                .end(response.getEntity() instanceof String html ? html : toJson(response.getEntity()));
    }

    private String toJson(Object entity) {
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
