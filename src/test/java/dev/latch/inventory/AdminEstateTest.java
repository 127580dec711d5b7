package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The estate pages: an admin adds, finds, edits and deletes accounts, clusters and levels; others cannot. */
@QuarkusTest
class AdminEstateTest {

    @Inject
    Fixtures fixtures;

    @Test
    void anAdministratorManagesTheEstateInTheBrowserPages() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String accountId = String.format("%012d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
        String s = accountId.substring(7);
        as(admin).formParam("accountId", accountId).formParam("name", "web-" + s).formParam("environment", "web")
                .formParam("region", "eu-west-1").post("/admin/estate/accounts").then().statusCode(303);
        AwsAccount account = QuarkusTransaction.requiringNew().call(() -> AwsAccount.<AwsAccount>find("accountId", accountId).firstResult());
        as(admin).formParam("account", account.id).formParam("name", "web-main-" + s).formParam("region", "eu-west-1")
                .formParam("kind", "eks").formParam("endpoint", "https://web-" + s + ".example.com").formParam("caBundle", "")
                .post("/admin/estate/clusters").then().statusCode(303);
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> Cluster.<Cluster>find("contextName", "web-main-" + s).firstResult());
        as(admin).formParam("owner", "cluster:" + cluster.id).formParam("name", "view")
                .formParam("roleArn", "arn:aws:iam::" + accountId + ":role/LatchView")
                .formParam("eksAccessPolicyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")
                .formParam("eksAccessScope", "namespace").formParam("namespaces", "web, api")
                .post("/admin/estate/levels").then().statusCode(303);

        as(admin).header("HX-Request", "true").get("/admin/estate?q=web-main-" + s).then().statusCode(200)
                .body(containsString("web-main-" + s)).body(containsString("AmazonEKSViewPolicy in [web, api]"));
        as(admin).get("/admin/estate/clusters/" + cluster.id).then().statusCode(200).body(containsString("Edit cluster web-main-" + s));
        AccessLevel level = QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>find("cluster.id", cluster.id).firstResult());
        as(admin).get("/admin/estate/levels/" + level.id).then().statusCode(200).body(containsString("Edit level view"))
                .body(containsString("web, api"));
        as(admin).formParam("id", level.id.toString()).formParam("owner", "cluster:" + cluster.id).formParam("name", "view")
                .formParam("roleArn", "arn:aws:iam::" + accountId + ":role/LatchReader").formParam("eksAccessScope", "cluster")
                .post("/admin/estate/levels").then().statusCode(303);
        assertEquals("arn:aws:iam::" + accountId + ":role/LatchReader",
                QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>findById(level.id).roleArn));
        as(admin).formParam("id", account.id).formParam("accountId", accountId).formParam("name", "web-" + s)
                .formParam("environment", "webshop").formParam("region", "eu-west-1").post("/admin/estate/accounts").then().statusCode(303);
        assertEquals("webshop", QuarkusTransaction.requiringNew().call(() -> AwsAccount.<AwsAccount>findById(account.id).environment));

        as(admin).accept(ContentType.HTML).formParam("accountId", "42").formParam("name", "x").formParam("environment", "x")
                .formParam("region", "eu-west-1").post("/admin/estate/accounts").then().statusCode(400)
                .body(containsString("accountId must be 12 digits"));

        as(admin).post("/admin/estate/clusters/" + cluster.id + "/delete").then().statusCode(303);
        as(admin).post("/admin/estate/accounts/" + account.id + "/delete").then().statusCode(303);
        as(admin).get("/admin/estate").then().statusCode(200).body(not(containsString("web-main-" + s)));
    }

    @Test
    void othersCannotSeeOrChangeTheEstate() {
        String member = fixtures.session(fixtures.user("member", false));
        Cluster cluster = InventoryFixtures.cluster("hidden" + UUID.randomUUID().toString().substring(0, 4), "hidden-main-x");
        as(member).accept(ContentType.HTML).get("/admin/estate").then().statusCode(403);
        as(member).accept(ContentType.HTML).get("/admin/estate/clusters/" + cluster.id).then().statusCode(403);
        as(member).accept(ContentType.HTML).post("/admin/estate/clusters/" + cluster.id + "/delete").then().statusCode(403);
        as(member).accept(ContentType.HTML).get("/admin/inventory").then().statusCode(403);
        as(member).accept(ContentType.HTML).get("/admin/discovery").then().statusCode(403);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Cluster.count("id", cluster.id)));
    }
}
