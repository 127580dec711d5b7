package dev.latch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged portal ({@code target/quarkus-app/quarkus-run.jar}) run as an operator would run
 * it, in its own JVM, for tests that need real separate instances.
 */
public final class PortalProcess implements AutoCloseable {

    public static final Path RUNNER = Path.of(System.getProperty("latch.app.runner", "target/quarkus-app/quarkus-run.jar"));

    /** A fixed key-encryption key for test portals (never use a published key in production). */
    public static final String TEST_KEK = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private PortalProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts the portal with these environment variables (QUARKUS_* and LATCH_* from the outside are
     * dropped). A test KEK and a public URL on the chosen port are added unless given. The portal
     * and its management interface (health, metrics) each get a free port unless given, so several
     * portals run side by side.
     */
    public static PortalProcess start(Map<String, String> env) throws IOException {
        return start(env, true);
    }

    /** Like {@link #start(Map)}, without the added defaults when {@code defaults} is false. */
    public static PortalProcess start(Map<String, String> env, boolean defaults) throws IOException {
        if (!Files.isRegularFile(RUNNER)) {
            throw new IllegalStateException("package the application first: " + RUNNER);
        }
        int port = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : freePort();
        int managementPort = env.containsKey("QUARKUS_MANAGEMENT_PORT") ? Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT")) : freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        all.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        if (defaults) {
            all.putIfAbsent("LATCH_PORTAL_PUBLIC_URL", "http://localhost:" + port);
            all.putIfAbsent("LATCH_OAUTH_KEY_ENCRYPTION_KEY", TEST_KEK);
        }
        Path log = Files.createTempFile("latch-portal-" + port + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", RUNNER.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("LATCH_"));
        builder.environment().putAll(all);
        return new PortalProcess(builder.start(), log, port, managementPort);
    }

    /** Waits until readiness (on the management port) answers 200, or fails with the portal's log. */
    public PortalProcess awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the portal on port " + port + " did not become ready:\n" + output());
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The management interface: health and metrics, never routed by the Ingress. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
