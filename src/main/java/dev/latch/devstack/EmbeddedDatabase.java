package dev.latch.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded PostgreSQL server per JVM, started on first use and stopped when the JVM exits.
 * Loaded only in dev and test: its library is not packaged. It is set up like production: a
 * database {@code latch} owned by {@link #OWNER}, the role Flyway migrates as, and a separate
 * {@link #APP} role the portal connects as, which the migrations grant only what it needs (no
 * UPDATE or DELETE on the audit tables). So tests run with the split, not around it.
 */
public final class EmbeddedDatabase {

    /** The server's superuser; only tests that must bypass every rule (tampering on purpose) use it. */
    public static final String USER = "postgres";
    /** Owns the schema: Flyway runs as this role. */
    public static final String OWNER = "latch_owner";
    /** The portal's role. */
    public static final String APP = "latch_app";
    /** Local trust authentication ignores passwords; Quarkus wants one to be set. */
    public static final String PASSWORD = "embedded";
    static final String DATABASE = "latch";

    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** Starts the server if needed and returns the JDBC URL of its {@code latch} database, with no user in it. */
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
            createRolesAndDatabase();
        }
        // not getJdbcUrl(user, db): a user in the URL would win over the configured one
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    /** A new empty database owned by the migration role, for tests that need a fresh schema. */
    public static String createDatabase(String serverUrl, String name) {
        execute(serverUrl, "CREATE DATABASE " + name + " OWNER " + OWNER);
        return serverUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    private static void createRolesAndDatabase() {
        String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
        execute(url, "CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + PASSWORD + "'");
        execute(url, "CREATE ROLE " + APP + " LOGIN PASSWORD '" + PASSWORD + "'");
        // the owner of a database owns its public schema (PostgreSQL 15+); everyone else may only use it
        execute(url, "CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
    }

    private static void execute(String url, String sql) {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", USER);
        // the driver directly: this runs before Quarkus starts, where DriverManager may not see it
        try (java.sql.Connection c = new org.postgresql.Driver().connect(url, login); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not prepare the embedded PostgreSQL: " + e.getMessage(), e);
        }
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
