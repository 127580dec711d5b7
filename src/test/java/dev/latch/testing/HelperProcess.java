package dev.latch.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real {@code latch} helper (the built latch-cli jar) run as a subprocess, as a person runs it. */
public final class HelperProcess {

    private final Process process;
    private final BlockingQueue<String> stderrLines = new LinkedBlockingQueue<>();
    private final List<String> allStderr = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder stdout = new StringBuilder();
    private final Thread[] pumps;

    private HelperProcess(Process process) {
        this.process = process;
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), true));
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), false));
        err.setDaemon(true);
        out.setDaemon(true);
        err.start();
        out.start();
        this.pumps = new Thread[] {err, out};
    }

    /** The helper jar built by Maven (process-classes) into target/classes/latch-cli. */
    public static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target", "classes", "latch-cli"))) {
            return files.filter(p -> p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the helper jar first (mvn process-classes)"));
        }
    }

    /** Runs the helper with {@code configHome} as its state folder and HOME (unless {@code env} says otherwise). */
    public static HelperProcess start(Path configHome, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = ChildEnvironment.hermetic(new ProcessBuilder(command), configHome);
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        builder.environment().putAll(env);
        return new HelperProcess(builder.start());
    }

    /** Runs to completion and returns the exit code. */
    public int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("latch did not finish within " + seconds + " s; stderr so far: " + stderrLines);
        }
        for (Thread pump : pumps) {
            pump.join(5000); // everything the process wrote is read before anyone looks at it
        }
        return process.exitValue();
    }

    /** Everything the process wrote on stderr so far. */
    public String stderr() {
        synchronized (allStderr) {
            return String.join("\n", allStderr);
        }
    }

    /** The next stderr line containing {@code text}, waiting up to 20 s. */
    public String awaitStderr(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = stderrLines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("latch never printed '" + text + "' on stderr");
    }

    public synchronized String stdout() {
        return stdout.toString();
    }

    public List<String> remainingStderr() {
        List<String> lines = new ArrayList<>();
        stderrLines.drainTo(lines);
        return lines;
    }

    private void pump(BufferedReader reader, boolean err) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (err) {
                    stderrLines.add(line);
                    allStderr.add(line);
                } else {
                    synchronized (this) {
                        stdout.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
