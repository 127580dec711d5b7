package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code latch aws creds} as the AWS CLI's credential_process, and {@code latch aws console}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AwsCommandsTest {

    @TempDir
    Path home;

    private PortalStub portal;
    private HelperHarness helper;

    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        helper = new HelperHarness(home, portal);
        helper.signIn(600);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void credentialsArePrintedVerbatimAndCachedPerAccountAndLevel() {
        HelperHarness.Result first = helper.run("aws", "creds", "--account", "111111111111", "--level", "read-only");
        assertEquals(0, first.exit(), first.err());
        Map<String, Object> credentials = Json.parseObject(first.out());
        assertEquals(1L, credentials.get("Version"));
        assertEquals("session-111111111111-read-only", credentials.get("SessionToken"));

        HelperHarness.Result again = helper.run("aws", "creds", "--account", "111111111111", "--level", "read-only");
        assertEquals(first.out(), again.out());
        assertEquals(1, portal.count("/api/v1/aws/credentials"), "served from the cache");

        HelperHarness.Result otherLevel = helper.run("aws", "creds", "--account", "111111111111", "--level", "admin");
        assertEquals("session-111111111111-admin", Json.parseObject(otherLevel.out()).get("SessionToken"));
        assertEquals(2, portal.count("/api/v1/aws/credentials"));
    }

    @Test
    void credentialsWithinFiveMinutesOfExpiryAreFetchedAgain() {
        portal.tokenLifetimeSeconds = 240;
        helper.run("aws", "creds", "--account", "staging", "--level", "read-only");
        helper.run("aws", "creds", "--account", "staging", "--level", "read-only");
        assertEquals(2, portal.count("/api/v1/aws/credentials"));
    }

    @Test
    void theConsoleLinkIsPrintedWithPrintOrOpenedInTheBrowser() throws Exception {
        HelperHarness.Result printed = helper.run("aws", "console", "--account", "staging", "--level", "read-only", "--print");
        assertEquals(0, printed.exit(), printed.err());
        assertEquals("https://signin.aws.amazon.com/federation?Action=login&Destination=staging\n", printed.out());

        Path windows = helper.countingBrowser();
        HelperHarness.Result opened = helper.run("aws", "console", "--account", "staging", "--level", "read-only");
        assertEquals(0, opened.exit(), opened.err());
        assertEquals("", opened.out());
        assertEquals(List.of("https://signin.aws.amazon.com/federation?Action=login&Destination=staging"), HelperHarness.lines(windows));
    }

    @Test
    void withoutABrowserTheConsoleLinkIsPrinted() {
        HelperHarness.Result result = helper.run("aws", "console", "--account", "staging", "--level", "read-only");
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().startsWith("https://signin.aws.amazon.com/federation?"), result.out());
    }
}
