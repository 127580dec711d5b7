package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: payload on stdout, one-line errors on stderr, meaningful exit codes. */
class LatchCommandLineTest {

    @TempDir
    Path config;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Latch(Map.of("XDG_CONFIG_HOME", config.toString(), "PATH", "/usr/bin"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void versionAndHelp() {
        assertEquals(0, run("version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("latch "));
        out.reset();
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("login [--no-browser]"));
        assertEquals(2, run());
    }

    @Test
    void errorsAreOneLineOnStderrWithANonZeroExit() {
        assertEquals(2, run("frobnicate"));
        assertEquals(1, run("status", "--portal", "https://latch.example.com"));
        assertEquals(2, run("login", "--portal", "http://evil.example.com"));
        assertEquals(3, run("login", "--portal", "http://localhost:1", "--no-browser"));
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, err.toString(StandardCharsets.UTF_8));
        for (String line : lines) {
            assertTrue(line.startsWith("latch: "), line);
        }
        assertTrue(lines[1].contains("Not signed in to https://latch.example.com"));
        assertTrue(lines[2].contains("https://"));
        assertTrue(lines[3].contains("Cannot reach the portal"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /** Plain HTTP would send refresh tokens in clear text: only to this machine, judged by the parsed host (issue 13). */
    @Test
    void plainHttpIsOnlyForThisMachineJudgedByTheHostNotAPrefix() {
        for (String lookalike : new String[] {"http://localhost.evil.example", "http://127.0.0.1.evil.example:8080",
                "http://localhost@evil.example", "http://localhost:80@evil.example/", "http://128.0.0.1", "ftp://localhost"}) {
            err.reset();
            assertEquals(2, run("login", "--portal", lookalike, "--no-browser"), lookalike);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("must be an https:// address"), lookalike + ": " + err);
        }
        for (String local : new String[] {"http://localhost:1", "http://127.0.0.9:1", "http://[::1]:1", "http://LOCALHOST:1/"}) {
            err.reset();
            assertEquals(3, run("login", "--portal", local, "--no-browser"), local + ": " + err);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("Cannot reach the portal"), local + ": " + err);
        }
    }

    @Test
    void subCommandsTakeTheirOwnOptionsAndRefuseOthers() {
        assertEquals(2, run("kube", "token", "--portal", "https://latch.example.com"));
        assertEquals(2, run("kube", "token", "--issuance", "abc", "--level", "edit", "--portal", "https://latch.example.com"));
        assertEquals(2, run("aws", "creds", "--account", "staging", "--portal", "https://latch.example.com"));
        assertEquals(2, run("kube", "tokens", "--issuance", "abc"));
        assertEquals(2, run("ls", "extra"));
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5, lines.length, err.toString(StandardCharsets.UTF_8));
        assertEquals("latch: `latch kube token` needs --issuance. See `latch help`.", lines[0]);
        assertEquals("latch: `latch kube token` has no option --level. See `latch help`.", lines[1]);
        assertEquals("latch: `latch aws creds` needs --level. See `latch help`.", lines[2]);
        assertTrue(lines[3].contains("Did you mean `latch kube token`?"), lines[3]);
        assertEquals("latch: Unexpected argument: extra. See `latch help`.", lines[4]);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheNewCommands() {
        assertEquals(0, run("--help"));
        String usage = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"kube token --issuance ID", "aws creds --account", "aws console", "ls [--json]", "setup [--kubeconfig", "--use CONTEXT", "use [CONTEXT]", "request <account|cluster> --level LEVEL"}) {
            assertTrue(usage.contains(command), command);
        }
    }
}
