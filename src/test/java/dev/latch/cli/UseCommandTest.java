package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code latch use}: lists and switches the contexts Latch manages; the real kubectl must agree afterwards. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UseCommandTest {

    private static final String MINE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: home-lab
              cluster:
                server: https://10.0.0.1:6443
            contexts:
            - name: home
              context:
                cluster: home-lab
                user: me
            users:
            - name: me
              user:
                token: my-own-token
            current-context: home
            """;

    @TempDir
    Path home;

    private PortalStub portal;
    private HelperHarness helper;
    private Path first;
    private Path second;

    /** Two files in KUBECONFIG, as kubectl reads them: the person's own first, Latch's contexts in the second. */
    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        portal.answerDelayMillis = 0;
        helper = new HelperHarness(home, portal);
        helper.signIn(600);
        first = Files.createDirectories(home.resolve(".kube")).resolve("config");
        second = home.resolve(".kube").resolve("latch");
        Files.writeString(first, MINE);
        HelperHarness.Result setup = helper.run("setup", "--kubeconfig", second.toString());
        assertEquals(0, setup.exit(), setup.err());
        helper.env.put("KUBECONFIG", first + ":" + second);
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void withoutANameItListsLatchsContextsAndMarksTheCurrentOne() throws Exception {
        assertEquals(0, helper.run("use", "dev-apps-edit").exit());
        HelperHarness.Result listed = helper.run("use");
        assertEquals(0, listed.exit(), listed.err());
        assertEquals("  dev-apps-admin\n* dev-apps-edit\n  prod-apps\n  staging-apps\n", listed.out(), "home is not Latch's, so it is not listed");
        assertEquals("", listed.err());
    }

    @Test
    void switchingWritesTheFirstKubeconfigFileAndKubectlAgrees() throws Exception {
        assertEquals("home\n", helper.kubectl("config", "current-context").out());
        String latchFile = Files.readString(second);

        HelperHarness.Result used = helper.run("use", "dev-apps-admin");
        assertEquals(0, used.exit(), used.err());
        assertEquals("", used.out());
        assertEquals(List.of("Switched to context dev-apps-admin (in " + first + ")."), used.errLines());
        HelperHarness.Result current = helper.kubectl("config", "current-context");
        assertEquals("dev-apps-admin\n", current.out(), current.err());

        HelperHarness.Result mine = helper.kubectl("--kubeconfig", first.toString(), "config", "view", "--raw", "-o",
                "jsonpath={.users[0].user.token} {.contexts[0].name} {.clusters[0].cluster.server}");
        assertEquals("my-own-token home https://10.0.0.1:6443", mine.out(), "the rest of the file is kept");
        assertEquals(latchFile, Files.readString(second), "only the first file is written");
        HelperHarness.Result resolved = helper.kubectl("config", "view", "--minify", "-o", "jsonpath={.users[0].user.exec.args[1]}");
        assertEquals("token", resolved.out(), "kubectl resolves the current context to Latch's exec user: " + resolved.err());
    }

    @Test
    void aContextThatDoesNotExistIsRefusedWithTheClosestName() throws Exception {
        HelperHarness.Result used = helper.run("use", "stagin-apps");
        assertEquals(1, used.exit());
        assertEquals(List.of("latch: No context named stagin-apps in " + first + ":" + second + ". Did you mean staging-apps? "
                + "`latch use` lists Latch's contexts."), used.errLines());
        assertEquals(MINE, Files.readString(first));
        assertEquals("home\n", helper.kubectl("config", "current-context").out());
    }

    @Test
    void aContextLatchDoesNotManageIsRefused() throws Exception {
        assertEquals(0, helper.run("use", "staging-apps").exit());
        HelperHarness.Result used = helper.run("use", "home");
        assertEquals(1, used.exit());
        assertEquals(List.of("latch: home is not a Latch context (its user does not run latch). Switch to it with "
                + "`kubectl config use-context home`."), used.errLines());
        assertEquals("staging-apps\n", helper.kubectl("config", "current-context").out());
    }

    @Test
    void withNoLatchContextsItSaysToRunSetup() throws Exception {
        helper.env.put("KUBECONFIG", first.toString());
        HelperHarness.Result listed = helper.run("use");
        assertEquals(1, listed.exit());
        assertEquals("", listed.out());
        assertEquals(List.of("latch: No Latch contexts in " + first + ". Run `latch setup` first."), listed.errLines());
    }

    @Test
    void aKubeconfigFlagChoosesTheFileAndExtraWordsAreRefused() throws Exception {
        HelperHarness.Result used = helper.run("use", "dev-apps-edit", "--kubeconfig", second.toString());
        assertEquals(0, used.exit(), used.err());
        assertEquals("dev-apps-edit\n", helper.kubectl("--kubeconfig", second.toString(), "config", "current-context").out());
        assertEquals(MINE, Files.readString(first));

        HelperHarness.Result extra = helper.run("use", "staging-apps", "dev-apps-edit");
        assertEquals(2, extra.exit());
        assertEquals(List.of("latch: Unexpected argument: dev-apps-edit. See `latch help`."), extra.errLines());
    }
}
