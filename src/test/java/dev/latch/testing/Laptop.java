package dev.latch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.identity.User;
import dev.latch.oauth.DeviceFlow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An engineer's laptop in a temporary home: the real `latch` helper on PATH (as install.sh leaves
 * it), its sign-in, and the real kubectl and AWS CLI run as processes with that environment.
 */
public final class Laptop {

    /** What a command printed and how it ended. */
    public record Run(int exit, String stdout, String stderr) {
    }

    private final Path home;
    private final Path bin;

    public Laptop(Path home) throws IOException {
        this.home = home;
        this.bin = Files.createDirectories(home.resolve("bin"));
        Path latch = bin.resolve("latch");
        Files.writeString(latch, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar '" + HelperProcess.jar().toAbsolutePath() + "' \"$@\"\n");
        Files.setPosixFilePermissions(latch, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path home() {
        return home;
    }

    /** `latch login`: the real device flow, approved through the portal's service instead of a browser. */
    public void signIn(DeviceFlow deviceFlow, User user) throws Exception {
        HelperProcess login = HelperProcess.start(home.resolve("config"), env(), "login", "--portal",
                "http://localhost:8081");
        String line = login.awaitStderr("enter the code");
        String userCode = line.substring(line.lastIndexOf(' ') + 1).trim();
        UUID request = QuarkusTransaction.requiringNew().call(() -> deviceFlow.pendingByUserCode(userCode).id);
        deviceFlow.decide(request, user, null, true);
        assertEquals(0, login.waitFor(60), login.stderr());
    }

    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("LATCH_NO_BROWSER", "1");
        return env;
    }

    public Run kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        return run(env(), command.toArray(String[]::new));
    }

    public Run latch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("latch").toString()));
        command.addAll(List.of(args));
        return run(env(), command.toArray(String[]::new));
    }

    public Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = ChildEnvironment.hermetic(new ProcessBuilder(command), home);
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
