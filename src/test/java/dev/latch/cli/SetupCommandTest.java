package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code latch setup}: kubeconfig merged with the real kubectl, AWS profiles, both repeatable. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SetupCommandTest {

    private static final String EXISTING_KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: home-lab
              cluster:
                server: https://10.0.0.1:6443
                insecure-skip-tls-verify: true
            - name: latch-staging-apps
              cluster:
                server: https://old-endpoint.example.com
            contexts:
            - name: home
              context:
                cluster: home-lab
                user: me
                namespace: tools
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
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        portal = new PortalStub();
        portal.answerDelayMillis = 0;
        helper = new HelperHarness(home, portal);
        helper.signIn(600);
        kubeconfig = home.resolve(".kube").resolve("config");
        helper.env.put("KUBECONFIG", kubeconfig + ":" + home.resolve("other-config"));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void mergesLatchContextsIntoAnExistingKubeconfigAndCanRunAgain() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl")),
                "needs kubectl");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, EXISTING_KUBECONFIG);

        HelperHarness.Result first = helper.run("setup");
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.out());
        assertFalse(first.err().contains("Skipped"), "production clusters are set up too: " + first.err());
        assertTrue(first.err().contains("Added/updated 4 contexts in " + kubeconfig + ": staging-apps, dev-apps-admin, dev-apps-edit, prod-apps"
                + " (previous file: config.latch-backup)"), first.err());
        assertTrue(first.err().contains("Your current context is still home. Use Latch's with `kubectl --context staging-apps …`, "
                + "or switch with `latch use staging-apps`."), first.err());
        assertEquals(EXISTING_KUBECONFIG, Files.readString(KubeconfigWriter.backupOf(kubeconfig)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
        assertTrue(portal.requestBodies.contains("application/json {\"accountId\":\"111111111111\",\"cluster\":\"staging-apps\",\"level\":\"edit\"}"),
                portal.requestBodies.toString());

        Map<String, Object> merged = view(kubeconfig);
        assertEquals("home", merged.get("current-context"), "the person's current context is kept");
        assertEquals(new TreeSet<>(List.of("home", "staging-apps", "dev-apps-admin", "dev-apps-edit", "prod-apps")), names(merged, "contexts"));
        assertEquals(new TreeSet<>(List.of("home-lab", "latch-staging-apps", "latch-dev-apps", "latch-prod-apps")), names(merged, "clusters"));
        assertEquals(new TreeSet<>(List.of("me", "latch-staging-apps-edit", "latch-dev-apps-admin", "latch-dev-apps-edit", "latch-prod-apps-view")),
                names(merged, "users"));
        assertEquals("https://staging-apps.eks.example.com", field(merged, "clusters", "latch-staging-apps", "cluster", "server"),
                "Latch's new entry replaces its old one of the same name");
        assertEquals("my-own-token", field(merged, "users", "me", "user", "token"));
        assertEquals("tools", field(merged, "contexts", "home", "context", "namespace"));
        Map<?, ?> exec = (Map<?, ?>) field(merged, "users", "latch-dev-apps-admin", "user", "exec");
        assertEquals("latch", exec.get("command"));
        List<?> args = (List<?>) exec.get("args");
        assertEquals(List.of("kube", "token", "--portal", portal.url(), "--issuance"), args.subList(0, 5));
        assertEquals("IfAvailable", exec.get("interactiveMode"));
        assertEquals("latch-dev-apps-admin", field(merged, "contexts", "dev-apps-admin", "context", "user"));

        String afterFirst = Files.readString(kubeconfig);
        HelperHarness.Result second = helper.run("setup");
        assertEquals(0, second.exit(), second.err());
        String afterSecond = Files.readString(kubeconfig);
        assertNotEquals(afterFirst, afterSecond, "new issuances");
        assertEquals(withoutIssuanceIds(afterFirst), withoutIssuanceIds(afterSecond), "the same clusters, contexts and users");
        assertEquals(afterFirst, Files.readString(KubeconfigWriter.backupOf(kubeconfig)), "the newest backup");
    }

    @Test
    void createsTheKubeconfigWhenThereIsNone() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl")),
                "needs kubectl");
        Path fresh = home.resolve("fresh").resolve("config");
        HelperHarness.Result result = helper.run("setup", "--kubeconfig", fresh.toString());
        assertEquals(0, result.exit(), result.err());
        assertEquals(new TreeSet<>(List.of("staging-apps", "dev-apps-admin", "dev-apps-edit", "prod-apps")), names(view(fresh), "contexts"));
        assertFalse(Files.exists(KubeconfigWriter.backupOf(fresh)));
        assertFalse(result.err().contains("previous file") || result.err().contains("latch-backup"),
                "no backup was written, so none is named: " + result.err());
        assertEquals("staging-apps\n", helper.kubectl("--kubeconfig", fresh.toString(), "config", "current-context").out(),
                "a new kubeconfig gets a current context");
    }

    @Test
    void anEmptyCurrentContextBecomesTheFirstLatchContextSoKubectlWorksAtOnce() throws Exception {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, EXISTING_KUBECONFIG.replace("current-context: home", "current-context: \"\""));
        assertEquals(1, helper.kubectl("config", "current-context").exit(), "kubectl has no current context before setup");

        HelperHarness.Result result = helper.run("setup");
        assertEquals(0, result.exit(), result.err());
        HelperHarness.Result current = helper.kubectl("config", "current-context");
        assertEquals("staging-apps\n", current.out(), current.err());
        assertTrue(result.err().contains("Current context: staging-apps (there was none). Switch with `latch use CONTEXT` "
                + "or `kubectl config use-context CONTEXT`."), result.err());
        assertEquals(new TreeSet<>(List.of("home", "staging-apps", "dev-apps-admin", "dev-apps-edit", "prod-apps")), names(view(kubeconfig), "contexts"));
        assertEquals("my-own-token", field(view(kubeconfig), "users", "me", "user", "token"));
    }

    @Test
    void aCurrentContextSetInALaterKubeconfigFileIsKept() throws Exception {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, EXISTING_KUBECONFIG.replace("current-context: home\n", ""));
        Files.writeString(home.resolve("other-config"), """
                apiVersion: v1
                kind: Config
                contexts:
                - name: lab
                  context: {cluster: home-lab, user: me}
                current-context: lab
                """);

        HelperHarness.Result result = helper.run("setup");
        assertEquals(0, result.exit(), result.err());
        assertEquals("lab\n", helper.kubectl("config", "current-context").out(), "kubectl's merged view had a current context");
        assertTrue(result.err().contains("Your current context is still lab."), result.err());
    }

    @Test
    void useChoosesTheCurrentContext() throws Exception {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, EXISTING_KUBECONFIG);

        HelperHarness.Result result = helper.run("setup", "--use", "dev-apps-edit");
        assertEquals(0, result.exit(), result.err());
        assertEquals("dev-apps-edit\n", helper.kubectl("config", "current-context").out());
        assertTrue(result.err().contains("Current context: dev-apps-edit."), result.err());
    }

    @Test
    void useWithAContextSetupWouldNotWriteIsRefusedBeforeAnyIssuance() throws Exception {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, EXISTING_KUBECONFIG);

        HelperHarness.Result result = helper.run("setup", "--use", "dev-apps-edt");
        assertEquals(2, result.exit(), result.err());
        assertEquals(List.of("latch: `latch setup` would not write a context named dev-apps-edt. Did you mean dev-apps-edit? "
                + "It writes staging-apps, dev-apps-admin, dev-apps-edit, prod-apps."), result.errLines());
        assertEquals(0, portal.count("/api/v1/kube/issuances"));
        assertEquals(EXISTING_KUBECONFIG, Files.readString(kubeconfig));
    }

    @Test
    void withoutKubectlSetupSaysSoBeforeCreatingIssuances() {
        helper.env.put("PATH", home.resolve("empty-bin").toString());
        HelperHarness.Result result = helper.run("setup");
        assertEquals(2, result.exit());
        assertEquals(1, result.errLines().size());
        assertTrue(result.err().startsWith("latch: kubectl is not on your PATH"), result.err());
        assertEquals(0, portal.count("/api/v1/kube/issuances"));
    }

    @Test
    void awsProfilesLeaveOtherSectionsAloneAndAreRepeatable() throws Exception {
        Path awsConfig = home.resolve("aws-config");
        String existing = """
                [default]
                region = us-east-1

                # the SSO profile for the data team
                [profile work]
                sso_start_url = https://example.awsapps.com/start
                region = eu-west-1

                [profile latch-gone-admin]
                %1$s%2$s
                credential_process = latch aws creds --portal %2$s --account 999999999999 --level admin

                [profile latch-other-portal]
                %1$shttps://other.example.com
                credential_process = latch aws creds --portal https://other.example.com --account 1 --level x
                """.formatted(AwsConfigWriter.MARK, portal.url());
        Files.writeString(awsConfig, existing);
        helper.env.put("LATCH_COMMAND", "/opt/latch/bin/latch");

        HelperHarness.Result first = helper.run("setup", "--no-kube", "--aws", "--aws-config", awsConfig.toString());
        assertEquals(0, first.exit(), first.err());
        String written = Files.readString(awsConfig);
        assertEquals("""
                [default]
                region = us-east-1

                # the SSO profile for the data team
                [profile work]
                sso_start_url = https://example.awsapps.com/start
                region = eu-west-1

                [profile latch-other-portal]
                # managed by latch: https://other.example.com
                credential_process = latch aws creds --portal https://other.example.com --account 1 --level x

                [profile latch-staging-read-only]
                %1$s%2$s
                credential_process = /opt/latch/bin/latch aws creds --portal %2$s --account 111111111111 --level read-only
                region = eu-west-1

                [profile latch-dev-sandbox-power-user]
                %1$s%2$s
                credential_process = /opt/latch/bin/latch aws creds --portal %2$s --account 222222222222 --level power-user
                region = eu-central-1
                """.formatted(AwsConfigWriter.MARK, portal.url()), written);
        assertEquals(existing, Files.readString(KubeconfigWriter.backupOf(awsConfig)));

        HelperHarness.Result second = helper.run("setup", "--no-kube", "--aws", "--aws-config", awsConfig.toString());
        assertEquals(0, second.exit(), second.err());
        assertEquals(written, Files.readString(awsConfig));
        assertTrue(second.err().contains("Already up to date: 2 AWS profiles"), second.err());
    }

    @Test
    void aHandWrittenProfileWithLatchsNameIsNotOverwritten() throws Exception {
        Path awsConfig = home.resolve("aws-config");
        String mine = "[profile latch-staging-read-only]\nregion = us-west-2\n";
        Files.writeString(awsConfig, mine);
        HelperHarness.Result result = helper.run("setup", "--no-kube", "--aws-config", awsConfig.toString());
        assertEquals(0, result.exit(), result.err());
        assertTrue(Files.readString(awsConfig).startsWith(mine));
        assertTrue(result.err().contains("Left [profile latch-staging-read-only] in " + awsConfig + " alone"), result.err());
        assertTrue(Files.readString(awsConfig).contains("[profile latch-dev-sandbox-power-user]"));
    }

    /** The merged file as kubectl reads it. */
    private static Map<String, Object> view(Path kubeconfig) throws Exception {
        ProcessBuilder view = new ProcessBuilder("kubectl", "config", "view", "--raw", "-o", "json").redirectErrorStream(true);
        view.environment().put("KUBECONFIG", kubeconfig.toString());
        Process process = view.start();
        String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), json);
        return Json.parseObject(json);
    }

    private static TreeSet<String> names(Map<String, Object> config, String list) {
        TreeSet<String> names = new TreeSet<>();
        for (Object entry : (List<?>) config.get(list)) {
            names.add((String) ((Map<?, ?>) entry).get("name"));
        }
        return names;
    }

    private static Object field(Map<String, Object> config, String list, String name, String... path) {
        for (Object entry : (List<?>) config.get(list)) {
            if (name.equals(((Map<?, ?>) entry).get("name"))) {
                Object node = entry;
                for (String key : path) {
                    node = ((Map<?, ?>) node).get(key);
                }
                return node;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    private static String withoutIssuanceIds(String kubeconfig) {
        List<String> lines = new ArrayList<>();
        for (String line : kubeconfig.split("\n")) {
            lines.add(line.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<issuance>"));
        }
        return String.join("\n", lines);
    }
}
