package dev.latch.kube;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.Entitlement;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Browserless;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * "Download kubeconfig" and the token mint behind it: the issuance is recorded, the YAML runs
 * the helper for exactly that issuance, and every mint re-checks owner, expiry, revocation and
 * access.
 */
@QuarkusTest
class KubeconfigTest {

    @Inject
    Fixtures fixtures;

    @Inject
    dev.latch.identity.Users users;

    /** Metrics are on the management interface (its root path, /q/). */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private String suffix;
    private Group team;
    private Cluster staging;
    private AccessLevel edit;
    private User alice;
    private String session;

    @BeforeEach
    void estate() {
        suffix = UUID.randomUUID().toString().substring(0, 6);
        team = InventoryFixtures.group("kube-team-" + suffix);
        staging = InventoryFixtures.cluster("staging", "staging-apps-" + suffix);
        edit = InventoryFixtures.level(staging, "edit");
        InventoryFixtures.entitle(team, edit, "standing");
        alice = fixtures.user("alice", false);
        InventoryFixtures.join(alice, team);
        session = fixtures.session(alice);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void downloadingAKubeconfigRecordsAnIssuanceAndTheFileRunsTheHelperForIt() {
        Response download = as(session).contentType(ContentType.URLENC).formParam("level", edit.id.toString()).post("/kube/issuances");
        download.then().statusCode(200).contentType(startsWith("application/yaml"))
                .header("Content-Disposition", containsString("latch-staging-apps-" + suffix));
        String yaml = download.asString();
        assertTrue(yaml.startsWith("# Kubeconfig from Latch"), yaml);
        assertTrue(yaml.contains("for Test " + alice.username + " (" + alice.username + ")"), "the header says who");

        Issuance issuance = onlyIssuance(alice);
        assertEquals(Duration.ofDays(7), Duration.between(issuance.issuedAt, issuance.expiresAt), "standing access: the entitlement's 7 days");
        assertTrue(yaml.contains("valid until " + issuance.expiresAt), "the header says until when");

        Map<String, Object> config = new Yaml().load(yaml);
        assertEquals("staging-apps-" + suffix, config.get("current-context"));
        Map<String, Object> cluster = entry(config, "clusters", "cluster");
        assertEquals("https://staging-apps-" + suffix + ".example.com", cluster.get("server"));
        Map<String, Object> context = entry(config, "contexts", "context");
        assertNull(context.get("namespace"), "a cluster-wide level sets no namespace");
        @SuppressWarnings("unchecked")
        Map<String, Object> exec = (Map<String, Object>) entry(config, "users", "user").get("exec");
        assertEquals("client.authentication.k8s.io/v1", exec.get("apiVersion"));
        assertEquals("latch", exec.get("command"));
        assertEquals(List.of("kube", "token", "--portal", "http://localhost:8081", "--issuance", issuance.id.toString()), exec.get("args"));
        assertEquals("IfAvailable", exec.get("interactiveMode"));
        assertTrue(exec.get("installHint").toString().contains("/install.sh"));
        assertNotNull(audit("kube.issuance.created", issuance.id));

        as(session).get("/kube").then().statusCode(200).body(containsString("Kubeconfig staging-apps-" + suffix + " edit"))
                .body(containsString("data-countdown=\"" + issuance.expiresAt + "\""));
    }

    @Test
    void aNamespaceScopedLevelMakesItsNamespaceTheDefault() {
        QuarkusTransaction.requiringNew().run(() -> {
            AccessLevel level = AccessLevel.findById(edit.id);
            level.eksAccessScope = "namespace";
            level.eksNamespaces = List.of("payments", "billing");
        });
        String yaml = as(session).contentType(ContentType.URLENC).formParam("level", edit.id.toString()).post("/kube/issuances")
                .then().statusCode(200).extract().asString();
        assertEquals("payments", entry(new Yaml().load(yaml), "contexts", "context").get("namespace"));
    }

    @Test
    void whatIsNotStandingAccessIsRefusedAndNothingIsIssued() {
        Cluster prod = InventoryFixtures.cluster("prod" + suffix, "prod-apps-" + suffix);
        AccessLevel prodAdmin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(team, prodAdmin, "requestable");
        AccessLevel notMine = InventoryFixtures.level(prod, "view");

        as(session).accept(ContentType.HTML).contentType(ContentType.URLENC).formParam("level", prodAdmin.id.toString())
                .post("/kube/issuances").then().statusCode(403).contentType(startsWith("text/html")).body(containsString("on request"));
        as(session).accept(ContentType.JSON).contentType(ContentType.URLENC).formParam("level", notMine.id.toString())
                .post("/kube/issuances").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-entitled"));
        as(session).accept(ContentType.JSON).contentType(ContentType.URLENC).formParam("level", "not-a-uuid")
                .post("/kube/issuances").then().statusCode(400);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Issuance.count("user.id", alice.id)));
    }

    @Test
    void aProductionDownloadAsksForAKeyTouchFirst() {
        Cluster prod = InventoryFixtures.cluster("production", "prod-web-" + suffix);
        AccessLevel view = InventoryFixtures.level(prod, "view");
        InventoryFixtures.entitle(team, view, "standing");
        TestClock.advance(Duration.ofMinutes(6)); // the sign-in's own touch is no longer fresh
        as(session).contentType(ContentType.URLENC).formParam("level", view.id.toString()).post("/kube/issuances").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/step-up?next=" + java.net.URLEncoder.encode("/kube/new?level=" + view.id, StandardCharsets.UTF_8)));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Issuance.count("user.id", alice.id)));
        as(session).get("/kube/new?level=" + view.id).then().statusCode(200).body(containsString("Download kubeconfig"))
                .body(containsString("prod-web-" + suffix + " (view)"));
    }

    @Test
    void theStepUpPageNamesTheDownloadItConfirmsFromWhatTheServerKnows() {
        Cluster prod = InventoryFixtures.cluster("production", "prod-web-" + suffix);
        AccessLevel view = InventoryFixtures.level(prod, "view");
        InventoryFixtures.entitle(team, view, "standing");
        TestClock.advance(Duration.ofMinutes(6));
        String location = as(session).contentType(ContentType.URLENC).formParam("level", view.id.toString()).post("/kube/issuances")
                .then().statusCode(303).extract().header("Location");
        as(session).urlEncodingEnabled(false).get(location).then().statusCode(200)
                .body(containsString("Download the kubeconfig for prod-web-" + suffix + " (view)"));
        String all = as(session).contentType(ContentType.URLENC).post("/kube/issuances/all").then().statusCode(303).extract().header("Location");
        as(session).urlEncodingEnabled(false).get(all).then().statusCode(200)
                .body(containsString("Download the kubeconfig for all your clusters"));
        // the page says only what the server can vouch for: an unknown level, or another path, gets the generic line
        as(session).urlEncodingEnabled(false)
                .get("/step-up?next=" + java.net.URLEncoder.encode("/kube/new?level=" + UUID.randomUUID(), StandardCharsets.UTF_8))
                .then().statusCode(200).body(containsString("This action needs a fresh touch")).body(not(containsString("Download the")));
        as(session).urlEncodingEnabled(false).get("/step-up?next=%2Fprofile&what=Download+the+kubeconfig+for+prod").then().statusCode(200)
                .body(not(containsString("Download the kubeconfig")));
    }

    @Test
    void allMyClustersIsOneFileWithAContextPerClusterLevel() {
        AccessLevel view = InventoryFixtures.level(staging, "view");
        InventoryFixtures.entitle(team, view, "standing");
        Cluster dev = InventoryFixtures.cluster("dev", "dev-apps-" + suffix);
        InventoryFixtures.entitle(team, InventoryFixtures.level(dev, "admin"), "standing");
        String yaml = as(session).contentType(ContentType.URLENC).post("/kube/issuances/all").then().statusCode(200).extract().asString();
        Map<String, Object> config = new Yaml().load(yaml);
        @SuppressWarnings("unchecked")
        List<String> contexts = ((List<Map<String, Object>>) config.get("contexts")).stream().map(c -> (String) c.get("name")).sorted().toList();
        assertEquals(List.of("dev-apps-" + suffix, "staging-apps-" + suffix + "-edit", "staging-apps-" + suffix + "-view"), contexts);
        assertEquals(3, QuarkusTransaction.requiringNew().call(() -> Issuance.count("user.id", alice.id)));
    }

    @Test
    void theHelperListsItsAccessAndIssuesKubeconfigsForSetup() {
        HelperLogin helper = fixtures.helperLogin(alice);
        helper.api("GET", "/api/v1/access").get("/api/v1/access").then().statusCode(200)
                .body("targets.find { it.name == 'staging-apps-%s' }.kind".formatted(suffix), equalTo("cluster"))
                .body("targets.find { it.name == 'staging-apps-%s' }.accountId".formatted(suffix), equalTo(staging.account.accountId))
                .body("targets.find { it.name == 'staging-apps-%s' }.levels[0].state".formatted(suffix), equalTo("standing"));

        Response issued = helper.api("POST", "/api/v1/kube/issuances").contentType(ContentType.JSON)
                .body(Map.of("accountId", staging.account.accountId, "cluster", staging.name, "level", "edit")).post("/api/v1/kube/issuances");
        issued.then().statusCode(201).body("contextName", equalTo("staging-apps-" + suffix))
                .body("server", equalTo("https://staging-apps-" + suffix + ".example.com"))
                .body("kubeconfig", containsString("--issuance"));
        Issuance issuance = onlyIssuance(alice);
        assertEquals("helper", issuance.channel);
        assertEquals(issuance.id.toString(), issued.path("issuanceId"));

        helper.api("POST", "/api/v1/kube/issuances").contentType(ContentType.JSON)
                .body(Map.of("accountId", staging.account.accountId, "cluster", staging.name, "level", "admin")).post("/api/v1/kube/issuances")
                .then().statusCode(404).body("type", equalTo("https://latch.dev/problems/level-not-found"));
        Cluster prod = InventoryFixtures.cluster("production", "prod-setup-" + suffix);
        InventoryFixtures.entitle(team, InventoryFixtures.level(prod, "view"), "standing");
        helper.api("POST", "/api/v1/kube/issuances").contentType(ContentType.JSON)
                .body(Map.of("accountId", prod.account.accountId, "cluster", prod.name, "level", "view")).post("/api/v1/kube/issuances")
                .then().statusCode(201); // production too: each token mint then needs the login's key touch
        assertEquals(2, QuarkusTransaction.requiringNew().call(() -> Issuance.count("user.id", alice.id)));
    }

    @Test
    void theTokenEndpointGivesAnExecCredentialWithAnEksTokenForTheIssuance() {
        Issuance issuance = download();
        HelperLogin helper = fixtures.helperLogin(alice);
        Response minted = helper.api("GET", "/api/v1/kube/token").queryParam("issuance", issuance.id.toString()).get("/api/v1/kube/token");
        minted.then().statusCode(200).body("apiVersion", equalTo("client.authentication.k8s.io/v1")).body("kind", equalTo("ExecCredential"));
        String token = minted.path("status.token");
        Instant expires = Instant.parse(minted.path("status.expirationTimestamp"));
        assertTrue(token.startsWith("k8s-aws-v1."));
        URI presigned = URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())), StandardCharsets.UTF_8));
        assertEquals("sts.eu-west-1.amazonaws.com", presigned.getHost(), "the public regional host, not the emulator");
        Map<String, String> query = query(presigned);
        assertEquals("GetCallerIdentity", query.get("Action"));
        assertEquals("host;x-k8s-aws-id", query.get("X-Amz-SignedHeaders"));
        assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(4))) && !expires.isAfter(Instant.now().plus(Duration.ofMinutes(5))),
                "the configured credential lifetime, 5 minutes: " + expires);
        Issuance used = QuarkusTransaction.requiringNew().call(() -> Issuance.findById(issuance.id));
        assertEquals(1, used.tokenCount);
        assertNotNull(audit("kube.token.minted", issuance.id));
        // operators see mints and STS calls in the metrics
        io.restassured.RestAssured.get(management + "metrics").then().statusCode(200)
                .body(containsString("latch_audit_events_total{action=\"kube.token.minted\",outcome=\"success\"}"))
                .body(containsString("latch_sts_assume_role_total{outcome=\"ok\"}"))
                .body(containsString("latch_outbox_pending"));
    }

    @Test
    void aGenericClusterGetsAnIdTokenFromThePortalAsIssuer() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> {
            Cluster.<Cluster>findById(staging.id).kind = "generic";
            AccessLevel.<AccessLevel>findById(edit.id).kubernetesGroups = List.of("developers", "payments-edit");
        });
        Issuance issuance = download();
        String token = fixtures.helperLogin(alice).mint(issuance.id).then().statusCode(200).extract().path("status.token");
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        com.nimbusds.jose.jwk.JWKSet published = com.nimbusds.jose.jwk.JWKSet.parse(
                io.restassured.RestAssured.get("/oauth/jwks").then().statusCode(200).extract().asString());
        com.nimbusds.jose.jwk.ECKey key = (com.nimbusds.jose.jwk.ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key)), "signed with a key the API server finds in the JWKS");
        com.nimbusds.jwt.JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("http://localhost:8081", claims.getIssuer());
        assertEquals(List.of("staging-apps-" + suffix), claims.getAudience(), "the cluster's OIDC client id is its context name");
        assertEquals(alice.username, claims.getSubject());
        assertEquals(List.of("developers", "payments-edit"), claims.getStringListClaim("groups"));
        Duration life = Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
        assertTrue(life.compareTo(Duration.ofMinutes(5)) <= 0, "short-lived: " + life);
        // an ID token for a cluster is not an access token for the portal's API
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void theCredentialNeverOutlivesTheIssuance() {
        Issuance issuance = download();
        Instant soon = Instant.now().plus(Duration.ofMinutes(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        QuarkusTransaction.requiringNew().run(() -> Issuance.<Issuance>findById(issuance.id).expiresAt = soon);
        HelperLogin helper = fixtures.helperLogin(alice);
        Instant expires = Instant.parse(helper.api("GET", "/api/v1/kube/token").queryParam("issuance", issuance.id.toString())
                .get("/api/v1/kube/token").then().statusCode(200).extract().path("status.expirationTimestamp"));
        assertEquals(soon, expires, "kubectl asks again when the issuance ends, not later");
    }

    @Test
    void mintsStopWhenTheIssuanceIsRevokedExpiredOrTheAccessEnds() {
        HelperLogin helper = fixtures.helperLogin(alice);

        Issuance revoked = download();
        as(session).post("/kube/" + revoked.id + "/revoke").then().statusCode(200).body(containsString("No live kubeconfig"));
        helper.mint(revoked.id).then().statusCode(410).body("type", equalTo("https://latch.dev/problems/issuance-revoked"))
                .body("detail", containsString("was revoked at")).body("detail", containsString("latch setup"));
        assertNotNull(audit("kube.issuance.revoked", revoked.id));

        Issuance expired = download();
        TestClock.advance(Duration.ofDays(7).plusSeconds(1));
        fixtures.helperLogin(alice).mint(expired.id).then().statusCode(410).body("type", equalTo("https://latch.dev/problems/issuance-expired"))
                .body("detail", containsString("expired at " + expired.expiresAt));
        TestClock.reset();

        Issuance ended = download();
        helper.mint(ended.id).then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> Entitlement.delete("groupId = ?1 and accessLevelId = ?2", team.id, edit.id));
        helper.mint(ended.id).then().statusCode(403).body("type", equalTo("https://latch.dev/problems/access-ended"));
    }

    @Test
    void nobodyElseCanUseOrRevokeSomeonesIssuance() {
        Issuance mine = download();
        User mallory = fixtures.user("mallory", false);
        InventoryFixtures.join(mallory, team); // same access, still not her kubeconfig
        fixtures.helperLogin(mallory).mint(mine.id).then().statusCode(404);
        as(fixtures.session(mallory)).accept(ContentType.HTML).post("/kube/" + mine.id + "/revoke").then().statusCode(404);
        assertNull(QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>findById(mine.id).revokedAt));
        fixtures.helperLogin(alice).api("GET", "/api/v1/kube/token").queryParam("issuance", "nope").get("/api/v1/kube/token")
                .then().statusCode(400).body("type", equalTo("https://latch.dev/problems/issuance-invalid"));
    }

    @Test
    void anAdministratorSeesAndRevokesEveryonesKubeconfigs() {
        Issuance issuance = download();
        String admin = fixtures.session(fixtures.user("admin", true));
        Browserless.as(admin).get("/kube").then().statusCode(200).body(containsString("Kubeconfig of " + alice.username));
        Browserless.as(admin).post("/kube/" + issuance.id + "/revoke").then().statusCode(200);
        fixtures.helperLogin(alice).mint(issuance.id).then().statusCode(410);
    }

    @Test
    void fiftyConcurrentMintsForOnePersonAndRoleMakeOneStsCall() throws Exception {
        Issuance issuance = download();
        List<HelperLogin> logins = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            logins.add(fixtures.helperLogin(alice));
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                HelperLogin login = logins.get(i % logins.size());
                tokens.add(pool.submit(() -> {
                    start.await();
                    return login.mint(issuance.id).then().statusCode(200).extract().<String>path("status.token");
                }));
            }
            start.countDown();
            Set<String> accessKeys = new HashSet<>();
            for (Future<String> token : tokens) {
                URI presigned = URI.create(new String(Base64.getUrlDecoder().decode(token.get().substring(11)), StandardCharsets.UTF_8));
                accessKeys.add(query(presigned).get("X-Amz-Credential").split("/")[0]);
            }
            assertEquals(1, accessKeys.size(), "every token was signed with the credentials of one AssumeRole call: " + accessKeys);
            assertEquals(50, QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>findById(issuance.id).tokenCount),
                    "no concurrent mint lost its count");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void disablingThePersonEndsTheirKubeconfigs() {
        Issuance issuance = download();
        User admin = fixtures.user("admin", true);
        users.disable(alice.id, admin, "left the company");
        Issuance after = QuarkusTransaction.requiringNew().call(() -> Issuance.findById(issuance.id));
        assertNotNull(after.revokedAt, "revoked with the disabling");
        assertEquals("account disabled", after.revokeReason);
    }

    private Issuance download() {
        as(session).contentType(ContentType.URLENC).formParam("level", edit.id.toString()).post("/kube/issuances").then().statusCode(200);
        return QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>find("user.id = ?1 order by issuedAt desc, id", alice.id)
                .list().stream().filter(i -> i.revokedAt == null && i.tokenCount == 0).reduce((a, b) -> b).orElseThrow());
    }


    private static Issuance onlyIssuance(User user) {
        List<Issuance> all = QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>list("user.id", user.id));
        assertEquals(1, all.size());
        return all.get(0);
    }

    private static AuditEvent audit(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and targetId = ?2 and outcome = 'success'",
                action, target.toString()).firstResult());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> config, String list, String key) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) config.get(list);
        assertEquals(1, items.size());
        return (Map<String, Object>) items.get(0).get(key);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertFalse(params.isEmpty());
        return params;
    }
}
