package dev.latch.inventory;

import dev.latch.identity.Group;
import dev.latch.identity.GroupMembership;
import dev.latch.identity.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test set-up for inventory: accounts with one cluster, levels, groups, memberships, entitlements. */
public final class InventoryFixtures {

    private InventoryFixtures() {
    }

    public static Group group(String name) {
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

    public static void join(User user, Group group) {
        QuarkusTransaction.requiringNew().run(() -> {
            GroupMembership membership = new GroupMembership();
            membership.key = new GroupMembership.Key(group.id, user.id);
            membership.source = "local";
            membership.createdAt = Instant.now();
            membership.persist();
        });
    }

    public static Cluster cluster(String environment, String name) {
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

    public static AccessLevel level(Cluster cluster, String name) {
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

    /** A level of an account itself (AWS console and CLI), assuming role Latch<name> there. */
    public static AccessLevel accountLevel(AwsAccount account, String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AccessLevel level = new AccessLevel();
            level.id = UUID.randomUUID();
            level.account = AwsAccount.findById(account.id);
            level.name = name;
            level.roleArn = "arn:aws:iam::" + account.accountId + ":role/Latch" + name;
            level.eksNamespaces = List.of();
            level.kubernetesGroups = List.of();
            level.source = "ui";
            level.createdAt = Instant.now();
            level.updatedAt = level.createdAt;
            level.persist();
            return level;
        });
    }

    public static void entitle(Group group, AccessLevel level, String mode) {
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

    /** An approved request's grant (written as the access feature would), from {@code startsAt} to {@code endsAt}; returns its id. */
    public static java.util.UUID grant(dev.latch.identity.User user, AccessLevel level, Instant startsAt, Instant endsAt) {
        java.util.UUID id = java.util.UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            jakarta.persistence.EntityManager em = io.quarkus.hibernate.orm.panache.Panache.getEntityManager();
            java.util.UUID request = java.util.UUID.randomUUID();
            em.createNativeQuery("""
                    INSERT INTO access_request (id, requester_id, access_level_id, duration, reason, status, policy_json, created_at,
                    expires_at, decided_at) VALUES (?1, ?2, ?3, interval '1 hour', 'INC-1', 'approved', '{"steps":[]}', ?4, ?4, ?4)""")
                    .setParameter(1, request).setParameter(2, user.id).setParameter(3, level.id).setParameter(4, startsAt).executeUpdate();
            em.createNativeQuery("""
                    INSERT INTO access_grant (id, request_id, user_id, access_level_id, starts_at, ends_at, created_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)""").setParameter(1, id).setParameter(2, request).setParameter(3, user.id)
                    .setParameter(4, level.id).setParameter(5, startsAt).setParameter(6, endsAt).executeUpdate();
        });
        return id;
    }
}
