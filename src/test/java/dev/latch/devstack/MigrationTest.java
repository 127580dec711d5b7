package dev.latch.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The migrations build the whole schema on an empty PostgreSQL database, and its constraints hold. */
@QuarkusTest
class MigrationTest {

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> configuredPassword;

    @Test
    void migrationsApplyToAnEmptyDatabase() throws SQLException {
        String password = configuredPassword.orElse("");
        String database = "latch_empty_" + UUID.randomUUID().toString().replace("-", "");
        String emptyUrl = EmbeddedDatabase.createDatabase(url, database);
        try {
            // as the portal runs them: the owner migrates, granting the app role its rights
            Flyway flyway = Flyway.configure().dataSource(emptyUrl, EmbeddedDatabase.OWNER, EmbeddedDatabase.PASSWORD)
                    .placeholders(java.util.Map.of("app_role", user))
                    .locations("classpath:migration").load();
            MigrateResult result = flyway.migrate();
            assertTrue(result.success);
            assertTrue(result.migrationsExecuted >= 1);
            flyway.validate();
            try (Connection c = DriverManager.getConnection(emptyUrl, user, password)) {
                Set<String> tables = tables(c);
                assertTrue(tables.containsAll(Set.of("app_user", "audit_event", "aws_account", "cluster", "access_level")),
                        tables.toString());
            }
        } finally {
            try (Connection admin = dev.latch.testing.DatabaseRoles.superuser(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** A single-role installation (no separate owner) still migrates: V13 then grants and revokes nothing. */
    @Test
    void migrationsApplyWhenOneRoleIsBothOwnerAndApp() throws SQLException {
        String database = "latch_onerole_" + UUID.randomUUID().toString().replace("-", "");
        String emptyUrl = EmbeddedDatabase.createDatabase(url, database);
        try {
            Flyway flyway = Flyway.configure().dataSource(emptyUrl, EmbeddedDatabase.OWNER, EmbeddedDatabase.PASSWORD)
                    .placeholders(java.util.Map.of("app_role", EmbeddedDatabase.OWNER))
                    .locations("classpath:migration").load();
            assertTrue(flyway.migrate().success);
            try (Connection c = DriverManager.getConnection(emptyUrl, EmbeddedDatabase.OWNER, EmbeddedDatabase.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO rate_limit (bucket, subject, window_start, hits) VALUES ('t', 's', now(), 1)");
            }
        } finally {
            try (Connection admin = dev.latch.testing.DatabaseRoles.superuser(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void constraintsRefuseInvalidInventoryRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLException shortId = assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO aws_account (id, account_id, name, environment, default_region) "
                            + "VALUES (gen_random_uuid(), '12345', 'short-id', 'dev', 'eu-west-1')"));
            assertTrue(shortId.getMessage().contains("aws_account_id_digits"), shortId.getMessage());
            SQLException badName = assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO app_user (id, username, display_name, user_handle) "
                            + "VALUES (gen_random_uuid(), 'Not Valid!', 'x', decode(repeat('ab', 32), 'hex'))"));
            assertTrue(badName.getMessage().contains("app_user_username_format"), badName.getMessage());
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        assertEquals(true, names.contains("flyway_schema_history"));
        return names;
    }
}
