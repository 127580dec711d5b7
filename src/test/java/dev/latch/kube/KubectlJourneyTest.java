package dev.latch.kube;

import static dev.latch.testing.Browserless.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.aws.AwsConfig;
import dev.latch.broker.RoleSessions;
import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.AwsAccount;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.oauth.DeviceFlow;
import dev.latch.testing.Fixtures;
import dev.latch.testing.KubeApiStandIn;
import dev.latch.testing.Laptop;
import dev.latch.testing.ShortCredentialLifetime;
import dev.latch.testing.Laptop.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a laptop: the real helper signs in with the device flow, a kubeconfig
 * downloaded from the portal makes the real kubectl run the helper, and a Kubernetes API stand-in
 * accepts the token only if it is a valid EKS token signed with the credentials moto issued for
 * the person's role session. After revocation the same kubectl command fails with the helper's
 * message. The AWS CLI works through a profile `latch setup --aws` wrote.
 */
@QuarkusTest
@TestProfile(ShortCredentialLifetime.class)
class KubectlJourneyTest {

    @Inject
    Fixtures fixtures;

    @Inject
    DeviceFlow deviceFlow;

    @Inject
    RoleSessions roleSessions;

    @Inject
    AwsConfig awsConfig;

    @TempDir
    Path home;

    private KubeApiStandIn apiServer;
    private User alice;
    private Group team;
    private AccessLevel edit;
    private Cluster cluster;
    private Laptop laptop;

    @BeforeEach
    void laptop() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        alice = fixtures.user("alice", false);
        team = InventoryFixtures.group("journey-" + suffix);
        InventoryFixtures.join(alice, team);
        cluster = InventoryFixtures.cluster("staging", "staging-main-" + suffix);
        edit = InventoryFixtures.level(cluster, "edit");
        InventoryFixtures.entitle(team, edit, "standing");
        apiServer = KubeApiStandIn.start(cluster.name, this::secretMotoIssued, Clock.systemUTC(), List.of("default", "payments"));
        QuarkusTransaction.requiringNew().run(() -> {
            Cluster managed = Cluster.findById(cluster.id);
            managed.endpoint = apiServer.url();
            managed.caBundle = apiServer.caBundleBase64();
        });
        laptop = new Laptop(home);
        laptop.signIn(deviceFlow, alice);
    }

    @AfterEach
    void stop() {
        apiServer.close();
    }

    @Test
    void kubectlWorksThroughTheHelperUntilTheKubeconfigIsRevoked() throws Exception {
        String session = fixtures.session(alice);
        String yaml = as(session).contentType(ContentType.URLENC).formParam("level", edit.id.toString()).post("/kube/issuances")
                .then().statusCode(200).extract().asString();
        Path kubeconfig = Files.writeString(home.resolve("staging.yaml"), yaml);

        Run first = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "get", "namespaces");
        assertEquals(0, first.exit(), first.stderr());
        assertTrue(first.stdout().contains("payments") && first.stdout().contains("default"), first.stdout());
        String signer = apiServer.acceptedAccessKeys().get(apiServer.acceptedAccessKeys().size() - 1);
        RoleSessions.Session used = roleSessions.cached(alice.username, edit.roleArn).orElseThrow();
        assertEquals(used.credentials().accessKeyId(), signer, "signed with the person's role session");
        assertTrue(used.assumedRoleArn().endsWith("/" + alice.username), "CloudTrail shows who: " + used.assumedRoleArn());

        UUID issuance = QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>find("user.id", alice.id).firstResult().id);
        as(session).post("/kube/" + issuance + "/revoke").then().statusCode(200);

        Run after = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "get", "namespaces");
        assertNotEquals(0, after.exit());
        assertTrue(after.stderr().contains("was revoked at") && after.stderr().contains("latch setup"),
                "the helper's one line reaches the person through kubectl: " + after.stderr());
    }

    @Test
    void latchSetupWiresEveryClusterInOneCommand() throws Exception {
        Path kubeconfig = home.resolve(".kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: other
                  cluster: {server: "https://other.example.com"}
                users:
                - name: other
                  user: {token: other-token}
                contexts:
                - name: other
                  context: {cluster: other, user: other}
                current-context: other
                """);
        Run setup = laptop.latch("setup", "--kubeconfig", kubeconfig.toString());
        assertEquals(0, setup.exit(), setup.stderr());

        Run contexts = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "config", "get-contexts", "-o", "name");
        assertTrue(contexts.stdout().contains(cluster.contextName) && contexts.stdout().contains("other"), contexts.stdout());
        Run namespaces = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "--context", cluster.contextName, "get", "namespaces");
        assertEquals(0, namespaces.exit(), namespaces.stderr());
        assertTrue(namespaces.stdout().contains("payments"), namespaces.stdout());
    }

    @Test
    void afterSetupOnAKubeconfigWithoutACurrentContextPlainKubectlReachesTheCluster() throws Exception {
        Path kubeconfig = home.resolve(".kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: []
                contexts: []
                users: []
                current-context: ""
                """);
        Run setup = laptop.latch("setup");
        assertEquals(0, setup.exit(), setup.stderr());
        assertTrue(setup.stderr().contains("Current context: " + cluster.contextName + " (there was none)"), setup.stderr());

        Run namespaces = laptop.kubectl("get", "namespaces");
        assertEquals(0, namespaces.exit(), "the first kubectl after setup must not go to localhost:8080: " + namespaces.stderr());
        assertTrue(namespaces.stdout().contains("payments"), namespaces.stdout());
    }

    @Test
    void latchRequestFilesAJustInTimeRequestWithThePortal() throws Exception {
        AccessLevel admin = InventoryFixtures.level(cluster, "admin");
        InventoryFixtures.entitle(team, admin, "requestable");
        Run listed = laptop.latch("ls");
        assertEquals(0, listed.exit(), listed.stderr());
        assertTrue(listed.stdout().contains(cluster.name) && listed.stdout().contains("admin (requestable)"), listed.stdout());

        Run filed = laptop.latch("request", cluster.contextName, "--level", "admin", "--for", "1h", "--reason", "INC-9 checking the journey");
        assertEquals(0, filed.exit(), filed.stderr());
        UUID id = UUID.fromString(filed.stdout().trim());
        dev.latch.access.AccessRequest request = QuarkusTransaction.requiringNew().call(() -> dev.latch.access.AccessRequest.findById(id));
        assertEquals("pending", request.status);
        assertEquals("INC-9 checking the journey", request.reason);
        assertTrue(filed.stderr().contains("/requests/" + id), filed.stderr());

        Run again = laptop.latch("request", cluster.contextName, "--level", "admin", "--for", "1h", "--reason", "twice");
        assertEquals(1, again.exit());
        assertTrue(again.stderr().contains("already have an open request"), again.stderr());
    }

    @Test
    void theAwsCliWorksThroughCredentialProcess() throws Exception {
        AwsAccount account = cluster.account;
        AccessLevel readOnly = InventoryFixtures.accountLevel(account, "read-only");
        InventoryFixtures.entitle(team, readOnly, "standing");
        Path awsConfigFile = home.resolve(".aws/config");
        Run setup = laptop.latch("setup", "--no-kube", "--aws", "--aws-config", awsConfigFile.toString());
        assertEquals(0, setup.exit(), setup.stderr());
        String written = Files.readString(awsConfigFile);
        assertTrue(written.contains("credential_process"), written);

        String profile = "latch-" + account.name + "-read-only";
        Map<String, String> env = new HashMap<>(laptop.env());
        env.put("AWS_CONFIG_FILE", awsConfigFile.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/none").toString());
        env.put("AWS_ENDPOINT_URL", awsConfig.endpoint().orElseThrow().toString());
        Run aws = laptop.run(env, "aws", "sts", "get-caller-identity", "--profile", profile, "--output", "text", "--query", "Arn");
        assertEquals(0, aws.exit(), aws.stderr());
        assertTrue(aws.stdout().trim().endsWith(":assumed-role/Latchread-only/" + alice.username), aws.stdout());
    }

    /** What the API server (via STS) knows: the secret of an access key moto issued to the portal's role session. */
    private Optional<String> secretMotoIssued(String accessKeyId) {
        return roleSessions.cached(alice.username, edit.roleArn).map(RoleSessions.Session::credentials)
                .filter(c -> c.accessKeyId().equals(accessKeyId)).map(c -> c.secretAccessKey());
    }
}
