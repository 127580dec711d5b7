package dev.latch.kube;

import static dev.latch.testing.Browserless.as;
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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refused kubeconfig download, issuance, token mint and revocation is in the audit log after
 * the request ends, with who, what and why (issue 13, item 14).
 */
@QuarkusTest
class KubeRefusalsAuditedTest {

    @Inject
    Fixtures fixtures;

    private Cluster staging;
    private Cluster production;
    private AccessLevel edit;
    private AccessLevel admin;
    private User frank;
    private User grace;

    @BeforeEach
    void estate() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        staging = InventoryFixtures.cluster("staging", "krs-" + suffix);
        production = InventoryFixtures.cluster("production", "krp-" + suffix);
        edit = InventoryFixtures.level(staging, "edit");
        admin = InventoryFixtures.level(staging, "admin"); // nobody is entitled to it
        AccessLevel prodView = InventoryFixtures.level(production, "view");
        Group team = InventoryFixtures.group("krs-" + suffix);
        InventoryFixtures.entitle(team, edit, "standing");
        InventoryFixtures.entitle(team, prodView, "standing");
        frank = fixtures.user("frank", false);
        grace = fixtures.user("grace", false);
        InventoryFixtures.join(frank, team);
    }

    @Test
    void aRefusedBrowserDownloadIsAudited() {
        as(fixtures.session(frank)).accept(ContentType.JSON).contentType(ContentType.URLENC).formParam("level", admin.id.toString())
                .post("/kube/issuances").then().statusCode(403);
        assertEquals(1, denied(frank, "kube.issuance.created", "not-entitled"));
    }

    @Test
    void aRefusedHelperIssuanceIsAudited() {
        issue(fixtures.helperLogin(frank), staging, "admin").then().statusCode(403);
        assertEquals(1, denied(frank, "kube.issuance.created", "not-entitled"));
    }

    @Test
    void aProductionTokenRefusedToTheHelperForWantOfAKeyTouchIsAudited() {
        HelperLogin helper = fixtures.helperLogin(frank);
        String issuance = issue(helper, production, "view").then().statusCode(201).extract().path("issuanceId");
        helper.mint(UUID.fromString(issuance)).then().statusCode(403);
        assertEquals(1, denied(frank, "kube.token.minted", "touch-required"));
    }

    @Test
    void aTokenMintForSomeoneElsesKubeconfigIsAudited() {
        String yaml = as(fixtures.session(frank)).contentType(ContentType.URLENC).formParam("level", edit.id.toString())
                .post("/kube/issuances").then().statusCode(200).extract().asString();
        UUID issuance = UUID.fromString(yaml.replaceAll("(?s).*--issuance\\s*\\n?\\s*-?\\s*\"?([0-9a-f-]{36}).*", "$1"));
        fixtures.helperLogin(grace).mint(issuance).then().statusCode(404);
        assertEquals(1, denied(grace, "kube.token.minted", "not found or not the caller's"));
    }

    @Test
    void revokingSomeoneElsesKubeconfigIsARefusalOnRecord() {
        String yaml = as(fixtures.session(frank)).contentType(ContentType.URLENC).formParam("level", edit.id.toString())
                .post("/kube/issuances").then().statusCode(200).extract().asString();
        UUID issuance = UUID.fromString(yaml.replaceAll("(?s).*--issuance\\s*\\n?\\s*-?\\s*\"?([0-9a-f-]{36}).*", "$1"));
        as(fixtures.session(grace)).accept(ContentType.HTML).post("/kube/" + issuance + "/revoke").then().statusCode(404);
        assertEquals(1, denied(grace, "kube.issuance.revoked", "not found or not the caller's"));
    }

    private static io.restassured.response.Response issue(HelperLogin helper, Cluster cluster, String level) {
        return helper.api("POST", "/api/v1/kube/issuances").contentType(ContentType.JSON)
                .body(Map.of("accountId", cluster.account.accountId, "cluster", cluster.name, "level", level)).post("/api/v1/kube/issuances");
    }

    private static long denied(User who, String action, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find("action = ?1 and actorName = ?2 and outcome = 'denied'",
                action, who.username).list().stream().filter(e -> reason.equals(e.details.get("reason"))).count());
    }
}
