package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestCommandTest {

    private static final String LEVEL = "dev (222222222222) / cluster dev-apps / admin";

    @TempDir
    Path home;

    private PortalStub portal;
    private HelperHarness helper;

    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        portal.answerDelayMillis = 10;
        helper = new HelperHarness(home, portal);
        helper.clock = Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneOffset.UTC);
        helper.env.put("LATCH_POLL_SECONDS", "0.05");
        helper.signIn(600);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private static final String[] ASK = {"request", "dev-apps", "--level", "admin", "--for", "2h", "--reason", "INC-1234"};

    private HelperHarness.Result request(String... more) {
        String[] args = new String[ASK.length + more.length];
        System.arraycopy(ASK, 0, args, 0, ASK.length);
        System.arraycopy(more, 0, args, ASK.length, more.length);
        return helper.run(args);
    }

    private String link(String id) {
        return portal.url() + "/requests/" + id;
    }

    @Test
    void sendsTheRequestAsJsonPrintsTheIdAndNamesApproversAndLink() {
        HelperHarness.Result result = request("--ticket", "https://jira.example.com/INC-1234", "--start", "2026-12-01T10:00:00+01:00");
        assertEquals(0, result.exit(), result.err());
        assertEquals(List.of("application/json {\"target\":\"dev-apps\",\"level\":\"admin\",\"duration\":\"2h\",\"reason\":\"INC-1234\","
                + "\"ticketUrl\":\"https://jira.example.com/INC-1234\",\"startsAt\":\"2026-12-01T09:00:00Z\"}"), portal.requestBodies);
        String id = result.out().strip();
        assertTrue(id.matches("[0-9a-f-]{36}"), result.out());
        assertEquals(id + "\n", result.out());
        assertEquals(List.of("Requested " + LEVEL + " for 2 h: waiting for grace, linus (" + link(id) + ")"), result.errLines());
        assertEquals(0, portal.requestPolls.get(), "no --wait, no polling");
    }

    @Test
    void optionalFieldsAreLeftOutAndJsonPrintsThePortalsAnswer() {
        HelperHarness.Result result = request("--json");
        assertEquals(0, result.exit(), result.err());
        assertEquals(List.of("application/json {\"target\":\"dev-apps\",\"level\":\"admin\",\"duration\":\"2h\",\"reason\":\"INC-1234\"}"),
                portal.requestBodies);
        String id = (String) Json.parseObject(result.out()).get("id");
        assertEquals("pending", Json.parseObject(result.out()).get("status"));
        assertEquals(1, result.out().strip().split("\n").length, result.out());
        assertTrue(result.err().contains(link(id)), result.err());
    }

    @Test
    void waitPollsUntilApprovedAndSaysUntilWhen() {
        portal.pollsBeforeDecision = 3;
        HelperHarness.Result result = request("--wait");
        assertEquals(0, result.exit(), result.err());
        String id = result.out().strip();
        assertEquals(id + "\n", result.out());
        assertEquals(3, portal.requestPolls.get());
        List<String> err = result.errLines();
        assertEquals("Requested " + LEVEL + " for 2 h: waiting for grace, linus (" + link(id) + ")", err.get(0));
        // the stub's access list has dev-apps admin granted until 14:05 UTC
        assertTrue(err.contains("Approved: " + LEVEL + " until 14:05 UTC"), result.err());
        assertTrue(err.get(err.size() - 1).contains("latch setup"), result.err());
        assertFalse(result.err().contains("Exception"), result.err());
    }

    @Test
    void anApprovedAccountLevelPointsAtTheAwsProfileAndConsole() {
        portal.pollsBeforeDecision = 1;
        HelperHarness.Result result = helper.run("request", "Dev Sandbox", "--level", "power-user", "--for", "1d", "--reason", "INC-9",
                "--wait");
        assertEquals(0, result.exit(), result.err());
        List<String> err = result.errLines();
        assertTrue(err.get(err.size() - 2).endsWith(" until 2026-11-21 08:00 UTC"), result.err());
        assertEquals("Run `latch setup --aws` for an AWS CLI profile, or `latch aws console --account 222222222222 --level power-user`.",
                err.get(err.size() - 1));
    }

    @Test
    void waitWithJsonPrintsTheFiledAndTheDecidedRequest() {
        portal.pollsBeforeDecision = 1;
        HelperHarness.Result result = request("--wait", "--json");
        assertEquals(0, result.exit(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(2, lines.length, result.out());
        assertEquals("pending", Json.parseObject(lines[0]).get("status"));
        assertEquals("approved", Json.parseObject(lines[1]).get("status"));
    }

    @Test
    void waitEndsWithExitFourWhenDenied() {
        portal.pollsBeforeDecision = 2;
        portal.requestDecision = "denied";
        HelperHarness.Result result = request("--wait");
        assertEquals(4, result.exit(), result.err());
        String id = result.out().strip();
        List<String> err = result.errLines();
        assertEquals("latch: Denied: " + LEVEL + " (" + link(id) + ").", err.get(err.size() - 1));
        assertEquals(2, portal.requestPolls.get());
    }

    @Test
    void waitEndsWithExitFourWhenCancelledOrPastItsExpiry() {
        portal.pollsBeforeDecision = 1;
        portal.requestDecision = "cancelled";
        HelperHarness.Result cancelled = request("--wait");
        assertEquals(4, cancelled.exit(), cancelled.err());
        assertTrue(cancelled.errLines().get(cancelled.errLines().size() - 1).startsWith("latch: Cancelled: "), cancelled.err());

        // still "pending" on the portal, but its expiry has passed (the expiry job has not run yet)
        portal.requestPolls.set(0);
        portal.pollsBeforeDecision = 1000;
        portal.requestExpiresAt = "2026-11-20T09:00:00Z";
        HelperHarness.Result expired = request("--wait");
        assertEquals(4, expired.exit(), expired.err());
        assertTrue(expired.errLines().get(expired.errLines().size() - 1).startsWith("latch: Expired without a decision: "), expired.err());
        assertEquals(0, portal.requestPolls.get());
    }

    @Test
    void aRefusalPrintsThePortalsDetailAndExitsOne() {
        portal.requestRefusalStatus = 409;
        portal.requestRefusalDetail = "You already have an open request for " + LEVEL + ". Wait for its decision or cancel it.";
        HelperHarness.Result result = request("--wait");
        assertEquals(1, result.exit(), result.err());
        assertEquals("", result.out());
        assertEquals("latch: " + portal.requestRefusalDetail + "\n", result.err());
    }

    @Test
    void missingOrMalformedOptionsPrintTheUsageAndExitTwo() {
        String usage = " Usage: " + RequestCommand.USAGE + "\n";
        assertUsage("latch: `latch request` needs --reason." + usage,
                helper.run("request", "dev-apps", "--level", "admin", "--for", "2h"));
        assertUsage("latch: `latch request` needs the account or cluster." + usage,
                helper.run("request", "--level", "admin", "--for", "2h", "--reason", "INC-1"));
        assertUsage("latch: --for takes a duration like 30m, 2h, 1d or PT2H, not two hours." + usage,
                helper.run("request", "dev-apps", "--level", "admin", "--for", "two hours", "--reason", "INC-1"));
        assertUsage("latch: --start takes an RFC 3339 time like 2026-12-01T09:00:00Z, not tomorrow." + usage,
                request("--start", "tomorrow"));
        assertUsage("latch: --ticket takes the ticket's http(s) address, not INC-1234." + usage, request("--ticket", "INC-1234"));
        assertUsage("latch: `latch request` has no option --account." + usage, request("--account", "dev"));
        assertUsage("latch: --reason needs a value.\n", helper.run("request", "dev-apps", "--level", "admin", "--for", "2h", "--reason"));
        assertEquals(0, portal.count("/api/v1/requests"), "nothing is sent");
    }

    private static void assertUsage(String expected, HelperHarness.Result result) {
        assertEquals(2, result.exit(), result.err());
        assertEquals("", result.out());
        assertEquals(expected, result.err());
    }

    @Test
    void withoutASignInItSaysHowToSignIn() {
        helper.state().deleteSession(portal.url());
        HelperHarness.Result result = request();
        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals("latch: Not signed in to " + portal.url() + ". Run `latch login`.\n", result.err());
    }

    @Test
    void interruptingTheWaitIsOneLineWithoutAStackTrace() throws Exception {
        portal.pollsBeforeDecision = 1_000_000;
        helper.env.put("LATCH_POLL_SECONDS", "0.2");
        AtomicReference<HelperHarness.Result> result = new AtomicReference<>();
        Thread waiting = new Thread(() -> result.set(request("--wait")));
        waiting.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (portal.requestPolls.get() < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        waiting.interrupt();
        waiting.join(10_000);
        assertFalse(waiting.isAlive());
        HelperHarness.Result stopped = result.get();
        assertEquals(130, stopped.exit(), stopped.err());
        String id = stopped.out().strip();
        assertTrue(id.matches("[0-9a-f-]{36}"), stopped.out());
        String last = stopped.errLines().get(stopped.errLines().size() - 1);
        assertTrue(last.startsWith("latch: "), stopped.err());
        assertFalse(stopped.err().contains("Exception") || stopped.err().contains("\tat "), stopped.err());
    }

    @Test
    void ctrlCWhileWaitingSaysTheRequestStaysOpenWithoutAStackTrace() throws Exception {
        portal.pollsBeforeDecision = 1_000_000;
        helper.clock = Clock.systemUTC();
        helper.signIn(600);
        // A background job of a non-interactive shell (`./mvnw verify &` in a script) starts with SIGINT
        // ignored and passes that on: the JVM then installs no SIGINT handler and kill -INT does
        // nothing. coreutils env restores the default disposition, as a terminal gives it.
        // env execs the JVM, so the process's pid stays the helper's.
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "request", "dev-apps", "--level", "admin", "--for", "2h", "--reason", "INC-1234", "--wait");
        builder.environment().clear();
        builder.environment().putAll(helper.env);
        builder.environment().put("LATCH_POLL_SECONDS", "0.2");
        Path stdout = home.resolve("stdout.txt");
        Path stderr = home.resolve("stderr.txt");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process latch = builder.start();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (portal.requestPolls.get() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            // a coreutils env without --default-signal (BSD env) says so here
            assertTrue(portal.requestPolls.get() >= 1, "the helper is polling: " + java.nio.file.Files.readString(stderr));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(latch.pid())).start().waitFor());
            assertTrue(latch.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            latch.destroyForcibly();
        }
        String out = java.nio.file.Files.readString(stdout);
        String err = java.nio.file.Files.readString(stderr);
        assertEquals(130, latch.exitValue(), err);
        String id = out.strip();
        assertTrue(id.matches("[0-9a-f-]{36}"), out);
        assertTrue(err.strip().endsWith("latch: stopped waiting; request " + id + " stays open: " + link(id)), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }
}
