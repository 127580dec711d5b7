package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.latch.identity.Group;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** "My access": a person sees exactly what their groups entitle them to, nothing else. */
@QuarkusTest
class DashboardTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aDeveloperSeesDevAndStagingButNotProductionExceptAsRequestable() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Group devs = InventoryFixtures.group("dev-team-" + suffix);
        Group others = InventoryFixtures.group("others-" + suffix);
        Cluster dev = InventoryFixtures.cluster("dev" + suffix, "dev-main-" + suffix);
        Cluster staging = InventoryFixtures.cluster("stg" + suffix, "staging-main-" + suffix);
        Cluster prod = InventoryFixtures.cluster("prd" + suffix, "prod-main-" + suffix);
        Cluster secret = InventoryFixtures.cluster("sec" + suffix, "secret-main-" + suffix);
        InventoryFixtures.entitle(devs, InventoryFixtures.level(dev, "edit"), "standing");
        InventoryFixtures.entitle(devs, InventoryFixtures.level(staging, "view"), "standing");
        InventoryFixtures.entitle(devs, InventoryFixtures.level(prod, "admin"), "requestable");
        InventoryFixtures.entitle(others, InventoryFixtures.level(secret, "admin"), "standing");

        User dana = fixtures.user("dana", false);
        InventoryFixtures.join(dana, devs);
        String session = fixtures.session(dana);
        as(session).get("/").then().statusCode(200)
                .body(containsString("My access"))
                .body(containsString("dev-main-" + suffix)).body(containsString("staging-main-" + suffix))
                .body(containsString("prod-main-" + suffix + " admin requestable"))
                .body(containsString("on request, up to 4 h"))
                .body(not(containsString("secret-main-" + suffix)));

        as(session).header("HX-Request", "true").get("/?q=staging-main-" + suffix).then().statusCode(200)
                .body(containsString("staging-main-" + suffix)).body(not(containsString("dev-main-" + suffix)))
                .body(not(containsString("<html")));
        as(session).header("HX-Request", "true").get("/?q=secret-main-" + suffix).then().statusCode(200)
                .body(containsString("Nothing matches")).body(not(containsString("secret-main-" + suffix + "</strong>")));
    }

    @Test
    void someoneInNoGroupIsToldWhatToDo() {
        String session = fixtures.session(fixtures.user("newcomer", false));
        as(session).get("/").then().statusCode(200)
                .body(containsString("You have no access yet")).body(containsString("/install"))
                .body(containsString("Ask your Latch administrator"));
    }

    @Test
    void anAdministratorWithNoAccessIsPointedAtAccessAndEstateNotAtThemselves() {
        String session = fixtures.session(fixtures.user("first-admin", true));
        as(session).get("/").then().statusCode(200)
                .body(containsString("You have no access yet"))
                .body(containsString("href=\"/admin/access\"")).body(containsString("href=\"/admin/estate\""))
                .body(not(containsString("Ask your Latch administrator")));
    }

    @Test
    void allMyClustersIsOfferedOnlyWhenThereIsAClusterToDownload() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Group accountsOnly = InventoryFixtures.group("accounts-only-" + suffix);
        Cluster prod = InventoryFixtures.cluster("prd" + suffix, "prod-main-" + suffix);
        InventoryFixtures.entitle(accountsOnly, InventoryFixtures.level(prod, "admin"), "requestable");
        User erin = fixtures.user("erin", false);
        InventoryFixtures.join(erin, accountsOnly);
        String session = fixtures.session(erin);
        as(session).get("/").then().statusCode(200).body(containsString("prod-main-" + suffix))
                .body(not(containsString("Download kubeconfig for all my clusters")));
        as(fixtures.session(fixtures.user("nobody", false))).get("/").then().statusCode(200)
                .body(not(containsString("Download kubeconfig for all my clusters")));

        Group devs = InventoryFixtures.group("devs-" + suffix);
        InventoryFixtures.entitle(devs, InventoryFixtures.level(InventoryFixtures.cluster("dev" + suffix, "dev-main-" + suffix), "edit"),
                "standing");
        InventoryFixtures.join(erin, devs);
        as(session).get("/").then().statusCode(200).body(containsString("Download kubeconfig for all my clusters"));
        // a filter that hides the cluster does not take the button away: it is about all of them
        as(session).get("/?q=prod-main-" + suffix).then().statusCode(200).body(containsString("Download kubeconfig for all my clusters"));
    }
}
