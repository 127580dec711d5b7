package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.latch.identity.Group;
import dev.latch.identity.GroupMembership;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        Group devs = group("dev-team-" + suffix);
        Group others = group("others-" + suffix);
        Cluster dev = cluster("dev" + suffix, "dev-main-" + suffix);
        Cluster staging = cluster("stg" + suffix, "staging-main-" + suffix);
        Cluster prod = cluster("prd" + suffix, "prod-main-" + suffix);
        Cluster secret = cluster("sec" + suffix, "secret-main-" + suffix);
        entitle(devs, level(dev, "edit"), "standing");
        entitle(devs, level(staging, "view"), "standing");
        entitle(devs, level(prod, "admin"), "requestable");
        entitle(others, level(secret, "admin"), "standing");

        User dana = fixtures.user("dana", false);
        join(dana, devs);
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
                .body(containsString("You have no access yet")).body(containsString("/install"));
    }

    static Group group(String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Group group = new Group();
            group.id = UUID.randomUUID();
            group.name = name;
            group.source = "local";
            group.createdAt = Instant.now();
            group.persist();
            return group;
        });
    }

    static void join(User user, Group group) {
        QuarkusTransaction.requiringNew().run(() -> {
            GroupMembership membership = new GroupMembership();
            membership.key = new GroupMembership.Key(group.id, user.id);
            membership.source = "local";
            membership.createdAt = Instant.now();
            membership.persist();
        });
    }

    static Cluster cluster(String environment, String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            AwsAccount account = new AwsAccount();
            account.id = UUID.randomUUID();
            account.accountId = String.format("%012d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
            account.name = "acct-" + name;
            account.environment = environment;
            account.defaultRegion = "eu-west-1";
            account.source = "ui";
            account.createdAt = now;
            account.updatedAt = now;
            account.persist();
            Cluster cluster = new Cluster();
            cluster.id = UUID.randomUUID();
            cluster.account = account;
            cluster.name = name;
            cluster.region = "eu-west-1";
            cluster.kind = "eks";
            cluster.endpoint = "https://" + name + ".example.com";
            cluster.caBundle = "";
            cluster.contextName = name;
            cluster.source = "ui";
            cluster.createdAt = now;
            cluster.updatedAt = now;
            cluster.persist();
            return cluster;
        });
    }

    static AccessLevel level(Cluster cluster, String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Cluster managed = Cluster.findById(cluster.id);
            AccessLevel level = new AccessLevel();
            level.id = UUID.randomUUID();
            level.cluster = managed;
            level.name = name;
            level.roleArn = "arn:aws:iam::" + managed.account.accountId + ":role/Latch" + name;
            level.eksNamespaces = List.of();
            level.kubernetesGroups = List.of();
            level.source = "ui";
            level.createdAt = Instant.now();
            level.updatedAt = level.createdAt;
            level.persist();
            return level;
        });
    }

    static void entitle(Group group, AccessLevel level, String mode) {
        QuarkusTransaction.requiringNew().run(() -> {
            Entitlement entitlement = new Entitlement();
            entitlement.id = UUID.randomUUID();
            entitlement.groupId = group.id;
            entitlement.accessLevelId = level.id;
            entitlement.mode = mode;
            entitlement.maxDuration = mode.equals("standing") ? Duration.ofDays(7) : Duration.ofHours(4);
            entitlement.source = "ui";
            entitlement.createdAt = Instant.now();
            entitlement.updatedAt = entitlement.createdAt;
            entitlement.persist();
        });
    }
}
