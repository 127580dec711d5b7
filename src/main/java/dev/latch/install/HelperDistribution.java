package dev.latch.install;

import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/** The helper jar packaged with this portal, its version and checksum. Loaded once, on first use. */
@ApplicationScoped
public class HelperDistribution {

    /** The jar and what people need to trust it. */
    public record Helper(byte[] jar, String sha256, String version) {
    }

    private volatile Optional<Helper> helper;

    /** The helper, or empty when this build has none (dev mode runs without {@code ./mvnw package}). */
    public Optional<Helper> helper() {
        Optional<Helper> loaded = helper;
        if (loaded == null) {
            loaded = load();
            helper = loaded;
        }
        return loaded;
    }

    public Helper require() {
        return helper().orElseThrow(() -> new ProblemException(404, "helper-not-built", "Helper not available",
                "This portal was started without the latch helper jar (dev mode). Build it with ./mvnw package."));
    }

    private static Optional<Helper> load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream("latch-cli.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            properties.load(in);
            try (InputStream jar = loader.getResourceAsStream(properties.getProperty("jar"))) {
                if (jar == null) {
                    return Optional.empty();
                }
                byte[] bytes = jar.readAllBytes();
                return Optional.of(new Helper(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                        properties.getProperty("version")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
