package dev.latch.identity;

import dev.latch.web.ProblemException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the session cookie on every request and enforces {@link SignedIn}, {@link AdminOnly}
 * and {@link StepUp}. A browser without a session is sent to the sign-in page (htmx requests get
 * an {@code HX-Redirect}); programs get 401 problem JSON.
 */
public class AccessControl {

    private final Sessions sessions;
    private final SessionCookie cookie;
    private final CurrentSession current;

    public AccessControl(Sessions sessions, SessionCookie cookie, CurrentSession current) {
        this.sessions = sessions;
        this.cookie = cookie;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext context, HttpServerRequest request, ResourceInfo resource) {
        Cookie sent = request.getCookie(cookie.name());
        if (sent != null) {
            sessions.resolve(sent.getValue()).ifPresent(live -> current.set(live, sessions.isSteppedUp(live.session())));
        }
        boolean admin = annotated(resource, AdminOnly.class);
        boolean stepUp = annotated(resource, StepUp.class);
        boolean signedIn = admin || stepUp || annotated(resource, SignedIn.class);
        if (signedIn && !current.isSignedIn()) {
            return signInFirst(context, request);
        }
        if (admin && !current.isAdmin()) {
            throw ProblemException.forbidden("admin-only", "Only Latch administrators can do this.");
        }
        if (stepUp) {
            current.requireStepUp(stepUpAction(resource));
        }
        return null;
    }

    private static Response signInFirst(ContainerRequestContext context, HttpServerRequest request) {
        String path = context.getUriInfo().getPath();
        if (path.startsWith("/api/")) {
            throw new ProblemException(401, "sign-in-required", "Sign-in required", "Sign in to continue.");
        }
        String back = request.getHeader("HX-Current-URL");
        String next = back != null ? URI.create(back).getRawPath() : ("GET".equals(context.getMethod()) ? request.uri() : "/");
        String location = "/signin?next=" + URLEncoder.encode(next == null ? "/" : next, StandardCharsets.UTF_8);
        if (request.getHeader("HX-Request") != null) {
            return Response.status(401).header("HX-Redirect", location).build();
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            throw new ProblemException(401, "sign-in-required", "Sign-in required", "Your session has ended. Sign in again.");
        }
        return Response.seeOther(URI.create(location)).build();
    }

    /** What the marked action does, from its {@link StepUp} (the method's, else the class's). */
    private static String stepUpAction(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        StepUp marked = method != null && method.isAnnotationPresent(StepUp.class) ? method.getAnnotation(StepUp.class)
                : resource.getResourceClass().getAnnotation(StepUp.class);
        return marked.value();
    }

    private static boolean annotated(ResourceInfo resource, Class<? extends java.lang.annotation.Annotation> type) {
        Method method = resource.getResourceMethod();
        Class<?> owner = resource.getResourceClass();
        return present(method, type) || present(owner, type);
    }

    private static boolean present(AnnotatedElement element, Class<? extends java.lang.annotation.Annotation> type) {
        return element != null && element.isAnnotationPresent(type);
    }
}
