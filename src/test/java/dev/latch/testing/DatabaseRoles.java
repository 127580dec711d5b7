package dev.latch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Connections to the test database as the roles other than the portal's own: the schema owner
 * Flyway migrates as, and the server's superuser. Tests use them to do what the portal cannot,
 * such as deleting audit rows behind its back.
 */
public final class DatabaseRoles {

    /** The embedded server's superuser (local trust authentication: no password). */
    private static final String SUPERUSER = "postgres";

    private DatabaseRoles() {
    }

    /** The role that owns the tables (runs the migrations). */
    public static Connection owner() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String user = config.getOptionalValue("quarkus.flyway.username", String.class)
                .orElseGet(() -> config.getValue("quarkus.datasource.username", String.class));
        String password = config.getOptionalValue("quarkus.flyway.password", String.class)
                .orElseGet(() -> config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        return DriverManager.getConnection(url(), user, password);
    }

    /** The superuser, who bypasses every permission and can even skip triggers. */
    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection(url(), SUPERUSER, "");
    }

    /** The portal's role name. */
    public static String appRole() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
    }

    public static String url() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }
}
