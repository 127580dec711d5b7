package dev.latch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.audit.AuditEvent;
import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperLogin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal on the helper's AWS API is in the audit log after the request ends (issue 13,
 * item 14): the refusal is written in its own transaction, so the one that refuses cannot take it
 * back with its rollback.
 */
@QuarkusTest
class AwsRefusalsAuditedTest {

    @Inject
    Fixtures fixtures;

    private Cluster staging;
    private Cluster production;
    private User erin;

    @BeforeEach
    void estate() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        staging = InventoryFixtures.cluster("staging", "refs-" + suffix);
        production = InventoryFixtures.cluster("production", "refp-" + suffix);
        InventoryFixtures.accountLevel(staging.account, "admin"); // nobody is entitled to it
        AccessLevel prodRead = InventoryFixtures.accountLevel(production.account, "read-only");
        Group team = InventoryFixtures.group("refs-" + suffix);
        InventoryFixtures.entitle(team, prodRead, "standing");
        erin = fixtures.user("erin", false);
        InventoryFixtures.join(erin, team);
    }

    @Test
    void credentialsRefusedForALevelThePersonMayNotUseAreAudited() {
        call(fixtures.helperLogin(erin), "credentials", staging.account.accountId, "admin").then().statusCode(403);
        assertEquals(1, denied("aws.credentials", "not-entitled"));
    }

    @Test
    void aConsoleLinkRefusedForALevelThePersonMayNotUseIsAudited() {
        call(fixtures.helperLogin(erin), "console", staging.account.accountId, "admin").then().statusCode(403);
        assertEquals(1, denied("aws.console", "not-entitled"));
    }

    @Test
    void aProductionConsoleLinkRefusedForWantOfAKeyTouchIsAudited() {
        call(fixtures.helperLogin(erin), "console", production.account.accountId, "read-only").then().statusCode(403);
        assertEquals(1, denied("aws.console", "touch-required"));
    }

    @Test
    void aLevelThatDoesNotExistIsARefusalOnRecordToo() {
        call(fixtures.helperLogin(erin), "credentials", staging.account.accountId, "no-such-level").then().statusCode(404);
        assertEquals(1, denied("aws.credentials", "level-not-found"));
    }

    private static io.restassured.response.Response call(HelperLogin helper, String what, String account, String level) {
        return helper.api("GET", "/api/v1/aws/" + what).queryParam("account", account).queryParam("level", level).get("/api/v1/aws/" + what);
    }

    private long denied(String action, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and actorName = ?2 and outcome = 'denied'",
                action, erin.username).list().stream().filter(e -> reason.equals(e.details.get("reason"))).count());
    }
}
