package dev.latch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.broker.EksTokenSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The real kubectl against the stand-in, with tokens from Latch's real signer: accepted when they
 * are right, refused ("Unauthorized") when signed with the wrong secret, for another cluster, too
 * long ago, or changed after signing.
 */
class KubeApiStandInTest {

    private static final String CLUSTER = "staging-main";
    private static final String REGION = "eu-west-1";
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create(
            "ASIASTANDINEXAMPLE01", "aWsSeCrEtStAnDiNeXaMpLe/K7MDENG+bPxRfiCY", "FwoGZXIvYXdzEXAMPLE//session+token/with=specials");
    private static final List<String> NAMESPACES = List.of("default", "kube-system", "payments");

    private static KubeApiStandIn api;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        api = KubeApiStandIn.start(CLUSTER, KubeApiStandInTest::secretFor, Clock.systemUTC(), NAMESPACES);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void kubectlListsTheNamespacesWithALatchToken() throws Exception {
        Kubectl run = kubectl(sign(CREDENTIALS, CLUSTER, Clock.systemUTC()), "get", "namespaces");

        assertEquals(0, run.exit(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.get(0).matches("NAME\\s+STATUS\\s+AGE\\s*"), run.stdout());
        for (String namespace : NAMESPACES) {
            assertTrue(lines.stream().anyMatch(line -> line.matches(namespace + "\\s+Active\\s+\\d+s\\s*")), run.stdout());
        }
        assertTrue(api.acceptedAccessKeys().contains(CREDENTIALS.accessKeyId()));
    }

    @Test
    void aTokenSignedWithTheWrongSecretIsRefused() throws Exception {
        AwsSessionCredentials forged = AwsSessionCredentials.create(CREDENTIALS.accessKeyId(), "not-the-secret", CREDENTIALS.sessionToken());
        assertRefused(sign(forged, CLUSTER, Clock.systemUTC()), "signature does not match");
    }

    @Test
    void aTokenForAnotherClusterIsRefused() throws Exception {
        assertRefused(sign(CREDENTIALS, "prod-main", Clock.systemUTC()), "signature does not match");
    }

    @Test
    void aTokenSignedMoreThanFifteenMinutesAgoIsRefused() throws Exception {
        Clock sixteenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
        assertRefused(sign(CREDENTIALS, CLUSTER, sixteenMinutesAgo), "older than 15 minutes");
    }

    @Test
    void aTokenChangedAfterSigningIsRefused() throws Exception {
        // X-Amz-Expires=30 is well-formed: only the signature can tell it was not what was signed
        String url = decode(sign(CREDENTIALS, CLUSTER, Clock.systemUTC()));
        assertTrue(url.contains("X-Amz-Expires=60"), url);
        assertRefused(encode(url.replace("X-Amz-Expires=60", "X-Amz-Expires=30")), "signature does not match");
    }

    /** Cheap checks of the token rules, without kubectl. */
    @Test
    void theTokenRulesOfTheAuthenticator() {
        EksTokenCheck check = new EksTokenCheck(CLUSTER, KubeApiStandInTest::secretFor, Clock.systemUTC());
        String url = decode(sign(CREDENTIALS, CLUSTER, Clock.systemUTC()));

        assertRule(check, "Bearer " + encode(url), null);
        assertRule(check, "Basic " + encode(url), "no bearer token");
        assertRule(check, "Bearer " + encode(url.replace("https://sts.eu-west-1.amazonaws.com/", "https://sts.eu-west-1.example.com/")),
                "host is not an STS host");
        assertRule(check, "Bearer " + encode(url.replace("https://", "http://")), "not https");
        assertRule(check, "Bearer " + encode(url + "&X-Amz-Other=1"), "not allowed: X-Amz-Other");
        assertRule(check, "Bearer " + encode(url.replaceAll("&?X-Amz-Security-Token=[^&]*", "")), "without X-Amz-Security-Token");
        assertRule(check, "Bearer " + encode(url.replace("X-Amz-Expires=60", "X-Amz-Expires=900")), "X-Amz-Expires");
        assertRule(check, "Bearer " + encode(url.replace("host%3Bx-k8s-aws-id", "host")), "X-Amz-SignedHeaders");
        assertRule(check, "Bearer " + encode(url.replace(CREDENTIALS.accessKeyId(), "ASIAUNKNOWNEXAMPLE01")), "unknown access key");
        String future = decode(sign(CREDENTIALS, CLUSTER, Clock.fixed(Instant.now().plus(Duration.ofMinutes(10)), ZoneOffset.UTC)));
        assertRule(check, "Bearer " + encode(future), "in the future");
    }

    private static void assertRule(EksTokenCheck check, String authorization, String expectedReason) {
        try {
            assertEquals(CREDENTIALS.accessKeyId(), check.accessKeyOf(authorization));
            assertEquals(null, expectedReason, "accepted");
        } catch (EksTokenCheck.Rejected e) {
            assertTrue(expectedReason != null && e.getMessage().contains(expectedReason), e.getMessage());
        }
    }

    private void assertRefused(String token, String reason) throws Exception {
        Kubectl run = kubectl(token, "get", "namespaces");
        assertNotEquals(0, run.exit(), run.stdout());
        // "(Unauthorized)" when the Status is decoded; with a cold discovery cache (a fresh HOME, as
        // here) the discovery client cannot decode it and says "(the server has asked for the client
        // to provide credentials)" instead, as kubectl 1.32 does against EKS
        assertTrue(run.stderr().contains("error: You must be logged in to the server"), run.stderr());
        assertTrue(api.lastRejection().orElseThrow().contains(reason), api.lastRejection().orElseThrow());
    }

    /** What STS knows: the secret of the one access key it issued. */
    private static Optional<String> secretFor(String accessKeyId) {
        return Optional.ofNullable(Map.of(CREDENTIALS.accessKeyId(), CREDENTIALS.secretAccessKey()).get(accessKeyId));
    }

    private static String sign(AwsSessionCredentials credentials, String cluster, Clock clock) {
        return EksTokenSigner.sign(credentials, cluster, REGION, clock).value();
    }

    private static String decode(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(EksTokenSigner.PREFIX.length())), StandardCharsets.UTF_8);
    }

    private static String encode(String url) {
        return EksTokenSigner.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    private record Kubectl(int exit, String stdout, String stderr) {
    }

    /** kubectl with its own kubeconfig and HOME, so nothing (config, discovery cache) comes from or leaks to the machine. */
    private Kubectl kubectl(String token, String... args) throws IOException, InterruptedException {
        Path kubeconfig = home.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stand-in
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: latch
                  user:
                    token: %s
                contexts:
                - name: stand-in
                  context:
                    cluster: stand-in
                    user: latch
                current-context: stand-in
                """.formatted(api.url(), api.caBundleBase64(), token));
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(home.resolve("stdout").toFile())
                .redirectError(home.resolve("stderr").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("KUBECONFIG");
        builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl did not finish in 30 s");
        }
        return new Kubectl(process.exitValue(), Files.readString(home.resolve("stdout")), Files.readString(home.resolve("stderr")));
    }
}
