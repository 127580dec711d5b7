package dev.latch.broker;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.kube.Issuance;
import dev.latch.testing.ChildEnvironment;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.PortalProcess;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * STS goes away (its own moto_server, stopped mid-test): role sessions already cached keep
 * serving token mints until they near their end, and a mint that needs a new session fails with a
 * clear 503 that says STS cannot be reached, never a 500.
 */
@QuarkusTest
@TestProfile(StsOutageTest.OwnSts.class)
class StsOutageTest {

    private static final String PID = "latch.test.sts-pid";

    /** STS on a moto_server of this test alone, so stopping it leaves the other tests' AWS alone. */
    public static class OwnSts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = System.getProperty(PID + ".port");
            if (port == null) {
                try {
                    int free = PortalProcess.freePort();
                    Process moto = ChildEnvironment.hermetic(new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p",
                            String.valueOf(free)), Path.of(System.getProperty("java.io.tmpdir"))).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    Runtime.getRuntime().addShutdownHook(new Thread(moto::destroy));
                    awaitUp("http://127.0.0.1:" + free + "/");
                    System.setProperty(PID, String.valueOf(moto.pid()));
                    port = String.valueOf(free);
                    System.setProperty(PID + ".port", port);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.of("latch.aws.endpoint", "http://127.0.0.1:" + port, "latch.aws.access-key-id", "testing",
                    "latch.aws.secret-access-key", "testing", "latch.aws.region", "eu-west-1");
        }

        private static void awaitUp(String url) {
            for (int i = 0; i < 100; i++) {
                try {
                    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
                    connection.setConnectTimeout(200);
                    connection.getResponseCode();
                    return;
                } catch (IOException notYet) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            throw new IllegalStateException("moto_server did not start");
        }
    }

    @Inject
    Fixtures fixtures;

    @Test
    void cachedSessionsKeepServingAndNewMintsFailClearly() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("sts-" + s);
        Cluster cluster = InventoryFixtures.cluster("staging", "sts-main-" + s);
        AccessLevel view = InventoryFixtures.level(cluster, "view");
        AccessLevel edit = InventoryFixtures.level(cluster, "edit");
        InventoryFixtures.entitle(team, view, "standing");
        InventoryFixtures.entitle(team, edit, "standing");
        User ann = fixtures.user("ann", false);
        InventoryFixtures.join(ann, team);
        String session = fixtures.session(ann);
        UUID warm = issue(session, view, ann);
        UUID cold = issue(session, edit, ann);
        HelperLogin helper = fixtures.helperLogin(ann);
        helper.mint(warm).then().statusCode(200);

        ProcessHandle.of(Long.parseLong(System.getProperty(PID))).ifPresent(ProcessHandle::destroyForcibly);

        // the view role's session is cached: kubectl keeps working
        fixtures.helperLogin(ann).mint(warm).then().statusCode(200).body("kind", equalTo("ExecCredential"));
        // the edit role needs a new session: a clear 503 the helper prints as one line
        fixtures.helperLogin(ann).mint(cold).then().statusCode(503).body("type", equalTo("https://latch.dev/problems/sts-unreachable"))
                .body("detail", containsString("STS cannot be reached")).header("Retry-After", equalTo("5"));
    }

    private static UUID issue(String session, AccessLevel level, User user) {
        as(session).contentType(ContentType.URLENC).formParam("level", level.id.toString()).post("/kube/issuances").then().statusCode(200);
        return QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>find("user.id = ?1 and level.id = ?2", user.id, level.id)
                .firstResult().id);
    }

}
