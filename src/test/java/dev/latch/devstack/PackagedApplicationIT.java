package dev.latch.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as an operator runs it ({@code java -jar quarkus-run.jar}, prod profile):
 * it refuses to start without a database in one line, and with one it migrates, serves and reports
 * ready, with no embedded database or AWS emulator of its own.
 */
class PackagedApplicationIT {

    private static final Path RUNNER = Path.of(System.getProperty("latch.app.runner", "target/quarkus-app/quarkus-run.jar"));

    @Test
    void refusesToStartWithoutADatabaseInOneLine() throws Exception {
        Process app = start(Map.of());
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the portal should stop by itself");
        String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(78, app.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).startsWith("Latch cannot start: no database is configured. Set QUARKUS_DATASOURCE_JDBC_URL"), output);
    }

    @Test
    void startsOnAConfiguredDatabaseAndReportsReady() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-it-pg").toFile())
                .start()) {
            int port = freePort();
            Path log = Files.createTempFile("latch-packaged-", ".log");
            Process app = start(Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "unused",
                    "QUARKUS_HTTP_PORT", String.valueOf(port),
                    "LATCH_LOG_JSON", "true"), log);
            try {
                HttpResponse<String> ready = awaitReady(port, app);
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"UP\""), ready.body());
                String output = Files.readString(log);
                assertTrue(output.lines().anyMatch(l -> l.startsWith("{") && l.contains("\"loggerName\"")),
                        "LATCH_LOG_JSON=true gives JSON log lines:\n" + output);
                assertFalse(output.contains("embedded PostgreSQL"), "production must not start its own database");
                assertFalse(output.contains("moto_server"), "production must not start an AWS emulator");
            } finally {
                app.destroy();
                app.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static Process start(Map<String, String> env) throws IOException {
        return start(env, null);
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        assertTrue(Files.isRegularFile(RUNNER), "package the application first: " + RUNNER);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", RUNNER.toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("LATCH_"));
        builder.environment().putAll(env);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        return builder.start();
    }

    private static HttpResponse<String> awaitReady(int port, Process app) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        IOException last = null;
        while (Instant.now().isBefore(deadline) && app.isAlive()) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                last = notYet;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the portal did not answer on port " + port + (app.isAlive() ? "" : " (it exited)"), last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
