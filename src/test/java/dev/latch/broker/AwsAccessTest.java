package dev.latch.broker;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.latch.audit.AuditEvent;
import dev.latch.aws.AwsConfig;
import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.AwsAccount;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.PortalProcess;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * AWS CLI credentials and console links from an account's levels: the credentials are real moto
 * credentials of the person's role session (their name in the ARN), and the console link comes
 * from the federation endpoint (a local stand-in: AWS sign-in has no local form).
 */
@QuarkusTest
@TestProfile(AwsAccessTest.WithFederationStandIn.class)
class AwsAccessTest {

    private static final String PORT_PROPERTY = "latch.test.federation-port";
    /** The queries the federation stand-in received, one per line (a system property: Quarkus loads this class twice). */
    private static final String CALLS_PROPERTY = "latch.test.federation-calls";

    public static class WithFederationStandIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try {
                    int free = PortalProcess.freePort();
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", free), 0);
                    server.createContext("/federation", exchange -> {
                        synchronized (System.class) {
                            System.setProperty(CALLS_PROPERTY, System.getProperty(CALLS_PROPERTY, "") + exchange.getRequestURI() + "\n");
                        }
                        byte[] body = "{\"SigninToken\":\"signin-token-for-test\"}".getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                    port = String.valueOf(free);
                    System.setProperty(PORT_PROPERTY, port);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.of("latch.broker.federation-endpoint", "http://127.0.0.1:" + port + "/federation");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    AwsConfig awsConfig;

    @Inject
    ObjectMapper json;

    private AccessLevel readOnly;
    private AwsAccount account;
    private Group team;
    private User carol;

    @BeforeEach
    void estate() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Cluster cluster = InventoryFixtures.cluster("staging", "aws-" + suffix);
        account = cluster.account;
        readOnly = InventoryFixtures.accountLevel(account, "read-only");
        team = InventoryFixtures.group("aws-team-" + suffix);
        InventoryFixtures.entitle(team, readOnly, "standing");
        carol = fixtures.user("carol", false);
        InventoryFixtures.join(carol, team);
        System.setProperty(CALLS_PROPERTY, "");
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void credentialProcessJsonHoldsTheRoleSessionWithThePersonsName() throws Exception {
        HelperLogin helper = fixtures.helperLogin(carol);
        Response answer = helper.api("GET", "/api/v1/aws/credentials").queryParam("account", account.accountId)
                .queryParam("level", "read-only").get("/api/v1/aws/credentials");
        answer.then().statusCode(200).body("Version", equalTo(1));
        JsonNode creds = json.readTree(answer.asString());
        Instant expiration = Instant.parse(creds.path("Expiration").asText());
        assertTrue(expiration.isAfter(Instant.now().plus(Duration.ofMinutes(15))), "long enough that the AWS CLI does not refresh at once");

        try (StsClient sts = StsClient.builder().region(Region.EU_WEST_1).endpointOverride(awsConfig.endpoint().orElseThrow())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(creds.path("AccessKeyId").asText(),
                        creds.path("SecretAccessKey").asText(), creds.path("SessionToken").asText()))).build()) {
            String arn = sts.getCallerIdentity().arn();
            assertTrue(arn.endsWith(":assumed-role/Latchread-only/" + carol.username), arn);
        }
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> AuditEvent.find("action = 'aws.credentials.issued' and actorName = ?1",
                carol.username).firstResult()));

        // the account's name works as well as its id
        helper.api("GET", "/api/v1/aws/credentials").queryParam("account", account.name).queryParam("level", "read-only")
                .get("/api/v1/aws/credentials").then().statusCode(200);
    }

    @Test
    void credentialsAreRefusedWithoutStandingAccess() {
        HelperLogin helper = fixtures.helperLogin(fixtures.user("outsider", false));
        helper.api("GET", "/api/v1/aws/credentials").queryParam("account", account.accountId).queryParam("level", "read-only")
                .get("/api/v1/aws/credentials").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/not-entitled"));
        fixtures.helperLogin(carol).api("GET", "/api/v1/aws/credentials").queryParam("account", account.accountId)
                .queryParam("level", "admin").get("/api/v1/aws/credentials").then().statusCode(404)
                .body("detail", containsString("latch ls"));
    }

    @Test
    void theConsoleLinkComesFromTheFederationEndpointWithTheSessionsCredentials() throws Exception {
        Response answer = fixtures.helperLogin(carol).api("GET", "/api/v1/aws/console").queryParam("account", account.accountId)
                .queryParam("level", "read-only").get("/api/v1/aws/console");
        answer.then().statusCode(200);
        Map<String, String> login = query(URI.create(answer.path("url")));
        assertEquals("login", login.get("Action"));
        assertEquals("signin-token-for-test", login.get("SigninToken"));
        assertEquals("https://console.aws.amazon.com/", login.get("Destination"));

        List<String> calls = System.getProperty(CALLS_PROPERTY, "").lines().toList();
        assertEquals(1, calls.size(), calls.toString());
        Map<String, String> call = query(URI.create(calls.get(0)));
        assertEquals("getSigninToken", call.get("Action"));
        long duration = Long.parseLong(call.get("SessionDuration"));
        assertTrue(duration >= 900 && duration <= 3600, "within the role-chaining cap: " + duration);
        JsonNode session = json.readTree(call.get("Session"));
        assertTrue(session.path("sessionId").asText().length() >= 16);
        assertTrue(!session.path("sessionKey").asText().isEmpty() && !session.path("sessionToken").asText().isEmpty());
    }

    @Test
    void theDashboardButtonRedirectsToTheConsoleAndProductionNeedsATouch() {
        String session = fixtures.session(carol);
        as(session).contentType(ContentType.URLENC).formParam("level", readOnly.id.toString()).post("/aws/console").then().statusCode(303)
                .header("Location", containsString("SigninToken=signin-token-for-test"));

        Cluster prod = InventoryFixtures.cluster("production", "awsprod-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel prodRead = InventoryFixtures.accountLevel(prod.account, "read-only");
        InventoryFixtures.entitle(team, prodRead, "standing");
        TestClock.advance(Duration.ofMinutes(6)); // the sign-in's own touch is no longer fresh
        as(session).contentType(ContentType.URLENC).formParam("level", prodRead.id.toString()).post("/aws/console").then().statusCode(303)
                .header("Location", containsString("/step-up?next=%2Faws%2Fconsole%2Fconfirm"));
        String stepUp = as(session).contentType(ContentType.URLENC).formParam("level", prodRead.id.toString()).post("/aws/console")
                .then().extract().header("Location");
        as(session).urlEncodingEnabled(false).get(stepUp).then().statusCode(200)
                .body(containsString("Open the AWS console for " + prod.account.name + " (read-only)"));
        fixtures.helperLogin(carol).api("GET", "/api/v1/aws/console").queryParam("account", prod.account.accountId)
                .queryParam("level", "read-only").get("/api/v1/aws/console").then().statusCode(403)
                .body("type", equalTo("https://latch.dev/problems/touch-required"));
    }

    @Test
    void aConsoleLinkNeverOutlivesTheGrantItComesFrom() throws Exception {
        AccessLevel onCall = InventoryFixtures.accountLevel(account, "on-call");
        InventoryFixtures.entitle(team, onCall, "requestable");
        Instant now = TestClock.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant end = now.plus(Duration.ofMinutes(25));
        InventoryFixtures.grant(carol, onCall, now.minus(Duration.ofMinutes(1)), end);
        fixtures.helperLogin(carol).api("GET", "/api/v1/aws/console").queryParam("account", account.accountId)
                .queryParam("level", "on-call").get("/api/v1/aws/console").then().statusCode(200);
        long duration = Long.parseLong(query(URI.create(System.getProperty(CALLS_PROPERTY).lines().findFirst().orElseThrow()))
                .get("SessionDuration"));
        assertTrue(!now.plusSeconds(duration).isAfter(end), "the console ends with the grant: " + duration + " s");

        // 12 minutes before the end no console session (15 minutes at least) fits; CLI credentials still do
        TestClock.advance(Duration.ofMinutes(13));
        HelperLogin helper = fixtures.helperLogin(carol);
        helper.api("GET", "/api/v1/aws/console").queryParam("account", account.accountId).queryParam("level", "on-call")
                .get("/api/v1/aws/console").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/grant-ends-too-soon"));
        String expiration = helper.api("GET", "/api/v1/aws/credentials").queryParam("account", account.accountId)
                .queryParam("level", "on-call").get("/api/v1/aws/credentials").then().statusCode(200).extract().path("Expiration");
        assertTrue(!Instant.parse(expiration).isAfter(end), expiration);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
