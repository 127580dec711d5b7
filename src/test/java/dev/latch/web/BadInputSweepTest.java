package dev.latch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.identity.User;
import dev.latch.testing.Browserless;
import dev.latch.testing.DpopKey;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.TableSnapshot;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input on every route, as an attacker would send it (issue 13, item 18): ids that are not
 * ids, broken and oversized bodies, wrong types and wrong content types, anonymously, as an
 * administrator, and (on the API) as an administrator's helper. The routes come from the OpenAPI
 * document and the JAX-RS resources ({@link RouteCatalog}), so a new route is swept without anyone
 * adding it here. Whatever the input, the portal answers below 500, shows no stack trace, answers
 * API errors as problem JSON, and changes no row in any table.
 */
@QuarkusTest
class BadInputSweepTest {

    private static final String BASE = "http://localhost:8081";

    /** Path parameter values that name nothing: not a UUID, too long, a NUL, a way out of the path, non-ASCII, invalid UTF-8. */
    private static final List<String> BAD_IDS = List.of("not-a-uuid", "9".repeat(300), "%00", "../..", "%C3%A9t%C3%A9-%E2%9C%93",
            "%FF%FE");

    /**
     * Tables a refused request legitimately writes, left out of the "nothing changed" check:
     * audit_event, because refusals of security actions must be audited (issue 13, item 14);
     * rate_limit, because the limits count every attempt, refused ones included (that is what
     * makes them limits); dpop_proof, because a proof's jti is remembered the moment it is seen,
     * so it cannot be replayed even when the request it came with is then refused (RFC 9449 §11.1).
     */
    private static final Set<String> WRITTEN_BY_REFUSALS = Set.of("audit_event", "rate_limit", "dpop_proof");

    /** A session's last-seen time moves with every request the administrator makes; that column is left out, the rows are not. */
    private static final Map<String, List<String>> MOVING_COLUMNS = Map.of("user_session", List.of("last_seen_at"));

    /**
     * Routes that act whatever the body holds, because they read none: signing out ends the
     * session it is sent with. Sent as the administrator, it would sign the sweep out; it is still
     * swept anonymously.
     */
    private static final Set<String> ACT_WITHOUT_A_BODY = Set.of("POST /signin/out");

    /** Test-only resources (src/test) that fail on purpose to test the error pages. */
    private static final List<String> TEST_PROBES = List.of("/test-probe", "/api/v1/test-probe");

    /** A frame of a Java stack trace, or the name of an exception class. */
    private static final Pattern STACK_TRACE = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\b[A-Z]\\w*Exception\\b|\\bdev\\.latch\\.");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Fixtures fixtures;

    @Inject
    BeanManager beans;

    @Inject
    DataSource database;

    @Inject
    Scheduler scheduler;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** Who sends: the cookie (if any) and, for the helper, a DPoP-bound token. */
    private record Caller(String name, String session, HelperLogin helper, String accept) {
    }

    /** One bad request: a path (parameters filled in), and a body with its content type, or none. */
    private record Probe(String what, String path, String contentType, byte[] body) {
    }

    @Test
    void noBadInputOnAnyRouteFailsTheServerLeaksATraceOrChangesARow() throws Exception {
        User admin = fixtures.user("sweeper", true);
        List<Caller> callers = List.of(
                new Caller("anonymous", null, null, "application/json"),
                new Caller("administrator", fixtures.session(admin), null, "text/html"),
                new Caller("administrator's helper", null, fixtures.helperLogin(admin), "application/json"));
        JsonNode openApi = JSON.readTree(send("GET", "/q/openapi?format=json", callers.get(0), null, null).body());
        List<RouteCatalog.Operation> operations = RouteCatalog.from(openApi, beans).stream()
                .filter(op -> TEST_PROBES.stream().noneMatch(op.template()::startsWith)).toList();
        assertTrue(operations.size() > 80, "the routes were read: " + operations.size());

        List<String> failures = new ArrayList<>();
        int sent = 0;
        long started = System.nanoTime();
        scheduler.pause(); // background jobs (outbox, housekeeping) would change rows on their own
        try {
            Map<String, String> before = TableSnapshot.take(database, WRITTEN_BY_REFUSALS, MOVING_COLUMNS);
            for (RouteCatalog.Operation op : operations) {
                resetRateLimits(); // so every probe reaches the route, not the limiter
                for (Probe probe : probes(op)) {
                    for (Caller caller : callers) {
                        if (caller.helper() != null && !probe.path().startsWith("/api/")
                                || caller.session() != null && ACT_WITHOUT_A_BODY.contains(op.method() + " " + op.template())) {
                            continue;
                        }
                        HttpResponse<String> answer = send(op.method(), probe.path(), caller, probe.contentType(), probe.body());
                        sent++;
                        String problem = judge(probe, answer);
                        if (problem != null) {
                            failures.add(op.method() + " " + probe.path().substring(0, Math.min(120, probe.path().length()))
                                    + " [" + probe.what() + ", " + caller.name() + "] " + problem);
                        }
                    }
                }
            }
            Map<String, String> after = TableSnapshot.take(database, WRITTEN_BY_REFUSALS, MOVING_COLUMNS);
            System.out.printf("bad-input sweep: %d requests over %d operations in %d ms%n", sent, operations.size(),
                    (System.nanoTime() - started) / 1_000_000);
            assertEquals(List.of(), failures, failures.size() + " bad answers of " + sent);
            assertEquals(before, after, "bad input changed rows (table -> row count and checksum)");
        } finally {
            scheduler.resume();
        }
    }

    /** What is wrong with an answer to bad input, or null. */
    private static String judge(Probe probe, HttpResponse<String> answer) {
        int status = answer.statusCode();
        String body = answer.body();
        if (status >= 500) {
            return "answered " + status + ": " + body.substring(0, Math.min(200, body.length()));
        }
        var trace = STACK_TRACE.matcher(body);
        if (trace.find()) {
            return "the body shows internals (" + trace.group() + "): " + body.substring(Math.max(0, trace.start() - 100),
                    Math.min(body.length(), trace.end() + 100));
        }
        String served = URI.create(BASE + probe.path()).normalize().getRawPath();
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (served.startsWith("/api/") && status >= 400 && !type.startsWith("application/problem+json")) {
            return "an API error that is not problem JSON (" + status + ", " + type + ")";
        }
        return null;
    }

    /** The bad requests for one operation. */
    private static List<Probe> probes(RouteCatalog.Operation op) {
        List<Probe> probes = new ArrayList<>();
        if (!op.pathParams().isEmpty()) {
            for (String bad : BAD_IDS) {
                probes.add(new Probe("id " + bad.substring(0, Math.min(12, bad.length())), op.fill(bad), null, null));
            }
        }
        if (op.body() == RouteCatalog.Body.NONE) {
            return probes;
        }
        // the body is the bad part: path parameters get an id that is well formed and names nothing
        String path = op.fill(UUID.randomUUID().toString());
        probes.add(new Probe("truncated JSON", path, "application/json", utf8("{\"a\": [1, {\"b\": \"")));
        probes.add(new Probe("nested 50 deep", path, "application/json", utf8("[".repeat(50) + "]".repeat(50))));
        probes.add(new Probe("200 KB of JSON", path, "application/json", utf8("[\"" + "x".repeat(200 * 1024) + "\"]")));
        probes.add(new Probe("200 KB form", path, "application/x-www-form-urlencoded", utf8("a=" + "x".repeat(200 * 1024))));
        probes.add(new Probe("broken %-encoding", path, "application/x-www-form-urlencoded",
                concat(utf8("a=%ZZ&b="), new byte[] {(byte) 0xff})));
        probes.add(new Probe("text/plain", path, "text/plain", utf8("hello")));
        probes.add(new Probe("application/xml", path, "application/xml", utf8("<a><b>1</b></a>")));
        // not JSON null: it means "no body", which /signin/start takes on purpose (a sign-in with a discoverable credential)
        for (String wrong : List.of("\"x\"", "42", "true", "[]")) {
            probes.add(new Probe("JSON " + wrong, path, "application/json", utf8(wrong)));
        }
        for (Map.Entry<String, String> field : op.fields().entrySet()) {
            if (op.body() == RouteCatalog.Body.JSON) {
                probes.add(new Probe(field.getKey() + " of a wrong type", path, "application/json",
                        utf8("{\"" + field.getKey() + "\": " + wrongJson(field.getValue()) + "}")));
                probes.add(new Probe(field.getKey() + " nested 50 deep", path, "application/json",
                        utf8("{\"" + field.getKey() + "\": " + "{\"a\": ".repeat(50) + "1" + "}".repeat(50) + "}")));
            } else if (op.body() == RouteCatalog.Body.FORM && !"string".equals(field.getValue())) {
                probes.add(new Probe(field.getKey() + " of a wrong type", path, "application/x-www-form-urlencoded",
                        utf8(field.getKey() + "=not-a-" + field.getValue())));
            }
        }
        return probes;
    }

    /** A JSON value of another kind than the field's type. */
    private static String wrongJson(String type) {
        return switch (type) {
            case "integer", "number", "boolean" -> "\"not-a-" + type + "\"";
            case "array" -> "{\"a\": 1}";
            case "uuid" -> "\"not-a-uuid\"";
            default -> "[[1], {\"a\": 1}]";
        };
    }

    private HttpResponse<String> send(String method, String path, Caller caller, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", caller.accept())
                // the double submit passes, so the requests reach the routes instead of stopping at the CSRF check
                .header("X-CSRF-Token", Browserless.CSRF);
        String cookies = "latch-csrf=" + Browserless.CSRF + (caller.session() == null ? "" : "; latch-session=" + caller.session());
        request.header("Cookie", cookies);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (caller.helper() != null) {
            HelperLogin helper = caller.helper();
            request.header("Authorization", "DPoP " + helper.accessToken())
                    .header("DPoP", helper.key().proof(method, DpopKey.ORIGIN + path, helper.accessToken(), dev.latch.testing.TestClock.now(),
                            UUID.randomUUID().toString()));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void resetRateLimits() throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM rate_limit");
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
