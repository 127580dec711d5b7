package dev.latch.devstack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.support.Secrets;
import dev.latch.testing.Browserless;
import dev.latch.testing.PortalProcess;
import dev.latch.testing.SoftwareAuthenticator;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two portal instances (separate JVMs, the packaged application) on one PostgreSQL, as behind a
 * load balancer: every piece of state a request needs is in the database, so a ceremony started on
 * one instance finishes on the other, a session made by one is honoured by the other, and a grant
 * ended on one stops the AWS sessions the other has cached for it.
 */
class TwoInstancesIT {

    private static EmbeddedPostgres postgres;
    private static PortalProcess a;
    private static PortalProcess b;
    private static String publicUrl;
    private static HttpServer webhook;
    private static final List<String> webhookBodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTwoInstances() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "latch-two-pg").toFile())
                .start();
        int portA = PortalProcess.freePort();
        publicUrl = "http://localhost:" + portA; // both instances publish one URL, as behind a load balancer
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        // one AWS emulator for both instances, as one AWS for every replica
        String aws = MotoServer.start(MotoServer.findExecutable().orElseThrow(() -> new IllegalStateException("moto_server is not on the PATH")));
        Map<String, String> shared = Map.ofEntries(
                Map.entry("LATCH_AWS_ENDPOINT", aws),
                Map.entry("LATCH_AWS_ACCESS_KEY_ID", DemoAwsEstate.ACCESS_KEY),
                Map.entry("LATCH_AWS_SECRET_ACCESS_KEY", DemoAwsEstate.SECRET_KEY),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres")),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "unused"),
                Map.entry("LATCH_PORTAL_PUBLIC_URL", publicUrl),
                // both instances run the grant-expiry job and the outbox worker every second, on purpose
                Map.entry("LATCH_ACCESS_JOB_EVERY", "1s"),
                Map.entry("LATCH_NOTIFY_EVERY", "1s"),
                Map.entry("LATCH_NOTIFY_EMAIL_ENABLED", "false"),
                Map.entry("LATCH_NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
        a = PortalProcess.start(with(shared, "QUARKUS_HTTP_PORT", String.valueOf(portA)));
        b = PortalProcess.start(shared);
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void registrationStartedOnOneInstanceFinishesOnTheOther() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator().origin(publicUrl);
        String username = "two-" + UUID.randomUUID().toString().substring(0, 8);
        String token = invitation(username);

        JsonNode started = on(a).contentType(ContentType.JSON).body("{\"nickname\":\"k\"}").post("/enrol/" + token + "/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        String session = on(b).contentType(ContentType.JSON).body(finish(started, key.register(started.path("publicKey"))))
                .post("/enrol/finish").then().statusCode(200).extract().cookie("latch-session");
        Browserless.as(session).baseUri(a.baseUrl()).get("/profile").then().statusCode(200).body(containsString(username));

        JsonNode signIn = on(b).contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .extract().as(JsonNode.class);
        String second = on(a).contentType(ContentType.JSON).body(finish(signIn, key.assertion(signIn.path("publicKey"))))
                .post("/signin/finish").then().statusCode(200).extract().cookie("latch-session");
        Browserless.as(second).baseUri(b.baseUrl()).get("/profile").then().statusCode(200).body(containsString(username));

        // the consumed ceremony is gone on both instances
        on(b).contentType(ContentType.JSON).body(finish(signIn, key.assertion(signIn.path("publicKey"))))
                .post("/signin/finish").then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/webauthn-ceremony-expired"));
    }

    @Test
    void rateLimitsCountAcrossBothInstances() {
        String body = "{\"username\":\"limit-" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
        for (int i = 0; i < 10; i++) {
            on(i % 2 == 0 ? a : b).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(200);
        }
        on(a).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(429);
        on(b).contentType(ContentType.JSON).body(body).post("/signin/start").then().statusCode(429);
    }

    @Test
    void aDeviceLoginStartedOnOneInstanceIsApprovedAndRedeemedOnTheOther() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator().origin(publicUrl);
        String session = enrol(key, "dev-" + UUID.randomUUID().toString().substring(0, 8), false);
        JsonNode codes = on(a).contentType(ContentType.URLENC).formParam("client_id", "latch-cli").formParam("client_name", "latch test")
                .post("/oauth/device_authorization").then().statusCode(200).extract().as(JsonNode.class);

        // the person looks the code up on B, touches their key on B after the request, approves on B
        String confirm = Browserless.as(session).baseUri(b.baseUrl()).contentType(ContentType.URLENC)
                .formParam("user_code", codes.path("user_code").asText()).post("/device/lookup").then().statusCode(200).extract().asString();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(confirm);
        assertTrue(id.find(), confirm);
        JsonNode stepUp = Browserless.as(session).baseUri(b.baseUrl()).contentType(ContentType.JSON).body("{}").post("/step-up/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        Browserless.as(session).baseUri(b.baseUrl()).contentType(ContentType.JSON).body(finish(stepUp, key.assertion(stepUp.path("publicKey"))))
                .post("/step-up/finish").then().statusCode(200);
        Browserless.as(session).baseUri(b.baseUrl()).post("/device/" + id.group(1) + "/approve").then().statusCode(200);

        // the helper polls A and gets its tokens, bound to its DPoP key
        dev.latch.testing.DpopKey helperKey = new dev.latch.testing.DpopKey();
        String url = publicUrl + "/oauth/token";
        given().baseUri(a.baseUrl()).header("DPoP", helperKey.proof("POST", url, null, Instant.now(), UUID.randomUUID().toString()))
                .contentType(ContentType.URLENC).formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .formParam("device_code", codes.path("device_code").asText()).formParam("client_id", "latch-cli")
                .post("/oauth/token").then().statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void bothInstancesRunTheExpiryJobAndTheOutboxYetEachGrantEndsOnceAndEachMessageGoesOnce() throws Exception {
        UUID grant = UUID.randomUUID();
        String username = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            UUID user = UUID.randomUUID();
            UUID account = UUID.randomUUID();
            UUID level = UUID.randomUUID();
            UUID request = UUID.randomUUID();
            String accountId = String.format("%012d", Math.abs(user.getMostSignificantBits() % 1_000_000_000_000L));
            exec(c, "INSERT INTO app_user (id, username, email, display_name, user_handle) VALUES (?, ?, ?, 'Expiring', ?)",
                    user, username, username + "@example.com", Secrets.randomBytes(32));
            exec(c, "INSERT INTO aws_account (id, account_id, name, environment, default_region) VALUES (?, ?, ?, 'prod', 'eu-west-1')",
                    account, accountId, "acct-" + username);
            exec(c, "INSERT INTO access_level (id, account_id, name, role_arn) VALUES (?, ?, 'admin', ?)",
                    level, account, "arn:aws:iam::" + accountId + ":role/LatchAdmin");
            exec(c, "INSERT INTO access_request (id, requester_id, access_level_id, duration, reason, status, policy_json, created_at, "
                    + "expires_at, decided_at) VALUES (?, ?, ?, interval '1 hour', 'INC-1', 'approved', '{\"steps\":[]}', now(), now(), now())",
                    request, user, level);
            exec(c, "INSERT INTO access_grant (id, request_id, user_id, access_level_id, starts_at, ends_at, created_at) "
                    + "VALUES (?, ?, ?, ?, now() - interval '1 hour', now() + interval '2 seconds', now())", grant, request, user, level);
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && webhookBodies.stream().noneMatch(b -> b.contains(username) && b.contains("has ended"))) {
            Thread.sleep(250);
        }
        Thread.sleep(3000); // time for a second, wrong delivery to show up if there were one
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            assertEquals(1L, count(c, "SELECT count(*) FROM audit_event WHERE action = 'grant.expired' AND target_id = ?", grant.toString()),
                    "ended by exactly one of the two instances");
            assertEquals(1L, count(c, "SELECT count(*) FROM notification_outbox WHERE event_key = ?", "grant.ended:" + grant));
        }
        assertEquals(1, webhookBodies.stream().filter(b -> b.contains("acct-" + username) && b.contains("has ended")).count(),
                "the webhook got the message once: " + webhookBodies);
        // and the audit chain both instances wrote into is still one valid chain
        String admin = enrol(new SoftwareAuthenticator().origin(publicUrl), "adm-" + UUID.randomUUID().toString().substring(0, 8), true);
        Browserless.as(admin).baseUri(a.baseUrl()).accept(ContentType.JSON).get("/api/v1/admin/audit/verify").then().statusCode(200)
                .body("intact", equalTo(true));
    }

    @Test
    void aGrantEndedOnOneInstanceStopsItsAwsSessionsOnTheOtherAndAStandingLevelOnTheSameRoleNeverGetsThem() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator().origin(publicUrl);
        String username = "aws-" + UUID.randomUUID().toString().substring(0, 8);
        String session = enrol(key, username, false);
        UUID grant = UUID.randomUUID();
        String accountId;
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            UUID user = userId(c, username);
            UUID account = UUID.randomUUID();
            UUID standing = UUID.randomUUID();
            UUID onCall = UUID.randomUUID();
            UUID group = UUID.randomUUID();
            UUID request = UUID.randomUUID();
            accountId = String.format("%012d", Math.abs(account.getMostSignificantBits() % 1_000_000_000_000L));
            String role = "arn:aws:iam::" + accountId + ":role/LatchOps";
            exec(c, "INSERT INTO aws_account (id, account_id, name, environment, default_region) VALUES (?, ?, ?, 'staging', 'eu-west-1')",
                    account, accountId, "acct-" + username);
            // two levels, one IAM role: read-only standing, on-call by grant
            exec(c, "INSERT INTO access_level (id, account_id, name, role_arn) VALUES (?, ?, 'read-only', ?)", standing, account, role);
            exec(c, "INSERT INTO access_level (id, account_id, name, role_arn) VALUES (?, ?, 'on-call', ?)", onCall, account, role);
            exec(c, "INSERT INTO app_group (id, name) VALUES (?, ?)", group, "g-" + username);
            exec(c, "INSERT INTO group_membership (group_id, user_id) VALUES (?, ?)", group, user);
            exec(c, "INSERT INTO entitlement (id, group_id, access_level_id, mode) VALUES (?, ?, ?, 'standing')", UUID.randomUUID(),
                    group, standing);
            exec(c, "INSERT INTO entitlement (id, group_id, access_level_id, mode, max_duration) VALUES (?, ?, ?, 'requestable', "
                    + "interval '4 hours')", UUID.randomUUID(), group, onCall);
            exec(c, "INSERT INTO access_request (id, requester_id, access_level_id, duration, reason, status, policy_json, created_at, "
                    + "expires_at, decided_at) VALUES (?, ?, ?, interval '1 hour', 'INC-7', 'approved', '{\"steps\":[]}', now(), now(), now())",
                    request, user, onCall);
            exec(c, "INSERT INTO access_grant (id, request_id, user_id, access_level_id, starts_at, ends_at, created_at) "
                    + "VALUES (?, ?, ?, ?, now() - interval '1 minute', now() + interval '1 hour', now())", grant, request, user, onCall);
        }
        Helper helper = helperLogin(key, session);

        // B hands out the grant's session and, for the standing level on the same role, another one
        JsonNode fromGrant = helper.credentials(b, accountId, "on-call").then().statusCode(200).extract().as(JsonNode.class);
        JsonNode fromStanding = helper.credentials(b, accountId, "read-only").then().statusCode(200).extract().as(JsonNode.class);
        String grantKey = fromGrant.path("AccessKeyId").asText();
        assertTrue(!grantKey.equals(fromStanding.path("AccessKeyId").asText()), "a standing level never shares the grant's session");

        // the holder ends the grant on A; B learns it from the database alone
        Browserless.as(session).baseUri(a.baseUrl()).post("/grants/" + grant + "/end").then().statusCode(303);
        helper.credentials(b, accountId, "on-call").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/grant-ended"));
        helper.console(b, accountId, "on-call").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/grant-ended"));
        String after = helper.credentials(b, accountId, "read-only").then().statusCode(200).extract().path("AccessKeyId");
        assertEquals(fromStanding.path("AccessKeyId").asText(), after, "the standing session is untouched");
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            assertEquals(2L, count(c, "SELECT count(*) FROM audit_event WHERE actor_name = ? AND outcome = 'denied' "
                    + "AND details->>'reason' = 'grant-ended' AND action IN ('aws.credentials', 'aws.console')", username),
                    "both refusals on B are on the record");
        }
    }

    /** What `latch login` leaves: a DPoP-bound access token from a device login approved in the browser. */
    private record Helper(String accessToken, dev.latch.testing.DpopKey key) {

        io.restassured.response.Response credentials(PortalProcess on, String account, String level) {
            return call(on, "/api/v1/aws/credentials", account, level);
        }

        io.restassured.response.Response console(PortalProcess on, String account, String level) {
            return call(on, "/api/v1/aws/console", account, level);
        }

        private io.restassured.response.Response call(PortalProcess on, String path, String account, String level) {
            return given().baseUri(on.baseUrl()).header("Authorization", "DPoP " + accessToken)
                    .header("DPoP", key.proof("GET", publicUrl + path, accessToken, Instant.now(), UUID.randomUUID().toString()))
                    .queryParam("account", account).queryParam("level", level).get(path);
        }
    }

    private static Helper helperLogin(SoftwareAuthenticator key, String session) throws Exception {
        JsonNode codes = on(a).contentType(ContentType.URLENC).formParam("client_id", "latch-cli").formParam("client_name", "latch test")
                .post("/oauth/device_authorization").then().statusCode(200).extract().as(JsonNode.class);
        String confirm = Browserless.as(session).baseUri(a.baseUrl()).contentType(ContentType.URLENC)
                .formParam("user_code", codes.path("user_code").asText()).post("/device/lookup").then().statusCode(200).extract().asString();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(confirm);
        assertTrue(id.find(), confirm);
        JsonNode stepUp = Browserless.as(session).baseUri(a.baseUrl()).contentType(ContentType.JSON).body("{}").post("/step-up/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        Browserless.as(session).baseUri(a.baseUrl()).contentType(ContentType.JSON).body(finish(stepUp, key.assertion(stepUp.path("publicKey"))))
                .post("/step-up/finish").then().statusCode(200);
        Browserless.as(session).baseUri(a.baseUrl()).post("/device/" + id.group(1) + "/approve").then().statusCode(200);
        dev.latch.testing.DpopKey helperKey = new dev.latch.testing.DpopKey();
        String url = publicUrl + "/oauth/token";
        String accessToken = given().baseUri(a.baseUrl())
                .header("DPoP", helperKey.proof("POST", url, null, Instant.now(), UUID.randomUUID().toString()))
                .contentType(ContentType.URLENC).formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .formParam("device_code", codes.path("device_code").asText()).formParam("client_id", "latch-cli")
                .post("/oauth/token").then().statusCode(200).extract().path("access_token");
        return new Helper(accessToken, helperKey);
    }

    private static UUID userId(Connection c, String username) throws Exception {
        try (PreparedStatement statement = c.prepareStatement("SELECT id FROM app_user WHERE username = ?")) {
            statement.setString(1, username);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                rows.next();
                return (UUID) rows.getObject(1);
            }
        }
    }

    private static String enrol(SoftwareAuthenticator key, String username, boolean admin) throws Exception {
        String token = invitation(username, admin);
        JsonNode started = on(a).contentType(ContentType.JSON).body("{\"nickname\":\"k\"}").post("/enrol/" + token + "/start")
                .then().statusCode(200).extract().as(JsonNode.class);
        return on(b).contentType(ContentType.JSON).body(finish(started, key.register(started.path("publicKey"))))
                .post("/enrol/finish").then().statusCode(200).extract().cookie("latch-session");
    }

    private static void exec(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long count(Connection c, String sql, String value) throws Exception {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, value);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static RequestSpecification on(PortalProcess instance) {
        return Browserless.anonymous().baseUri(instance.baseUrl());
    }

    private static String finish(JsonNode started, String answer) {
        return "{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + answer + "}";
    }

    /** An admin's invitation, written straight into the shared database (as the admin UI would). */
    private static String invitation(String username) throws Exception {
        return invitation(username, false);
    }

    private static String invitation(String username, boolean admin) throws Exception {
        String token = Secrets.newSecret();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO invitation (id, token_hash, username, display_name, "
                     + "created_at, expires_at, is_admin) VALUES (?, ?, ?, ?, ?, ?, " + admin + ")")) {
            Instant now = Instant.now();
            insert.setObject(1, UUID.randomUUID());
            insert.setBytes(2, Secrets.hash(token));
            insert.setString(3, username);
            insert.setString(4, "Two Instances");
            insert.setObject(5, java.sql.Timestamp.from(now));
            insert.setObject(6, java.sql.Timestamp.from(now.plusSeconds(3600)));
            insert.executeUpdate();
        }
        return token;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
