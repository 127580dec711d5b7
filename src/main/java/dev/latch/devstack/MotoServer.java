package dev.latch.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A local {@code moto_server} (the AWS emulator from the moto project) on a free loopback port,
 * started once per JVM and stopped with it.
 */
final class MotoServer {

    private static Process process;
    private static String endpoint;

    private MotoServer() {
    }

    /** The {@code moto_server} executable on the PATH, if there is one. */
    static Optional<Path> findExecutable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "moto_server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts moto if needed and returns its endpoint, e.g. {@code http://127.0.0.1:43211}. */
    static synchronized String start(Path executable) {
        if (endpoint != null) {
            return endpoint;
        }
        int port = freePort();
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "moto-" + port + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // The emulator must not see the caller's AWS settings or proxies: moto's own internal
            // AWS calls went to $HTTPS_PROXY, and every create-cluster answered 500.
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + executable + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy(), "moto-stop"));
        String url = "http://127.0.0.1:" + port;
        awaitReady(url, log);
        endpoint = url;
        return endpoint;
    }

    private static void awaitReady(String url, Path log) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited at start; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
        }
        process.destroy();
        throw new IllegalStateException("moto_server did not answer within 30 s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
