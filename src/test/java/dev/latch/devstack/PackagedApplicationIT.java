package dev.latch.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.PortalProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as an operator runs it ({@code java -jar quarkus-run.jar}, prod profile):
 * it refuses to start without a database in one line, and with one it migrates, serves and reports
 * ready on its management port only, with no embedded database or AWS emulator of its own.
 */
class PackagedApplicationIT {

    @Test
    void refusesToStartWithoutADatabaseInOneLine() throws Exception {
        try (PortalProcess portal = PortalProcess.start(Map.of(), false)) {
            Process app = portal.process();
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the portal should stop by itself");
            String output = portal.output().trim();
            assertEquals(78, app.exitValue(), output);
            List<String> lines = output.lines().toList();
            assertEquals(1, lines.size(), output);
            assertTrue(lines.get(0).startsWith("Latch cannot start: no database is configured. Set QUARKUS_DATASOURCE_JDBC_URL"), output);
        }
    }

    @Test
    void refusesToStartWithoutAKeyEncryptionKeyInOneLine() throws Exception {
        try (PortalProcess portal = PortalProcess.start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:1/none"), false)) {
            Process app = portal.process();
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the portal should stop by itself");
            String output = portal.output().trim();
            assertEquals(78, app.exitValue(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.startsWith("Latch cannot start: no key-encryption key is configured"), output);
        }
    }

    @Test
    void startsOnAConfiguredDatabaseAndReportsReady() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-it-pg").toFile())
                .start();
             PortalProcess portal = PortalProcess.start(Map.of(
                     "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                     "QUARKUS_DATASOURCE_USERNAME", "postgres",
                     "QUARKUS_DATASOURCE_PASSWORD", "unused",
                     "LATCH_LOG_JSON", "true"))) {
            portal.awaitReady();
            HttpResponse<String> ready = get(portal.managementUrl() + "/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"UP\""), ready.body());
            assertEquals(200, get(portal.managementUrl() + "/q/metrics").statusCode());
            // what the Ingress reaches, the portal's port, has no health or metrics (issue 13, item 16)
            assertEquals(404, get(portal.baseUrl() + "/q/health/ready").statusCode());
            assertEquals(404, get(portal.baseUrl() + "/q/metrics").statusCode());
            String output = portal.output();
            assertTrue(output.lines().anyMatch(l -> l.startsWith("{") && l.contains("\"loggerName\"")),
                    "LATCH_LOG_JSON=true gives JSON log lines:\n" + output);
            assertTrue(output.contains("enrol the first administrator"), "an empty database gets a bootstrap link:\n" + output);
            assertTrue(output.contains("Notifications by email: enabled, through SMTP localhost:25, from latch@localhost"),
                    "the start log says where mail goes:\n" + output);
            assertTrue(output.contains("Notifications by webhook: disabled (set LATCH_NOTIFY_WEBHOOK_URL to enable)"), output);
            assertFalse(output.contains("already registered"), "no duplicate meter warning at start:\n" + output);
            assertFalse(output.contains("embedded PostgreSQL"), "production must not start its own database");
            assertFalse(output.contains("moto_server"), "production must not start an AWS emulator");
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theStartLogNamesEachNotificationChannelWithoutTheWebhookSecret() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-it-pg").toFile())
                .start();
             PortalProcess portal = PortalProcess.start(Map.of(
                     "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                     "QUARKUS_DATASOURCE_USERNAME", "postgres",
                     "QUARKUS_DATASOURCE_PASSWORD", "unused",
                     "LATCH_NOTIFY_EMAIL_ENABLED", "false",
                     "LATCH_NOTIFY_WEBHOOK_URL", "https://hooks.example.test:8443/services/T0/B0/s3cr3tT0ken?x=y"))) {
            portal.awaitReady();
            String output = portal.output();
            assertTrue(output.contains("Notifications by email: disabled (LATCH_NOTIFY_EMAIL_ENABLED=false)"), output);
            assertTrue(output.contains("Notifications by webhook: enabled, to https://hooks.example.test:8443"), output);
            assertFalse(output.contains("s3cr3tT0ken"), "the webhook's path is a secret:\n" + output);
            assertFalse(output.contains("/services/"), "the webhook's path is a secret:\n" + output);
        }
    }
}
