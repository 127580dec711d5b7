package dev.latch.broker;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.AwsAccount;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Role sessions follow what allowed them (issue 13, item 9): a standing level and a grant on the
 * same role get different sessions, a session never ends after its grant, and a grant ended
 * elsewhere (another replica writes only to the database) is never served again from the cache.
 */
@QuarkusTest
class SessionsFollowGrantsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Inject
    RoleSessions roleSessions;

    private AwsAccount account;
    private AccessLevel standing;
    private AccessLevel onRequest;
    private AccessLevel alsoOnRequest;
    private User dana;

    @BeforeEach
    void estate() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Cluster cluster = InventoryFixtures.cluster("staging", "sess-" + suffix);
        account = cluster.account;
        standing = InventoryFixtures.accountLevel(account, "view");
        // three levels, one IAM role: a standing one and two on request
        onRequest = sameRole(InventoryFixtures.accountLevel(account, "oncall"), standing.roleArn);
        alsoOnRequest = sameRole(InventoryFixtures.accountLevel(account, "incident"), standing.roleArn);
        Group team = InventoryFixtures.group("sess-" + suffix);
        InventoryFixtures.entitle(team, standing, "standing");
        InventoryFixtures.entitle(team, onRequest, "requestable");
        InventoryFixtures.entitle(team, alsoOnRequest, "requestable");
        dana = fixtures.user("dana", false);
        InventoryFixtures.join(dana, team);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aStandingLevelAndAGrantOnTheSameRoleGetDifferentSessionsAndTheGrantsEndsWithIt() {
        HelperLogin helper = fixtures.helperLogin(dana);
        Response fromStanding = credentials(helper, "view");
        fromStanding.then().statusCode(200);
        Instant grantEnd = grant(onRequest, Duration.ofMinutes(30));

        Response fromGrant = credentials(helper, "oncall");
        fromGrant.then().statusCode(200);
        assertNotEquals((String) fromStanding.path("AccessKeyId"), (String) fromGrant.path("AccessKeyId"), "the grant's session is its own");
        Instant expiration = Instant.parse(fromGrant.path("Expiration"));
        assertFalse(expiration.isAfter(grantEnd), "the grant's session ends by " + grantEnd + ", not " + expiration);
        assertTrue(expiration.isAfter(grantEnd.minus(Duration.ofMinutes(1))), "and lasts as long as the grant: " + expiration);
        // the standing session is still the standing one
        assertEquals((String) fromStanding.path("AccessKeyId"), credentials(helper, "view").path("AccessKeyId"));
    }

    @Test
    void aSessionNeverOutlivesItsGrantEvenNearTheEnd() {
        HelperLogin helper = fixtures.helperLogin(dana);
        Instant grantEnd = grant(onRequest, Duration.ofMinutes(20));
        Response first = credentials(helper, "oncall");
        first.then().statusCode(200);
        assertFalse(Instant.parse(first.path("Expiration")).isAfter(grantEnd));

        // 3 minutes before the end a new session could not end with the grant; the one that does is served
        TestClock.advance(Duration.ofMinutes(17));
        Response late = credentials(fixtures.helperLogin(dana), "oncall"); // the first access token has expired by now
        late.then().statusCode(200);
        assertEquals((String) first.path("AccessKeyId"), late.path("AccessKeyId"));
        assertFalse(Instant.parse(late.path("Expiration")).isAfter(grantEnd));
    }

    @Test
    void aGrantWithLessThanTheStsMinimumLeftGetsNoSessionRatherThanOneThatOutlivesIt() {
        HelperLogin helper = fixtures.helperLogin(dana);
        grant(onRequest, Duration.ofMinutes(10));
        credentials(helper, "oncall").then().statusCode(403)
                .body("type", equalTo("https://latch.dev/problems/grant-ends-too-soon"));
    }

    @Test
    void aGrantEndedByAnotherReplicaIsRefusedAndItsCachedSessionIsNeverServedAgain() {
        HelperLogin helper = fixtures.helperLogin(dana);
        Instant end = TestClock.now().plus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.SECONDS);
        UUID revoked = InventoryFixtures.grant(dana, onRequest, TestClock.now().minus(Duration.ofMinutes(1)), end);
        grant(alsoOnRequest, Duration.ofMinutes(40));
        String revokedKey = credentials(helper, "oncall").then().statusCode(200).extract().path("AccessKeyId");

        // another replica revokes the grant: all this instance can learn of it is the database row
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                UPDATE access_grant SET ended_at = now(), end_reason = 'revoked elsewhere' WHERE id = ?1""")
                .setParameter(1, revoked).executeUpdate());

        credentials(helper, "oncall").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/grant-ended"));
        String other = credentials(helper, "incident").then().statusCode(200).extract().path("AccessKeyId");
        assertNotEquals(revokedKey, other, "the other grant on the same role gets its own session, not the revoked grant's");

        // each instance's sweep drops sessions of grants ended anywhere
        roleSessions.dropEnded();
        assertTrue(roleSessions.cachedSessions(dana.username, standing.roleArn).stream()
                .noneMatch(session -> session.credentials().accessKeyId().equals(revokedKey)), "the revoked grant's session is gone");
        assertTrue(roleSessions.cachedSessions(dana.username, standing.roleArn).stream()
                .anyMatch(session -> session.credentials().accessKeyId().equals(other)), "the live grant's session stays");
        // and the cache itself asks the database, whoever calls it
        RoleSessions.Request direct = new RoleSessions.Request(dana.username, standing.roleArn, account.defaultRegion,
                RoleSessions.Basis.grant(revoked), end);
        dev.latch.web.ProblemException refused = assertThrows(dev.latch.web.ProblemException.class, () -> roleSessions.session(direct));
        assertEquals("grant-ended", refused.code());
    }

    private Response credentials(HelperLogin helper, String level) {
        return helper.api("GET", "/api/v1/aws/credentials").queryParam("account", account.accountId).queryParam("level", level)
                .get("/api/v1/aws/credentials");
    }

    private static AccessLevel sameRole(AccessLevel level, String roleArn) {
        QuarkusTransaction.requiringNew().run(() -> AccessLevel.<AccessLevel>findById(level.id).roleArn = roleArn);
        level.roleArn = roleArn;
        return level;
    }

    /** A grant for dana that started a minute ago and ends after {@code left}; returns its end. */
    private Instant grant(AccessLevel level, Duration left) {
        Instant now = TestClock.now().truncatedTo(ChronoUnit.SECONDS);
        InventoryFixtures.grant(dana, level, now.minus(Duration.ofMinutes(1)), now.plus(left));
        return now.plus(left);
    }
}
