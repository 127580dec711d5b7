package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.identity.Group;
import dev.latch.identity.GroupMembership;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Groups and entitlements administration: admins only, validated, file-owned objects read-only, audited. */
@QuarkusTest
class AdminAccessTest {

    @Inject
    Fixtures fixtures;

    @Test
    void onlyAdministratorsReachTheAccessPagesAndActions() {
        String member = fixtures.session(fixtures.user("member", false));
        Group group = InventoryFixtures.group("victims-" + UUID.randomUUID().toString().substring(0, 6));
        as(member).accept(ContentType.HTML).get("/admin/access").then().statusCode(403);
        as(member).accept(ContentType.HTML).get("/admin/access/groups/" + group.id).then().statusCode(403);
        as(member).accept(ContentType.HTML).formParam("username", "member").post("/admin/access/groups/" + group.id + "/members")
                .then().statusCode(403);
        as(member).accept(ContentType.HTML).post("/admin/access/groups/" + group.id + "/delete").then().statusCode(403);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Group.count("id", group.id)));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> GroupMembership.count("key.groupId", group.id)));
    }

    @Test
    void anAdminGivesAGroupAccessAndItsMembersSeeIt() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String admin = fixtures.session(fixtures.user("admin", true));
        Cluster cluster = InventoryFixtures.cluster("qa" + suffix, "qa-main-" + suffix);
        AccessLevel view = InventoryFixtures.level(cluster, "view");
        as(admin).formParam("name", "qa-" + suffix).post("/admin/access/groups").then().statusCode(303);
        Group group = QuarkusTransaction.requiringNew().call(() -> Group.<Group>find("name", "qa-" + suffix).firstResult());
        User tester = fixtures.user("tester", false);
        as(admin).formParam("username", tester.username).post("/admin/access/groups/" + group.id + "/members").then().statusCode(303);
        as(admin).formParam("group", group.id).formParam("level", view.id).formParam("mode", "standing").formParam("maxHours", 168)
                .formParam("approvals", 1).post("/admin/access/entitlements").then().statusCode(303);
        as(fixtures.session(tester)).get("/").then().statusCode(200).body(containsString("qa-main-" + suffix));
        as(admin).get("/admin/access").then().statusCode(200).body(containsString("qa-" + suffix));
    }

    @Test
    void badEntitlementsAreRefusedWithAClearMessage() {
        String admin = fixtures.session(fixtures.user("admin", true));
        Group group = InventoryFixtures.group("req-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("pr" + group.name.substring(4), "pr-main-" + group.name.substring(4)), "admin");
        as(admin).accept(ContentType.HTML).formParam("group", group.id).formParam("level", level.id).formParam("mode", "requestable")
                .formParam("maxHours", 2).formParam("approvals", 1).post("/admin/access/entitlements").then().statusCode(400)
                .body(containsString("needs someone to approve"));
        as(admin).accept(ContentType.HTML).formParam("group", group.id).formParam("level", level.id).formParam("mode", "forever")
                .formParam("maxHours", 2).formParam("approvals", 1).post("/admin/access/entitlements").then().statusCode(400);
        as(admin).accept(ContentType.HTML).formParam("name", "Not A Name!").post("/admin/access/groups").then().statusCode(400);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Entitlement.count("groupId", group.id)));
    }

    @Test
    void anAdminEditsAnEntitlementsPolicyAndSearches() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String admin = fixtures.session(fixtures.user("admin", true));
        Group requesters = InventoryFixtures.group("req-" + s);
        Group approvers = InventoryFixtures.group("apr-" + s);
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("ed" + s, "ed-main-" + s), "admin");
        as(admin).formParam("group", requesters.id).formParam("level", level.id).formParam("mode", "requestable")
                .formParam("maxHours", 4).formParam("approvals", 1).formParam("manager", "on").post("/admin/access/entitlements")
                .then().statusCode(303);
        Entitlement entitlement = QuarkusTransaction.requiringNew().call(() -> Entitlement.<Entitlement>find("groupId", requesters.id).firstResult());
        as(admin).get("/admin/access/entitlements/" + entitlement.id).then().statusCode(200).body(containsString("ed-main-" + s));
        as(admin).formParam("maxHours", 2).formParam("manager", "on").formParam("approverGroup", approvers.id.toString())
                .formParam("approvals", 2).post("/admin/access/entitlements/" + entitlement.id).then().statusCode(303);
        as(admin).get("/admin/access?q=ed-main-" + s).then().statusCode(200)
                .body(containsString("the manager and 2 of apr-" + s)).body(containsString("2 h"))
                .body(org.hamcrest.Matchers.not(containsString("Group victims")));
        as(admin).accept(ContentType.HTML).formParam("maxHours", 2).formParam("approvals", 1)
                .post("/admin/access/entitlements/" + entitlement.id).then().statusCode(400).body(containsString("needs someone to approve"));
    }

    @Test
    void fileOwnedEntitlementsAreReadOnlyHere() {
        String admin = fixtures.session(fixtures.user("admin", true));
        Group group = InventoryFixtures.group("file-" + UUID.randomUUID().toString().substring(0, 6));
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("fl" + group.name.substring(5), "fl-main-" + group.name.substring(5)), "view");
        InventoryFixtures.entitle(group, level, "standing");
        Entitlement entitlement = QuarkusTransaction.requiringNew().call(() -> {
            Entitlement e = Entitlement.<Entitlement>find("groupId", group.id).firstResult();
            e.source = "file";
            return e;
        });
        as(admin).accept(ContentType.HTML).post("/admin/access/entitlements/" + entitlement.id + "/delete").then().statusCode(409)
                .body(containsString("change it there"));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Entitlement.count("id", entitlement.id)));
    }
}
