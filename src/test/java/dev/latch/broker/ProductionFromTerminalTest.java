package dev.latch.broker;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.access.AccessGrant;
import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.oauth.DeviceFlow;
import dev.latch.oauth.TokenFamily;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.HelperProcess;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.Laptop;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule for production from the terminal (issue 13, item 8): AWS credentials, console links
 * and kube tokens for a production level need a key touch recorded on the helper's login, made
 * after the grant started (standing access: within 12 h). The touch is made on /terminal/touch
 * with the person's (software) security key.
 */
@QuarkusTest
class ProductionFromTerminalTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Invitations invitations;

    @Inject
    DeviceFlow deviceFlow;

    @TempDir
    Path home;

    private KeyHolder dana;
    private HelperLogin helper;
    private Cluster prod;
    private AccessLevel standingRead;
    private AccessLevel requestableAdmin;
    private AccessLevel clusterView;

    @BeforeEach
    void estate() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        dana = KeyHolder.enrol(invitations, "dana");
        Group team = InventoryFixtures.group("prod-team-" + suffix);
        InventoryFixtures.join(dana.user(), team);
        prod = InventoryFixtures.cluster("production", "prod-" + suffix);
        standingRead = InventoryFixtures.accountLevel(prod.account, "read-only");
        InventoryFixtures.entitle(team, standingRead, "standing");
        requestableAdmin = InventoryFixtures.accountLevel(prod.account, "admin");
        InventoryFixtures.entitle(team, requestableAdmin, "requestable");
        clusterView = InventoryFixtures.level(prod, "view");
        InventoryFixtures.entitle(team, clusterView, "standing");
        helper = fixtures.helperLogin(dana.user());
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void productionAwsCredentialsNeedATouchOnTheLoginAndATouchBeforeTheGrantStartedDoesNotCount() {
        credentials("read-only").then().statusCode(403)
                .body("type", equalTo("https://latch.dev/problems/touch-required"))
                .body("detail", containsString("http://localhost:8081/terminal/touch"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and actorId = ?2 and outcome = 'denied'",
                "terminal.production", dana.user().id.toString())) >= 1, "the refusal is in the audit log");

        // the console from the terminal follows the same rule (it used to be refused outright)
        console("read-only").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/touch-required"));

        touchOnThePage();
        credentials("read-only").then().statusCode(200).body("Version", equalTo(1));

        // a grant that starts after the touch needs a new one
        TestClock.advance(Duration.ofMinutes(1));
        grant(requestableAdmin);
        credentials("admin").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/touch-required"))
                .body("detail", containsString("after your grant started"));
        touchOnThePage();
        credentials("admin").then().statusCode(200);

        // standing production: a touch older than 12 hours no longer counts
        QuarkusTransaction.requiringNew().run(() -> TokenFamily.update("touchedAt = ?1 where userId = ?2",
                TestClock.now().minus(Duration.ofHours(13)), dana.user().id));
        credentials("read-only").then().statusCode(403).body("detail", containsString("within the last 12 hours"));
    }

    @Test
    void theTouchMustComeAfterTheTerminalAskedAndOnlyTheOwnerCanConfirm() {
        credentials("read-only").then().statusCode(403);
        UUID login = dana.waitingTerminal();
        // the sign-in's own touch came before the request: not enough
        as(dana.session()).header("HX-Request", "true").post("/terminal/touch/" + login).then().statusCode(428);
        // someone else cannot confirm it, even with a fresh touch
        String other = fixtures.session(fixtures.user("eve", false));
        as(other).get("/terminal/touch").then().statusCode(200).body(containsString("No terminal of yours is waiting"));
        as(other).header("HX-Request", "true").post("/terminal/touch/" + login).then().statusCode(404);
        credentials("read-only").then().statusCode(403);
    }

    @Test
    void productionKubeconfigsAreIssuedToTheHelperAndEachTokenNeedsTheTouch() {
        Response issued = helper.api("POST", "/api/v1/kube/issuances").contentType(ContentType.JSON)
                .body("{\"accountId\":\"" + prod.account.accountId + "\",\"cluster\":\"" + prod.name + "\",\"level\":\"view\"}")
                .post("/api/v1/kube/issuances");
        issued.then().statusCode(201);
        UUID issuance = UUID.fromString(issued.path("issuanceId"));
        helper.mint(issuance).then().statusCode(403).body("type", equalTo("https://latch.dev/problems/touch-required"))
                .body("detail", containsString(prod.contextName + " (view)"));
        touchOnThePage();
        helper.mint(issuance).then().statusCode(200).body("kind", equalTo("ExecCredential"));
    }

    /** The real helper: `latch aws creds` waits for the touch on the page it names, then prints the credentials. */
    @Test
    void theHelperWaitsForTheTouchOnTheSharedPage() throws Exception {
        Laptop laptop = new Laptop(home);
        laptop.signIn(deviceFlow, dana.user());
        Map<String, String> env = new HashMap<>(laptop.env());
        env.put("LATCH_EXEC_WAIT_SECONDS", "120"); // Lens or the AWS CLI under a tool: no terminal, but willing to wait
        HelperProcess creds = HelperProcess.start(home.resolve("config"), env, "aws", "creds", "--portal", "http://localhost:8081",
                "--account", prod.account.accountId, "--level", "read-only");
        creds.awaitStderr("http://localhost:8081/terminal/touch");
        touchOnThePage();
        assertEquals(0, creds.waitFor(120), creds.stderr());
        assertTrue(creds.stdout().contains("\"AccessKeyId\""), creds.stdout());
    }

    /** The real helper: `latch setup` writes the production cluster's context (it used to skip it). */
    @Test
    void setupWritesProductionContexts() throws Exception {
        Laptop laptop = new Laptop(home);
        laptop.signIn(deviceFlow, dana.user());
        Laptop.Run setup = laptop.latch("setup", "--portal", "http://localhost:8081");
        assertEquals(0, setup.exit(), setup.stderr());
        assertTrue(setup.stderr().contains(prod.contextName), setup.stderr());
        String kubeconfig = Files.readString(home.resolve(".kube").resolve("config"));
        assertTrue(kubeconfig.contains("name: " + prod.contextName), kubeconfig);
    }

    // --- helpers -------------------------------------------------------------------------------

    private Response credentials(String level) {
        return helper.api("GET", "/api/v1/aws/credentials").queryParam("account", prod.account.accountId).queryParam("level", level)
                .get("/api/v1/aws/credentials");
    }

    private Response console(String level) {
        return helper.api("GET", "/api/v1/aws/console").queryParam("account", prod.account.accountId).queryParam("level", level)
                .get("/api/v1/aws/console");
    }

    /** What the person does on the page the helper opened: a fresh touch of their key, then Confirm. */
    private void touchOnThePage() {
        dana.confirmTerminalTouch();
    }

    /** An approved request's grant on {@code level}, starting now. */
    private void grant(AccessLevel level) {
        Instant now = TestClock.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        QuarkusTransaction.requiringNew().run(() -> {
            UUID request = UUID.randomUUID();
            var em = AccessGrant.getEntityManager();
            em.createNativeQuery("""
                    INSERT INTO access_request (id, requester_id, access_level_id, duration, reason, status, policy_json, created_at,
                        expires_at, decided_at) VALUES (?1, ?2, ?3, interval '2 hours', 'incident 42', 'approved', '{}', ?4, ?5, ?4)""")
                    .setParameter(1, request).setParameter(2, dana.user().id).setParameter(3, level.id).setParameter(4, now)
                    .setParameter(5, now.plus(Duration.ofDays(1))).executeUpdate();
            em.createNativeQuery("""
                    INSERT INTO access_grant (id, request_id, user_id, access_level_id, starts_at, ends_at, created_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)""")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, request).setParameter(3, dana.user().id)
                    .setParameter(4, level.id).setParameter(5, now).setParameter(6, now.plus(Duration.ofHours(2))).executeUpdate();
        });
    }
}
