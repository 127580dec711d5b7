package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.latch.identity.User;
import dev.latch.identity.UserSession;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A level's role and break-glass mark decide what everyone entitled to it gets, so changing or
 * deleting a level is a sensitive admin action like changing an entitlement: a fresh key touch,
 * in the pages and in the admin API alike.
 */
@QuarkusTest
class LevelChangesNeedATouchTest {

    private static final String STRONGER_ROLE = "arn:aws:iam::111122223333:role/LatchAdmin";

    @Inject
    Fixtures fixtures;

    @Test
    void withoutAFreshTouchALevelCannotBeRepointedMarkedOrDeleted() {
        User admin = fixtures.user("lvl-admin", true);
        String stale = fixtures.session(admin);
        QuarkusTransaction.requiringNew().run(() -> UserSession.update("steppedUpAt = null where userId = ?1", admin.id));
        Cluster cluster = InventoryFixtures.cluster("prod", "lvl-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel level = InventoryFixtures.level(cluster, "view");
        String roleBefore = level.roleArn;

        as(stale).contentType(ContentType.URLENC).formParam("id", level.id.toString()).formParam("owner", "cluster:" + cluster.id)
                .formParam("name", "view").formParam("roleArn", STRONGER_ROLE).formParam("breakGlass", "on")
                .post("/admin/estate/levels").then().statusCode(428).body(containsString("Touch your security key to change an access level"));
        as(stale).contentType(ContentType.JSON).body(Map.of("clusterId", cluster.id.toString(), "name", "view", "roleArn", STRONGER_ROLE,
                "breakGlass", true)).put("/api/v1/admin/levels/" + level.id).then().statusCode(428);
        as(stale).post("/admin/estate/levels/" + level.id + "/delete").then().statusCode(428);
        as(stale).delete("/api/v1/admin/levels/" + level.id).then().statusCode(428);

        AccessLevel after = QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>findById(level.id));
        assertEquals(roleBefore, after.roleArn, "the role did not change");
        assertFalse(after.breakGlass, "the level was not marked");

        String fresh = fixtures.session(admin);
        as(fresh).contentType(ContentType.URLENC).formParam("id", level.id.toString()).formParam("owner", "cluster:" + cluster.id)
                .formParam("name", "view").formParam("roleArn", STRONGER_ROLE)
                .post("/admin/estate/levels").then().statusCode(303);
        assertEquals(STRONGER_ROLE, QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>findById(level.id).roleArn));
    }
}
