package dev.latch.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The person's kubectl. Latch reads and writes kubeconfigs only through it (no YAML library), so
 * files are merged and read exactly as kubectl will read them afterwards. Every run gets the
 * helper's environment with an explicit {@code KUBECONFIG}.
 */
final class Kubectl {

    private final Path binary;
    private final Map<String, String> env;

    private Kubectl(Path binary, Map<String, String> env) {
        this.binary = binary;
        this.env = env;
    }

    /** kubectl from PATH; {@code why} finishes the error when it is missing (exit 2). */
    static Kubectl onPath(Map<String, String> env, String why) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "kubectl").canExecute()) {
                return new Kubectl(Path.of(dir, "kubectl"), env);
            }
        }
        throw new CliException("kubectl is not on your PATH; " + why, 2);
    }

    /** Runs kubectl on {@code files} and returns what it printed; a failure is its first error line. */
    String read(List<Path> files, String... args) {
        return run(files, null, args);
    }

    /** Runs kubectl on {@code files} with its output going into {@code output}. */
    void write(List<Path> files, Path output, String... args) {
        run(files, output, args);
    }

    private String run(List<Path> files, Path output, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("KUBECONFIG", chain(files));
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        try {
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            String printed = output == null ? text(process.getInputStream()) : "";
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliException("kubectl did not answer within 60 s (" + String.join(" ", args) + ").");
            }
            if (process.exitValue() != 0) {
                String error = errors.join().strip();
                throw new CliException("kubectl " + args[0] + " " + args[1] + " failed on " + chain(files) + ": "
                        + (error.isEmpty() ? "exit " + process.exitValue() : error.lines().findFirst().orElse(error)));
            }
            return printed;
        } catch (IOException e) {
            throw new CliException("Could not run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        }
    }

    static String chain(List<Path> files) {
        List<String> paths = new ArrayList<>();
        for (Path file : files) {
            paths.add(file.toString());
        }
        return String.join(File.pathSeparator, paths);
    }

    private static String text(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
