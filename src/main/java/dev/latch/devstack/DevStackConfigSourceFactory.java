package dev.latch.devstack;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Supplies a database (and, where possible, an AWS emulator) to dev mode and tests when none is
 * configured, so that {@code ./mvnw quarkus:dev} and {@code ./mvnw verify} need no set-up.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}.
 */
public class DevStackConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(DevStackConfigSourceFactory.class);

    /** JVM-wide memo of what was started, so live reload and test restarts reuse it. */
    private static final String DB_URL_PROPERTY = "latchdev.db-url";
    private static final String AWS_ENDPOINT_PROPERTY = "latchdev.aws-endpoint";

    /** Lets tests use an existing PostgreSQL instead of the embedded one. */
    static final String TEST_DB_URL_ENV = "LATCH_TEST_DB_URL";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean dev = profiles.contains("dev");
        boolean test = profiles.contains("test");
        if (!dev && !test) {
            requireProductionSettings(context);
            return List.of();
        }
        Map<String, String> values = new HashMap<>();
        if (isUnset(context, "quarkus.datasource.jdbc.url")) {
            supplyDatabase(test, values);
        }
        boolean endpointConfigured = java.util.stream.Stream.of("endpoint", "sts-endpoint", "eks-endpoint",
                "organizations-endpoint", "iam-endpoint").anyMatch(key -> !isUnset(context, "latch.aws." + key));
        if (!endpointConfigured && (test || !realAwsConfigured())) {
            supplyAwsEmulator(test, values);
        }
        return List.of(new PropertiesConfigSource(values, "latch-devstack", 275));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(100);
    }

    /**
     * Production never falls back to development defaults: without a database or a key-encryption
     * key the portal stops at once with one line that says what to set, instead of a stack trace.
     */
    private static void requireProductionSettings(ConfigSourceContext context) {
        if (!RuntimeLaunch.isApplicationRuntime()) {
            return;
        }
        if (isUnset(context, "quarkus.datasource.jdbc.url")) {
            refuseToStart("no database is configured. Set QUARKUS_DATASOURCE_JDBC_URL "
                    + "(jdbc:postgresql://host:5432/latch), QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD.");
        }
        if (isUnset(context, "latch.oauth.key-encryption-key")) {
            refuseToStart("no key-encryption key is configured for the signing keys. Set LATCH_OAUTH_KEY_ENCRYPTION_KEY "
                    + "to base64 of 32 random bytes (openssl rand -base64 32) and keep it in your secret store.");
        }
    }

    private static void refuseToStart(String why) {
        System.err.println("Latch cannot start: " + why);
        System.err.flush();
        Runtime.getRuntime().halt(78); // EX_CONFIG
    }

    private static void supplyDatabase(boolean test, Map<String, String> values) {
        String external = test ? System.getenv(TEST_DB_URL_ENV) : null;
        if (external != null && !external.isBlank()) {
            values.put("quarkus.datasource.jdbc.url", external);
            values.put("quarkus.datasource.username", Optional.ofNullable(System.getenv("LATCH_TEST_DB_USER")).orElse("postgres"));
            values.put("quarkus.datasource.password", Optional.ofNullable(System.getenv("LATCH_TEST_DB_PASSWORD")).orElse(""));
            // the schema owner, when the external database has the two roles as production does
            Optional.ofNullable(System.getenv("LATCH_TEST_DB_OWNER")).filter(o -> !o.isBlank()).ifPresent(owner -> {
                values.put("quarkus.flyway.username", owner);
                values.put("quarkus.flyway.password", Optional.ofNullable(System.getenv("LATCH_TEST_DB_OWNER_PASSWORD")).orElse("-"));
            });
            return;
        }
        String url = System.getProperty(DB_URL_PROPERTY);
        if (url == null) {
            url = EmbeddedDatabase.jdbcUrl();
            System.setProperty(DB_URL_PROPERTY, url);
            LOG.infof("Started an embedded PostgreSQL for the %s profile at %s", test ? "test" : "dev", url);
        }
        values.put("quarkus.datasource.jdbc.url", url);
        // two roles, as in production (docs/operations.md): Flyway as the owner, the portal as the app role
        values.put("quarkus.datasource.username", EmbeddedDatabase.APP);
        values.put("quarkus.datasource.password", EmbeddedDatabase.PASSWORD);
        values.put("quarkus.flyway.username", EmbeddedDatabase.OWNER);
        values.put("quarkus.flyway.password", EmbeddedDatabase.PASSWORD);
    }

    private static void supplyAwsEmulator(boolean test, Map<String, String> values) {
        String endpoint = System.getProperty(AWS_ENDPOINT_PROPERTY);
        if (endpoint == null) {
            Optional<Path> moto = MotoServer.findExecutable();
            if (moto.isEmpty()) {
                String hint = "moto_server is not on the PATH (pip install 'moto[server]')";
                if (test) {
                    throw new IllegalStateException("The tests need the AWS emulator: " + hint);
                }
                LOG.warn("No AWS configured and " + hint + ": AWS-backed actions will explain that AWS is not configured.");
                return;
            }
            endpoint = MotoServer.start(moto.get());
            DemoAwsEstate.seed(endpoint);
            System.setProperty(AWS_ENDPOINT_PROPERTY, endpoint);
            LOG.infof("Started moto_server at %s with the demo AWS organisation", endpoint);
        }
        values.put("latch.aws.endpoint", endpoint);
        values.put("latch.aws.access-key-id", DemoAwsEstate.ACCESS_KEY);
        values.put("latch.aws.secret-access-key", DemoAwsEstate.SECRET_KEY);
        values.put("latch.aws.region", DemoEstate.REGION);
    }

    /** Whether the SDK's default chain would find credentials of a real AWS identity. */
    private static boolean realAwsConfigured() {
        return System.getenv("AWS_ACCESS_KEY_ID") != null
                || System.getenv("AWS_PROFILE") != null
                || System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != null
                || System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                || Path.of(System.getProperty("user.home"), ".aws", "credentials").toFile().isFile();
    }

    private static boolean isUnset(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }
}
