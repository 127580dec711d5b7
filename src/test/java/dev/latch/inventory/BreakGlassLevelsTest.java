package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which levels allow break-glass: set in the admin pages and the admin API, shown where levels are shown. */
@QuarkusTest
class BreakGlassLevelsTest {

    @Inject
    Fixtures fixtures;

    @Test
    void theAdminApiSetsAndShowsTheBreakGlassFlag() {
        String admin = fixtures.session(fixtures.user("admin", true));
        Cluster cluster = InventoryFixtures.cluster("prod", "bg-api-" + UUID.randomUUID().toString().substring(0, 6));
        String level = as(admin).contentType(ContentType.JSON)
                .body("{\"clusterId\":\"" + cluster.id + "\",\"name\":\"admin\",\"roleArn\":\"arn:aws:iam::111122223333:role/LatchAdmin\","
                        + "\"breakGlass\":true}")
                .post("/api/v1/admin/levels").then().statusCode(201).body("breakGlass", equalTo(true)).extract().path("id");
        assertTrue(breakGlass(UUID.fromString(level)));
        as(admin).contentType(ContentType.JSON)
                .body("{\"clusterId\":\"" + cluster.id + "\",\"name\":\"admin\",\"roleArn\":\"arn:aws:iam::111122223333:role/LatchAdmin\"}")
                .put("/api/v1/admin/levels/" + level).then().statusCode(200).body("breakGlass", equalTo(false));
        assertEquals(false, breakGlass(UUID.fromString(level)));
    }

    @Test
    void theAdminPagesSetTheBreakGlassFlag() {
        String admin = fixtures.session(fixtures.user("admin", true));
        Cluster cluster = InventoryFixtures.cluster("prod", "bg-ui-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel level = InventoryFixtures.level(cluster, "admin");
        as(admin).get("/admin/estate/levels/" + level.id).then().statusCode(200).body(containsString("aria-label=\"Allow break-glass\""));
        as(admin).contentType(ContentType.URLENC).formParam("id", level.id.toString()).formParam("owner", "cluster:" + cluster.id)
                .formParam("name", "admin").formParam("roleArn", "arn:aws:iam::111122223333:role/LatchAdmin").formParam("breakGlass", "on")
                .post("/admin/estate/levels").then().statusCode(303);
        assertTrue(breakGlass(level.id));
        as(admin).get("/admin/estate").then().statusCode(200).body(containsString("admin: AWS console and CLI (break-glass)"));
    }

    private static boolean breakGlass(UUID level) {
        return QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>findById(level).breakGlass);
    }
}
