package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListCommandTest {

    @TempDir
    Path home;

    private PortalStub portal;
    private HelperHarness helper;

    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        helper = new HelperHarness(home, portal);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void listsTargetsAsAnAlignedTable() {
        helper.clock = Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneOffset.UTC);
        helper.signIn(600);
        HelperHarness.Result result = helper.run("ls");
        assertEquals(0, result.exit(), result.err());
        assertEquals("""
                ENVIRONMENT  KIND     NAME          ACCOUNT                     LEVELS
                staging      cluster  staging-apps  staging (111111111111)      edit (standing), admin (requestable)
                dev          cluster  dev-apps      dev (222222222222)          edit (standing), admin (granted until 14:05 UTC)
                production   cluster  prod-apps     prod (333333333333)         view (standing)
                staging      account  staging       staging (111111111111)      read-only (standing)
                dev          account  dev sandbox   dev sandbox (222222222222)  admin (requestable), power-user (granted until 2026-11-21 08:00 UTC)
                """, result.out());
    }

    @Test
    void aLevelWhoseGrantWasRevokedSaysByWhomWhenAndWhy() {
        String body = """
                {"targets":[{"kind":"cluster","name":"prod-main","account":"prod","accountId":"333333333333","environment":"production",
                  "levels":[{"name":"admin","state":"requestable","ended":"revoked by bob at 14:02 UTC: incident over"},
                            {"name":"view","state":"standing"}]}]}""";
        assertEquals("""
                ENVIRONMENT  KIND     NAME       ACCOUNT              LEVELS
                production   cluster  prod-main  prod (333333333333)  admin (requestable; grant revoked by bob at 14:02 UTC: incident over), view (standing)
                """,
                ListCommand.table(Json.parseObject(body), Instant.parse("2026-11-20T15:00:00Z")));
    }

    @Test
    void grantEndsAreShownInUtcWithTheDateWhenNotToday() {
        Instant now = Instant.parse("2026-11-20T23:59:00Z");
        assertEquals("14:05 UTC", ListCommand.utc("2026-11-20T14:05:59Z", now));
        assertEquals("2026-11-21 00:30 UTC", ListCommand.utc("2026-11-21T00:30:00Z", now));
        assertEquals("22:30 UTC", ListCommand.utc("2026-11-21T00:30:00+02:00", now));
        assertEquals("soon", ListCommand.utc("soon", now));
    }

    @Test
    void jsonPrintsThePortalsAnswer() {
        helper.signIn(600);
        HelperHarness.Result result = helper.run("ls", "--json");
        assertEquals(0, result.exit(), result.err());
        assertEquals(PortalStub.ACCESS.strip(), result.out().strip());
    }

    @Test
    void withoutASignInItSaysHowToSignIn() {
        HelperHarness.Result result = helper.run("ls");
        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals(1, result.errLines().size());
        assertTrue(result.err().startsWith("latch: Not signed in to " + portal.url() + ". Run `latch login`."), result.err());
    }
}
