package dev.latch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns failures into answers: problem JSON (RFC 9457) for programs, a page
 * for browsers. Unexpected failures are logged with their stack trace and answered with a
 * generic message and the request id; the trace never leaves the server.
 */
@ApplicationScoped
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad request"), Map.entry(401, "Sign-in required"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not found"), Map.entry(405, "Method not allowed"), Map.entry(406, "Not acceptable"),
            Map.entry(409, "Conflict"), Map.entry(413, "Request too large"), Map.entry(415, "Unsupported media type"),
            Map.entry(429, "Too many requests"), Map.entry(500, "Something went wrong"),
            Map.entry(503, "Temporarily unavailable"));

    private static final Map<Integer, String> DETAILS = Map.ofEntries(
            Map.entry(401, "Sign in to continue."),
            Map.entry(403, "You do not have access to this."),
            Map.entry(404, "There is nothing at this address. Check the link, or go back to the start page."),
            Map.entry(405, "This address does not accept that kind of request."),
            Map.entry(406, "This address cannot answer in the format you asked for."),
            Map.entry(413, "The request is larger than the portal accepts."),
            Map.entry(415, "The request body is in a format this address does not accept."),
            Map.entry(500, "An unexpected error stopped this request. Nothing was changed. If it happens again, "
                    + "give your administrator the request id below."),
            Map.entry(503, "The portal cannot reach a service it depends on. Try again in a moment."));

    private final Template errorPage;

    public ErrorResponses(@Location("ErrorPages/error.html") Template errorPage) {
        this.errorPage = errorPage;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        Response response = render(request, e.status(), e.code(), e.title(), e.detail());
        if (e.retryAfterSeconds() != null) {
            return Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds()).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        return render(request, status, null, null, null);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, ContainerRequestContext request) {
        String detail = e.getConstraintViolations().stream()
                .map(ErrorResponses::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return render(request, 400, "invalid-input", "Invalid input", detail);
    }

    @ServerExceptionMapper({JsonProcessingException.class, com.fasterxml.jackson.core.JsonParseException.class,
            com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class})
    public Response malformedJson(JsonProcessingException e, ContainerRequestContext request) {
        return render(request, 400, "malformed-json", "Malformed JSON", "The request body is not valid JSON for this endpoint: " + whatIsWrong(e));
    }

    /**
     * What is wrong with a JSON body, in JSON terms: which field has the wrong type or shape, or
     * where the text stops parsing. Jackson's own message names the Java class the body maps to,
     * which callers have no business seeing (found by the bad-input sweep, issue 13 item 18).
     */
    static String whatIsWrong(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(step -> step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]")
                    .collect(Collectors.joining());
            return field.isEmpty() ? "the body does not have the shape this endpoint takes (a JSON object with its fields)."
                    : "`" + field.substring(field.startsWith(".") ? 1 : 0) + "` has the wrong type or shape.";
        }
        com.fasterxml.jackson.core.JsonLocation where = e.getLocation();
        return where == null ? "it does not parse."
                : "it stops parsing at line " + where.getLineNr() + ", column " + where.getColumnNr() + ".";
    }

    @ServerExceptionMapper({JDBCConnectionException.class, SQLTransientConnectionException.class})
    public Response databaseDown(Exception e, ContainerRequestContext request) {
        LOG.warnf("Database unreachable: %s", e.getMessage());
        return Response.fromResponse(render(request, 503, "database-unavailable", null, null))
                .header("Retry-After", "5").build();
    }

    /**
     * A database constraint refused a write, usually a race with an identical request (two open
     * requests for one level, one person deciding twice). Nothing was stored; say so.
     */
    @ServerExceptionMapper
    public Response conflict(org.hibernate.exception.ConstraintViolationException e, ContainerRequestContext request) {
        LOG.infof("Refused by constraint %s in %s %s", e.getConstraintName(), request.getMethod(), request.getUriInfo().getPath());
        return render(request, 409, "conflict", "Conflict",
                "This conflicts with something that exists already (perhaps the same request sent twice). Nothing was changed. "
                        + "Reload and try again.");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        if (databaseGone(e)) {
            return databaseDown((Exception) e, request);
        }
        if (brokenFormEncoding(e)) {
            return malformedForm(request);
        }
        LOG.errorf(e, "Unexpected failure in %s %s", request.getMethod(), request.getUriInfo().getPath());
        return render(request, 500, null, null, null);
    }

    /**
     * A form body whose percent-encoding does not decode ({@code a=%ZZ}) is the sender's mistake.
     * The framework's form parser throws a bare IllegalArgumentException from its URL decoder before
     * any resource runs, so it is recognised by where it was thrown.
     */
    static boolean brokenFormEncoding(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e instanceof IllegalArgumentException && trace.length > 0
                && trace[0].getClassName().equals(org.jboss.resteasy.reactive.common.util.URLUtils.class.getName());
    }

    /** 400 for a broken form body: OAuth's own error shape on its endpoints (RFC 6749 §5.2), problem JSON or a page elsewhere. */
    private Response malformedForm(ContainerRequestContext request) {
        String detail = "The form body is not valid application/x-www-form-urlencoded (a broken %-escape). Nothing was changed.";
        if (request.getUriInfo().getPath().startsWith("/oauth/")) {
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(Map.of("error", "invalid_request", "error_description", detail)).build();
        }
        return render(request, 400, "malformed-form", "Malformed form", detail);
    }

    /**
     * Whether a failure means the database went away, whatever wrapped it: connection errors
     * (SQLState class 08) and the server shutting down or terminating sessions (57P01–57P03,
     * "terminating connection due to administrator command"), which Hibernate reports as a
     * generic JDBC error.
     */
    static boolean databaseGone(Throwable e) {
        return databaseGone(e, 0);
    }

    /** Walks causes and suppressed exceptions (a failed commit carries the database's error as suppressed). */
    private static boolean databaseGone(Throwable e, int depth) {
        if (depth > 8) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Throwable suppressed : cause.getSuppressed()) {
                if (databaseGone(suppressed, depth + 1)) {
                    return true;
                }
            }
            String state = cause instanceof java.sql.SQLException sql ? sql.getSQLState()
                    : cause instanceof org.hibernate.JDBCException jdbc ? jdbc.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            if (cause instanceof SQLTransientConnectionException || cause instanceof JDBCConnectionException) {
                return true;
            }
        }
        return false;
    }

    private Response render(ContainerRequestContext request, int status, String code, String title, String detail) {
        String path = request.getUriInfo().getPath();
        // htmx requests and JSON calls get JSON too: the page script shows the problem's detail in place
        boolean program = request.getHeaderString("HX-Request") != null
                || (request.getMediaType() != null && request.getMediaType().getSubtype().endsWith("json"));
        String accept = program ? "application/json" : request.getHeaderString(HttpHeaders.ACCEPT);
        return build(path, accept, status, code, title, detail);
    }

    /** Builds the answer for a failure; also used by the Vert.x-level handlers. */
    Response build(String path, String accept, int status, String code, String title, String detail) {
        String resolvedTitle = title != null ? title : TITLES.getOrDefault(status, "Error");
        String resolvedDetail = detail != null ? detail : DETAILS.get(status);
        String requestId = RequestIds.current();
        if (wantsJson(path, accept)) {
            String type = code == null ? "about:blank" : "https://latch.dev/problems/" + code;
            return Response.status(status)
                    .type(Problem.MEDIA_TYPE)
                    .entity(new Problem(type, resolvedTitle, status, resolvedDetail, path, requestId))
                    .build();
        }
        String html = errorPage.data("status", status)
                .data("title", resolvedTitle)
                .data("detail", resolvedDetail)
                .data("requestId", requestId)
                .render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }

    /** Programs get JSON: the API and protocol paths always, elsewhere when they do not ask for HTML. */
    static boolean wantsJson(String path, String accept) {
        if (path != null && (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/oauth/")
                || path.startsWith("/.well-known/"))) {
            return true;
        }
        if (accept == null || accept.isBlank() || accept.contains("text/html") || accept.contains("*/*")) {
            return false;
        }
        return accept.contains("json");
    }

    private static String describe(ConstraintViolation<?> violation) {
        String property = violation.getPropertyPath().toString();
        int dot = property.lastIndexOf('.');
        return (dot >= 0 ? property.substring(dot + 1) : property) + " " + violation.getMessage();
    }
}
