package dev.latch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in for a Slack incoming webhook, in the test JVM (JDK HttpServer). It records every POST
 * to {@link #HOOK_PATH} and answers 200 {@code ok}, or 500 {@code internal_error} while a script
 * says a message containing a token must still fail.
 *
 * <p>Quarkus may load test classes in more than one class loader, so the one receiver per JVM is
 * found through a system property, and tests talk to it over HTTP ({@link #failNext},
 * {@link #received}) rather than through static fields.
 */
final class WebhookReceiver {

    static final String PORT_PROPERTY = "latch.test.webhook-port";
    /** Like a Slack webhook, the path is the secret. */
    static final String HOOK_PATH = "/services/T000/B000/s3cr3t-hook-path";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final Map<String, Integer> failuresLeft = new HashMap<>();
    private final List<Map<String, Object>> received = new ArrayList<>();

    private WebhookReceiver() {
    }

    /** Starts the receiver unless this JVM already has one; returns its port. */
    static synchronized int startOnce() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port != null) {
            return Integer.parseInt(port);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver();
            server.createContext(HOOK_PATH, receiver::hook);
            server.createContext("/test/script", receiver::script);
            server.createContext("/test/received", receiver::list);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "webhook-receiver");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            int bound = server.getAddress().getPort();
            System.setProperty(PORT_PROPERTY, String.valueOf(bound));
            return bound;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hookUrl(int port) {
        return "http://127.0.0.1:" + port + HOOK_PATH;
    }

    /** The next {@code times} messages whose JSON contains {@code token} get HTTP 500. */
    static void failNext(String token, int times) {
        call("POST", "/test/script?token=" + token + "&fail=" + times);
    }

    /** Every POST whose JSON contained {@code token}, oldest first: status, body, headers. */
    static List<JsonNode> received(String token) {
        try {
            JsonNode all = JSON.readTree(call("GET", "/test/received?token=" + token));
            List<JsonNode> out = new ArrayList<>();
            all.forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String call(String method, String pathAndQuery) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + System.getProperty(PORT_PROPERTY) + pathAndQuery);
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("receiver answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void hook(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean fail = shouldFail(body);
        int status = fail ? 500 : 200;
        Map<String, Object> entry = new HashMap<>();
        entry.put("method", exchange.getRequestMethod());
        entry.put("path", exchange.getRequestURI().getPath());
        entry.put("status", status);
        entry.put("body", body);
        entry.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
        entry.put("idempotencyKey", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
        synchronized (received) {
            received.add(entry);
        }
        try {
            // slow enough that two racing workers overlap
            Thread.sleep(15);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, status, fail ? "internal_error" : "ok");
    }

    private synchronized boolean shouldFail(String body) {
        for (Map.Entry<String, Integer> script : failuresLeft.entrySet()) {
            if (body.contains(script.getKey()) && script.getValue() > 0) {
                script.setValue(script.getValue() - 1);
                return true;
            }
        }
        return false;
    }

    private void script(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange);
        synchronized (this) {
            failuresLeft.put(q.get("token"), Integer.parseInt(q.get("fail")));
        }
        respond(exchange, 200, "ok");
    }

    private void list(HttpExchange exchange) throws IOException {
        String token = query(exchange).get("token");
        ArrayNode out = JSON.createArrayNode();
        synchronized (received) {
            received.stream().filter(e -> ((String) e.get("body")).contains(token)).forEach(e -> out.add(JSON.valueToTree(e)));
        }
        respond(exchange, 200, out.toString());
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
