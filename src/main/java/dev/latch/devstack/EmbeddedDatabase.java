package dev.latch.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded PostgreSQL server per JVM, started on first use and stopped when the JVM exits.
 * Loaded only in dev and test: its library is not packaged.
 */
final class EmbeddedDatabase {

    static final String USER = "postgres";

    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** Starts the server if needed and returns the JDBC URL of its {@code postgres} database. */
    static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                Path work = Path.of(System.getProperty("java.io.tmpdir"), "latch-embedded-pg");
                Files.createDirectories(work);
                server = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(work.toFile())
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stop, "embedded-pg-stop"));
        }
        return server.getJdbcUrl(USER, "postgres");
    }

    private static synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // the JVM is exiting; the data directory is temporary
            }
            server = null;
        }
    }
}
