package dev.latch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs the helper in-process as kubectl or a person would, with its own home, state and portal stand-in. */
final class HelperHarness {

    final Path home;
    final PortalStub portal;
    final Map<String, String> env = new ConcurrentHashMap<>();
    Clock clock = Clock.systemUTC();

    HelperHarness(Path home, PortalStub portal) {
        this.home = home;
        this.portal = portal;
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LATCH_PORTAL", portal.url());
        env.put("LATCH_NO_BROWSER", "1");
    }

    /** What one run printed, and its exit code. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Latch(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                clock).run(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The real kubectl as the person's shell runs it after the helper: the same HOME, PATH and
     * KUBECONFIG as the helper got, and nothing from the environment the tests were started in.
     */
    Result kubectl(String... args) {
        // looked up on the helper's PATH, not on the one the tests were started with
        String kubectl = java.util.Arrays.stream(env.get("PATH").split(":")).map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError("kubectl is not on " + env.get("PATH")))
                .toString();
        List<String> command = new java.util.ArrayList<>(List.of(kubectl));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        for (String name : List.of("HOME", "PATH", "KUBECONFIG")) {
            if (env.containsKey(name)) {
                builder.environment().put(name, env.get(name));
            }
        }
        try {
            Path out = Files.createTempFile(home, "kubectl-out", ".txt");
            Path err = Files.createTempFile(home, "kubectl-err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int exit = process.waitFor();
            return new Result(exit, Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    StateStore state() {
        return StateStore.fromEnvironment(env);
    }

    /** A sign-in whose access token is good for {@code accessSeconds} more seconds. */
    void signIn(long accessSeconds) {
        Instant now = clock.instant();
        state().saveSession(portal.url(), portal.session(now.plusSeconds(accessSeconds), now.plusSeconds(12 * 3600)).toProperties());
    }

    /** kubectl's KUBERNETES_EXEC_INFO, as Lens (false) or a terminal (true) would cause. */
    void execInfo(boolean interactive) {
        env.put("KUBERNETES_EXEC_INFO", "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
                + "\"spec\":{\"interactive\":" + interactive + "}}");
    }

    /** A "browser" that appends each URL it is asked to open to the returned file. */
    Path countingBrowser() throws IOException {
        Path log = home.resolve("opened-windows.txt");
        Path script = home.resolve("browser.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$1\" >> '" + log + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        env.remove("LATCH_NO_BROWSER");
        env.put("LATCH_BROWSER", script.toString());
        return log;
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
