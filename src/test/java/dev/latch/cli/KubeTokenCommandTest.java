package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code latch kube token} as kubectl runs it: cache, single flight, refusals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubeTokenCommandTest {

    @TempDir
    Path home;

    private PortalStub portal;
    private HelperHarness helper;

    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        helper = new HelperHarness(home, portal);
        helper.execInfo(false);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private HelperHarness.Result token(String issuance) {
        return helper.run("kube", "token", "--portal", portal.url(), "--issuance", issuance);
    }

    @Test
    void printsTheExecCredentialAndServesRepeatsFromThePrivateCache() throws Exception {
        helper.signIn(600);
        HelperHarness.Result first = token("issuance-1");
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.err());
        Map<String, Object> credential = Json.parseObject(first.out());
        assertEquals("ExecCredential", credential.get("kind"));
        assertTrue(first.out().contains("k8s-aws-v1.issuance-1."));

        HelperHarness.Result second = token("issuance-1");
        assertEquals(0, second.exit());
        assertEquals(first.out(), second.out(), "the cached credential, verbatim");
        assertEquals(1, portal.count("/api/v1/kube/token"), "a cache hit makes no portal call");
        Path cache = helper.state().cacheFile("kube-issuance-1");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    }

    @Test
    void aProofRefusedOnceAsReplayedIsRetriedAndTheSignInKept() throws Exception {
        helper.signIn(600);
        portal.replayRefusals.set(1); // a load balancer retried the request on another instance with the same proof
        HelperHarness.Result result = token("issuance-9");
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("ExecCredential"));
        assertTrue(helper.state().session(portal.url()).isPresent(), "one refused proof does not throw the sign-in away");
        assertEquals(2, portal.count("/api/v1/kube/token"));
    }

    @Test
    void aCredentialWithinAMinuteOfExpiryIsFetchedAgain() throws Exception {
        helper.signIn(600);
        String nearlyExpired = "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"old\","
                + "\"expirationTimestamp\":\"" + Instant.now().plusSeconds(50) + "\"}}";
        helper.state().writeText(helper.state().cacheFile("kube-issuance-1"), nearlyExpired);
        HelperHarness.Result result = token("issuance-1");
        assertEquals(0, result.exit(), result.err());
        assertFalse(result.out().contains("\"old\""));
        assertEquals(1, portal.count("/api/v1/kube/token"));
        assertEquals(result.out().strip(), Files.readString(helper.state().cacheFile("kube-issuance-1")).strip());
    }

    @Test
    void parallelKubectlCallsForOneClusterMakeOnePortalCall() throws Exception {
        helper.signIn(600);
        List<HelperHarness.Result> results = inParallel(8, i -> token("issuance-1"));
        for (HelperHarness.Result result : results) {
            assertEquals(0, result.exit(), result.err());
            assertEquals(results.get(0).out(), result.out());
        }
        assertEquals(1, portal.count("/api/v1/kube/token"));
    }

    @Test
    void parallelCallsRefreshTheSessionOnceAndNeverReuseARefreshToken() throws Exception {
        helper.signIn(10); // the access token is due for a refresh
        List<HelperHarness.Result> results = inParallel(6, i -> token("issuance-" + i));
        for (HelperHarness.Result result : results) {
            assertEquals(0, result.exit(), result.err());
        }
        assertEquals(1, portal.count("/oauth/token"), "one refresh for all six helpers");
        assertFalse(portal.refreshTokenReused, "a spent refresh token would revoke the whole login");
        assertEquals(6, portal.count("/api/v1/kube/token"));
        assertEquals(portal.refreshToken, helper.state().session(portal.url()).orElseThrow().getProperty("refresh_token"));
    }

    @Test
    void aRefusedIssuanceIsOneLineAndDropsTheCachedCredential() throws Exception {
        helper.signIn(600);
        Path cache = helper.state().cacheFile("kube-expired-1");
        helper.state().writeText(cache, "{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"old\",\"expirationTimestamp\":\""
                + Instant.now().plusSeconds(30) + "\"}}");
        HelperHarness.Result result = token("expired-1");
        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals(List.of("latch: This kubeconfig expired on 2026-11-20; download a new one at " + portal.url() + "/kube."),
                result.errLines());
        assertFalse(Files.exists(cache));
    }

    @Test
    void withoutASignInGuiClientsGetOneBrowserWindowForOneCode() throws Exception {
        Path windows = helper.countingBrowser();
        String needed = "latch: sign-in needed: approve code ABCD-EFGH at " + portal.url()
                + "/device (a browser window is open), then retry";
        for (String issuance : List.of("issuance-1", "issuance-2", "issuance-1")) {
            HelperHarness.Result result = token(issuance);
            assertEquals(1, result.exit());
            assertEquals("", result.out());
            assertEquals(List.of(needed), result.errLines());
        }
        for (HelperHarness.Result result : inParallel(4, i -> token("issuance-" + i))) {
            assertEquals(List.of(needed), result.errLines());
        }
        assertEquals(1, portal.count("/oauth/device_authorization"));
        List<String> opened = HelperHarness.lines(windows);
        assertEquals(List.of(portal.url() + "/device?user_code=ABCD-EFGH"), opened);

        portal.deviceState = "approved"; // the person approves in that one window
        HelperHarness.Result retried = token("issuance-1");
        assertEquals(0, retried.exit(), retried.err());
        assertEquals("ExecCredential", Json.parseObject(retried.out()).get("kind"));
        HelperHarness.Result other = token("issuance-2");
        assertEquals(0, other.exit(), other.err());
        assertEquals(1, HelperHarness.lines(windows).size());
        assertEquals(1, portal.count("/oauth/device_authorization"));
    }

    @Test
    void aWaitingHelperContinuesOnceTheCodeIsApproved() throws Exception {
        helper.countingBrowser();
        helper.env.put("LATCH_EXEC_WAIT_SECONDS", "20");
        Thread approver = new Thread(() -> {
            try {
                while (portal.count("/oauth/token") < 2) {
                    Thread.sleep(50);
                }
                portal.deviceState = "approved";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        approver.start();
        HelperHarness.Result result = token("issuance-1");
        approver.join();
        assertEquals(0, result.exit(), result.err());
        assertEquals("ExecCredential", Json.parseObject(result.out()).get("kind"));
        assertTrue(helper.state().session(portal.url()).isPresent());
    }

    @Test
    void noNewWindowWithinAMinuteOfTheLastOneEvenAfterADenial() throws Exception {
        HelperHarness.MovableClock clock = new HelperHarness.MovableClock();
        helper.clock = clock;
        Path windows = helper.countingBrowser();
        assertEquals(1, token("issuance-1").exit());
        portal.deviceState = "access_denied";
        clock.advanceSeconds(2);
        HelperHarness.Result denied = token("issuance-1");
        assertTrue(denied.err().contains("denied in the browser"), denied.err());
        HelperHarness.Result again = token("issuance-1");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("less than a minute ago"), again.err());
        assertEquals(1, HelperHarness.lines(windows).size());
        assertEquals(1, portal.count("/oauth/device_authorization"));

        portal.deviceState = "authorization_pending";
        clock.advanceSeconds(60);
        HelperHarness.Result later = token("issuance-1");
        assertTrue(later.err().contains("approve code ABCD-EFGH"), later.err());
        assertEquals(2, HelperHarness.lines(windows).size());
    }

    @Test
    void aSignInThePortalEndedIsTreatedLikeNoSignIn() throws Exception {
        helper.signIn(600);
        Path windows = helper.countingBrowser();
        portal.revokeEverything();
        HelperHarness.Result result = token("issuance-1");
        assertEquals(1, result.exit());
        assertTrue(result.err().startsWith("latch: sign-in needed: approve code ABCD-EFGH"), result.err());
        assertTrue(helper.state().session(portal.url()).isEmpty(), "the refused sign-in is forgotten");
        assertEquals(1, HelperHarness.lines(windows).size());
    }

    @Test
    void atATerminalTheHelperSignsInInlineAndKeepsStdoutForTheCredential() {
        helper.execInfo(true);
        portal.deviceState = "approved";
        HelperHarness.Result result = token("issuance-1");
        assertEquals(0, result.exit(), result.err());
        assertEquals("ExecCredential", Json.parseObject(result.out()).get("kind"));
        assertTrue(result.err().contains("To sign in, open " + portal.url() + "/device and enter the code ABCD-EFGH"), result.err());
        assertTrue(helper.state().session(portal.url()).isPresent());
    }

    private static List<HelperHarness.Result> inParallel(int n, IndexedRun run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HelperHarness.Result>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<HelperHarness.Result>) () -> run.run(index)));
            }
            List<HelperHarness.Result> results = new ArrayList<>();
            for (Future<HelperHarness.Result> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface IndexedRun {
        HelperHarness.Result run(int index);
    }
}
