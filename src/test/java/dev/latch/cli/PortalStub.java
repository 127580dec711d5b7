package dev.latch.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the portal that answers as /work/kube-api-contract.md and docs/cli.md describe:
 * rotating refresh tokens (a spent one is "theft"), the device flow, and the issue-6 API. It counts
 * calls so tests can assert what the helper did not do.
 */
final class PortalStub implements AutoCloseable {

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> requestBodies = new CopyOnWriteArrayList<>();
    volatile String accessToken = "access-0";
    volatile String refreshToken = "refresh-0";
    volatile boolean refreshTokenReused;
    /** What the next device-code poll answers: authorization_pending, approved, access_denied... */
    volatile String deviceState = "authorization_pending";
    volatile long tokenLifetimeSeconds = 900;
    volatile long answerDelayMillis = 150;
    /** How many API calls to refuse with 401 as a replayed DPoP proof (a load balancer's retry). */
    final AtomicInteger replayRefusals = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final AtomicInteger serial = new AtomicInteger();

    PortalStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int count(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    /** A signed-in session for the helper's state, bound to the stub's current tokens. */
    Session session(Instant accessExpiresAt, Instant sessionEndsAt) {
        DpopSigner dpop = DpopSigner.generate();
        return new Session(url(), "ada", accessToken, accessExpiresAt, refreshToken, sessionEndsAt,
                dpop.privateKeyBase64(), dpop.publicKeyBase64());
    }

    /** The portal ends every sign-in (signed out in the browser, account disabled). */
    void revokeEverything() {
        accessToken = "revoked-" + serial.incrementAndGet();
        refreshToken = "revoked-" + serial.incrementAndGet();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        try {
            Thread.sleep(answerDelayMillis); // widen the window in which parallel helpers could race
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        switch (path) {
            case "/oauth/token" -> token(exchange, form(body));
            case "/oauth/device_authorization" -> send(exchange, 200, "{\"device_code\":\"device-" + serial.incrementAndGet()
                    + "\",\"user_code\":\"ABCD-EFGH\",\"verification_uri\":\"" + url() + "/device\",\"verification_uri_complete\":\""
                    + url() + "/device?user_code=ABCD-EFGH\",\"expires_in\":600,\"interval\":1}");
            default -> api(exchange, path, query, body);
        }
    }

    private synchronized void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        if ("refresh_token".equals(form.get("grant_type"))) {
            if (!refreshToken.equals(form.get("refresh_token"))) {
                refreshTokenReused = true; // the portal would revoke the whole login now
                send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token already used\"}");
                return;
            }
            sendTokens(exchange);
            return;
        }
        switch (deviceState) {
            case "approved" -> {
                deviceState = "redeemed";
                sendTokens(exchange);
            }
            case "redeemed" -> send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code already used\"}");
            default -> send(exchange, 400, "{\"error\":\"" + deviceState + "\"}");
        }
    }

    private void sendTokens(HttpExchange exchange) throws IOException {
        int n = serial.incrementAndGet();
        accessToken = "access-" + n;
        refreshToken = "refresh-" + n;
        send(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"DPoP\",\"expires_in\":600,\"refresh_token\":\""
                + refreshToken + "\",\"session_expires_at\":\"" + Instant.now().plusSeconds(12 * 3600) + "\"}");
    }

    private void api(HttpExchange exchange, String path, Map<String, String> query, String body) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("DPoP " + accessToken).equals(authorization) || exchange.getRequestHeaders().getFirst("DPoP") == null) {
            problem(exchange, 401, "invalid-token", "Sign in again: run `latch login`.");
            return;
        }
        if (replayRefusals.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            problem(exchange, 401, "invalid-dpop-proof", "This DPoP proof was already used.");
            return;
        }
        String expires = Instant.now().plusSeconds(tokenLifetimeSeconds).toString();
        if (path.startsWith("/api/v1/requests")) {
            accessRequest(exchange, path, body);
            return;
        }
        switch (path) {
            case "/api/v1/kube/token" -> {
                String issuance = query.get("issuance");
                if (issuance.startsWith("expired")) {
                    problem(exchange, 410, "issuance-expired", "This kubeconfig expired on 2026-11-20; download a new one at "
                            + url() + "/kube.");
                } else {
                    send(exchange, 200, "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                            + "\"status\":{\"token\":\"k8s-aws-v1." + issuance + "." + serial.incrementAndGet()
                            + "\",\"expirationTimestamp\":\"" + expires + "\"}}");
                }
            }
            case "/api/v1/aws/credentials" -> send(exchange, 200, "{\"Version\":1,\"AccessKeyId\":\"ASIA" + serial.incrementAndGet()
                    + "\",\"SecretAccessKey\":\"secret\",\"SessionToken\":\"session-" + query.get("account") + "-" + query.get("level")
                    + "\",\"Expiration\":\"" + expires + "\"}");
            case "/api/v1/aws/console" -> send(exchange, 200, "{\"url\":\"https://signin.aws.amazon.com/federation?Action=login&Destination="
                    + query.get("account") + "\",\"expiresAt\":\"" + expires + "\"}");
            case "/api/v1/access" -> send(exchange, 200, ACCESS);
            case "/api/v1/kube/issuances" -> issuance(exchange, body);
            default -> problem(exchange, 404, "not-found", "No such endpoint.");
        }
    }

    private void issuance(HttpExchange exchange, String body) throws IOException {
        requestBodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
        Map<String, Object> request = Json.parseObject(body);
        String cluster = (String) request.get("cluster");
        send(exchange, 201, "{\"issuanceId\":\"" + UUID.randomUUID() + "\",\"contextName\":\"" + cluster + "\",\"clusterName\":\"latch-"
                + cluster + "\",\"userName\":\"latch-" + cluster + "-" + request.get("level") + "\",\"server\":\"https://" + cluster
                + ".eks.example.com\",\"certificateAuthorityData\":\"Q0EtREFUQQ==\",\"namespace\":null,\"expiresAt\":\""
                + Instant.now().plusSeconds(7 * 86400) + "\",\"kubeconfig\":\"apiVersion: v1\\n\"}");
    }

    /** The access request {@code POST /api/v1/requests} files: decided after {@link #pollsBeforeDecision} polls. */
    volatile String requestDecision = "approved";
    volatile int pollsBeforeDecision = 2;
    /** When set, {@code POST /api/v1/requests} refuses with this status and detail. */
    volatile int requestRefusalStatus;
    volatile String requestRefusalDetail;
    volatile String requestExpiresAt;
    final AtomicInteger requestPolls = new AtomicInteger();
    private volatile String requestId;
    private volatile Map<String, Object> asked;

    private void accessRequest(HttpExchange exchange, String path, String body) throws IOException {
        if ("POST".equals(exchange.getRequestMethod()) && path.equals("/api/v1/requests")) {
            requestBodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            if (requestRefusalStatus != 0) {
                problem(exchange, requestRefusalStatus, "refused", requestRefusalDetail);
                return;
            }
            asked = Json.parseObject(body);
            requestId = UUID.randomUUID().toString();
            send(exchange, 201, requestAnswer("pending"));
            return;
        }
        if ("GET".equals(exchange.getRequestMethod()) && requestId != null && path.equals("/api/v1/requests/" + requestId)) {
            send(exchange, 200, requestAnswer(requestPolls.incrementAndGet() >= pollsBeforeDecision ? requestDecision : "pending"));
            return;
        }
        problem(exchange, 404, "not-found", "You have no request with this id.");
    }

    private String requestAnswer(String status) {
        String expiresAt = requestExpiresAt != null ? requestExpiresAt : Instant.now().plusSeconds(86400).toString();
        return "{\"id\":\"" + requestId + "\",\"status\":\"" + status + "\",\"level\":\"dev (222222222222) / cluster " + asked.get("target")
                + " / " + asked.get("level") + "\",\"duration\":\"2 h\",\"reason\":\"" + asked.get("reason") + "\",\"expiresAt\":\""
                + expiresAt + "\",\"link\":\"" + url() + "/requests/" + requestId + "\",\"approvers\":[\"grace\",\"linus\"]}";
    }

    static final String ACCESS = """
            {"targets":[
              {"kind":"cluster","name":"staging-apps","account":"staging","accountId":"111111111111","environment":"staging",
               "region":"eu-west-1","contextName":"staging-apps","levels":[{"name":"edit","state":"standing"},{"name":"admin","state":"requestable"}]},
              {"kind":"cluster","name":"dev-apps","account":"dev","accountId":"222222222222","environment":"dev",
               "region":"eu-west-1","contextName":"dev-apps","levels":[{"name":"edit","state":"standing"},{"name":"admin","state":"granted","until":"2026-11-20T14:05:00Z"}]},
              {"kind":"cluster","name":"prod-apps","account":"prod","accountId":"333333333333","environment":"production",
               "region":"eu-west-1","contextName":"prod-apps","levels":[{"name":"view","state":"standing"}]},
              {"kind":"account","name":"staging","account":"staging","accountId":"111111111111","environment":"staging",
               "region":"eu-west-1","contextName":null,"levels":[{"name":"read-only","state":"standing"}]},
              {"kind":"account","name":"dev sandbox","account":"dev sandbox","accountId":"222222222222","environment":"dev",
               "region":"eu-central-1","contextName":null,"levels":[{"name":"admin","state":"requestable"},{"name":"power-user","state":"granted","until":"2026-11-21T08:00:00Z"}]}]}
            """;

    private static void problem(HttpExchange exchange, int status, String slug, String detail) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        send(exchange, status, "{\"type\":\"https://latch.dev/problems/" + slug + "\",\"title\":\"" + slug + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("`", "\\u0060") + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
