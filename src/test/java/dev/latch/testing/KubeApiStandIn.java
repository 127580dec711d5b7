package dev.latch.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for an EKS cluster's Kubernetes API server, for end-to-end tests that run the real
 * {@code kubectl}: HTTPS on 127.0.0.1 with its own CA, every request authenticated with an EKS
 * bearer token the way EKS does it ({@link EksTokenCheck}), and just enough of the API for
 * {@code kubectl get namespaces}: discovery ({@code /api}, {@code /apis}, {@code /api/v1},
 * {@code /version}) and read-only namespaces, as a list or as the Table kubectl asks for.
 */
public final class KubeApiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

    private final EksTokenCheck tokens;
    private final Clock clock;
    private final List<String> namespaces;
    private final Instant createdAt;
    private final LoopbackTls tls;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final List<String> acceptedAccessKeys = new CopyOnWriteArrayList<>();
    private volatile String lastRejection;

    private KubeApiStandIn(String clusterName, Function<String, Optional<String>> secretForAccessKey, Clock clock, List<String> namespaces)
            throws IOException {
        this.tokens = new EksTokenCheck(clusterName, secretForAccessKey, clock);
        this.clock = clock;
        this.namespaces = List.copyOf(namespaces);
        this.createdAt = clock.instant();
        this.tls = LoopbackTls.generate();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        // kubectl opens parallel connections during discovery
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "kube-api-stand-in");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a stand-in for the cluster {@code clusterName} (the x-k8s-aws-id that tokens must be
     * signed for). {@code secretForAccessKey} plays STS: the secret access key of an access key id,
     * empty if unknown. {@code clock} decides whether tokens are too old; namespaces are created "now".
     */
    public static KubeApiStandIn start(String clusterName, Function<String, Optional<String>> secretForAccessKey, Clock clock,
            List<String> namespaces) {
        try {
            return new KubeApiStandIn(clusterName, secretForAccessKey, clock, namespaces);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://127.0.0.1:<port>}, the kubeconfig's cluster server. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Base64 of the CA certificate PEM: EKS's certificateAuthority.data, kubeconfig's certificate-authority-data. */
    public String caBundleBase64() {
        return Base64.getEncoder().encodeToString(tls.caPem().getBytes(StandardCharsets.US_ASCII));
    }

    /** Access key ids of accepted tokens, in order, one per authenticated request. */
    public List<String> acceptedAccessKeys() {
        return List.copyOf(acceptedAccessKeys);
    }

    /** Why the latest refused request was refused, if any was. */
    public Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String accessKey;
            try {
                accessKey = tokens.accessKeyOf(exchange.getRequestHeaders().getFirst("Authorization"));
            } catch (EksTokenCheck.Rejected e) {
                lastRejection = e.getMessage();
                send(exchange, 401, UNAUTHORIZED);
                return;
            }
            acceptedAccessKeys.add(accessKey);
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            boolean table = String.valueOf(exchange.getRequestHeaders().getFirst("Accept")).contains("as=Table");
            String body = switch (path) {
                case "/version" -> json(map("major", "1", "minor", "32", "gitVersion", "v1.32.0-latch-standin", "platform", "linux/amd64"));
                // plain APIVersions/APIGroupList as application/json: kubectl falls back from aggregated discovery
                case "/api" -> json(map("kind", "APIVersions", "versions", List.of("v1"), "serverAddressByClientCIDRs",
                        List.of(map("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1:" + server.getAddress().getPort()))));
                case "/apis" -> json(map("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of()));
                case "/api/v1" -> json(map("kind", "APIResourceList", "groupVersion", "v1", "resources", List.of(map(
                        "name", "namespaces", "singularName", "namespace", "namespaced", false, "kind", "Namespace",
                        "verbs", List.of("get", "list"), "shortNames", List.of("ns")))));
                case "/api/v1/namespaces" -> table ? json(table(namespaces)) : json(namespaceList());
                default -> namespaceAt(path, table);
            };
            if (body == null) {
                send(exchange, 404, status(404, "NotFound", "the server could not find the requested resource"));
            } else {
                send(exchange, 200, body);
            }
        }
    }

    /** GET /api/v1/namespaces/{name}, or null when it is not a namespace this stand-in serves. */
    private String namespaceAt(String path, boolean table) {
        String prefix = "/api/v1/namespaces/";
        if (!path.startsWith(prefix) || !namespaces.contains(path.substring(prefix.length()))) {
            return null;
        }
        String name = path.substring(prefix.length());
        if (table) {
            return json(table(List.of(name)));
        }
        Map<String, Object> namespace = namespace(name);
        namespace.put("kind", "Namespace");
        namespace.put("apiVersion", "v1");
        return json(namespace);
    }

    private Map<String, Object> namespaceList() {
        List<Object> items = new ArrayList<>();
        namespaces.forEach(name -> items.add(namespace(name)));
        return map("kind", "NamespaceList", "apiVersion", "v1", "metadata", map("resourceVersion", "1"), "items", items);
    }

    private Map<String, Object> namespace(String name) {
        return map("metadata", metadata(name), "spec", map("finalizers", List.of("kubernetes")), "status", map("phase", "Active"));
    }

    private Map<String, Object> metadata(String name) {
        return map("name", name, "uid", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(),
                "resourceVersion", "1", "creationTimestamp", createdAt.toString());
    }

    /**
     * Server-side printing (meta.k8s.io/v1 Table), what {@code kubectl get} asks for: the server
     * chooses the columns and renders the cells, including Age, and kubectl prints them as they are.
     */
    private Map<String, Object> table(List<String> names) {
        List<Object> rows = new ArrayList<>();
        for (String name : names) {
            rows.add(map("cells", List.of(name, "Active", age()),
                    "object", map("kind", "PartialObjectMetadata", "apiVersion", "meta.k8s.io/v1", "metadata", metadata(name))));
        }
        return map("kind", "Table", "apiVersion", "meta.k8s.io/v1", "metadata", map("resourceVersion", "1"),
                "columnDefinitions", List.of(
                        column("Name", "name", "Name of the namespace"),
                        column("Status", "", "The status of the namespace"),
                        column("Age", "", "CreationTimestamp of the namespace")),
                "rows", rows);
    }

    private static Map<String, Object> column(String name, String format, String description) {
        return map("name", name, "type", "string", "format", format, "description", description, "priority", 0);
    }

    /** Age as Kubernetes prints it, roughly: 42s, 5m, 3h, 2d. */
    private String age() {
        Duration age = Duration.between(createdAt, clock.instant());
        if (age.toMinutes() < 2) {
            return Math.max(0, age.toSeconds()) + "s";
        }
        if (age.toHours() < 2) {
            return age.toMinutes() + "m";
        }
        return age.toDays() < 2 ? age.toHours() + "h" : age.toDays() + "d";
    }

    private static String status(int code, String reason, String message) {
        return json(map("kind", "Status", "apiVersion", "v1", "metadata", map(), "status", "Failure", "message", message,
                "reason", reason, "code", code));
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An ordered JSON object from alternating keys and values. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
