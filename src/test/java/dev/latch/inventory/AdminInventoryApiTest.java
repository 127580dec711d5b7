package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.testing.Browserless;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API: CRUD with validation, admins only, CSRF for cookie callers, problem JSON, OpenAPI. */
@QuarkusTest
class AdminInventoryApiTest {

    @Inject
    Fixtures fixtures;

    @Test
    void anAdministratorManagesAccountsClustersAndLevels() {
        String admin = fixtures.session(fixtures.user("admin", true));
        String accountId = String.format("%012d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
        String suffix = accountId.substring(6);
        String account = as(admin).contentType(ContentType.JSON)
                .body("{\"accountId\":\"" + accountId + "\",\"name\":\"api-" + suffix + "\",\"environment\":\"qa\",\"region\":\"eu-west-1\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201).body("source", equalTo("ui")).extract().path("id");
        String cluster = as(admin).contentType(ContentType.JSON)
                .body("{\"accountId\":\"" + account + "\",\"name\":\"api-main-" + suffix + "\",\"region\":\"eu-west-1\","
                        + "\"endpoint\":\"https://api-" + suffix + ".example.com\",\"caBundle\":\"\"}")
                .post("/api/v1/admin/clusters").then().statusCode(201).body("contextName", equalTo("api-main-" + suffix))
                .extract().path("id");
        as(admin).contentType(ContentType.JSON)
                .body("{\"clusterId\":\"" + cluster + "\",\"name\":\"view\",\"roleArn\":\"arn:aws:iam::" + accountId + ":role/LatchView\","
                        + "\"eksAccessPolicyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\",\"eksAccessScope\":\"cluster\"}")
                .post("/api/v1/admin/levels").then().statusCode(201);
        as(admin).get("/api/v1/admin/clusters").then().statusCode(200).body("contextName", hasItem("api-main-" + suffix));

        as(admin).contentType(ContentType.JSON).body("{\"accountId\":\"12\",\"name\":\"x\",\"environment\":\"qa\",\"region\":\"eu-west-1\"}")
                .post("/api/v1/admin/accounts").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("accountId must be 12 digits"));
        as(admin).delete("/api/v1/admin/accounts/" + account).then().statusCode(409).body("detail", containsString("still has clusters"));
        as(admin).delete("/api/v1/admin/clusters/" + cluster).then().statusCode(204);
        as(admin).delete("/api/v1/admin/accounts/" + account).then().statusCode(204);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> AwsAccount.count("accountId", accountId)));
    }

    @Test
    void othersAreRefusedAndCookieWritesNeedTheCsrfHeader() {
        String member = fixtures.session(fixtures.user("member", false));
        as(member).get("/api/v1/admin/accounts").then().statusCode(403).contentType("application/problem+json");
        given().get("/api/v1/admin/accounts").then().statusCode(401).contentType("application/problem+json");
        String admin = fixtures.session(fixtures.user("admin", true));
        given().cookie("latch-session", admin).contentType(ContentType.JSON)
                .body("{\"accountId\":\"123456789099\",\"name\":\"csrf\",\"environment\":\"qa\",\"region\":\"eu-west-1\"}")
                .post("/api/v1/admin/accounts").then().statusCode(403).body("type", equalTo("https://latch.dev/problems/csrf-rejected"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> AwsAccount.count("accountId", "123456789099")));
        as(admin).get("/api/v1/admin/accounts/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theApiIsDescribedWithOpenApi() {
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/admin/accounts")).body(containsString("/api/v1/admin/clusters"));
    }
}
