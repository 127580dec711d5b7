package dev.latch.devstack;

import java.util.List;

/**
 * The demo estate shared by the moto seed and the demo inventory: an organisation with an
 * identity account and three workload accounts, one EKS cluster each, three access levels.
 */
public final class DemoEstate {

    /** Region of every demo account and cluster. */
    public static final String REGION = "eu-west-1";

    /** IAM role name per access level; the same in every workload account. */
    public static final List<Level> LEVELS = List.of(
            new Level("view", "LatchView", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                    "Read-only access to most objects"),
            new Level("edit", "LatchEdit", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                    "Create, change and delete most namespaced objects"),
            new Level("admin", "LatchAdmin", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                    "Full control of the cluster"));

    public static final List<Account> ACCOUNTS = List.of(
            new Account("identity", "identity", null),
            new Account("dev", "dev", "dev-main"),
            new Account("staging", "staging", "staging-main"),
            new Account("production", "prod", "prod-main"));

    /** Demo groups: developers, the platform team, and production approvers. */
    public static final List<String> GROUPS = List.of("dev-team", "platform", "prod-approvers");

    /** The groups the first administrator joins in dev mode: standing access to dev and staging, production on request. */
    public static final List<String> FIRST_ADMINISTRATOR_GROUPS = List.of("dev-team");

    /**
     * Demo entitlements: group, environment, level, mode. Developers use dev and staging and may
     * request production; the platform team also administers dev and staging.
     */
    public static final List<Grant> GRANTS = List.of(
            new Grant("dev-team", "dev", "view", "standing"), new Grant("dev-team", "dev", "edit", "standing"),
            new Grant("dev-team", "staging", "view", "standing"), new Grant("dev-team", "staging", "edit", "standing"),
            new Grant("dev-team", "prod", "view", "requestable"), new Grant("dev-team", "prod", "admin", "requestable"),
            new Grant("platform", "dev", "admin", "standing"), new Grant("platform", "staging", "admin", "standing"),
            new Grant("platform", "prod", "view", "standing"), new Grant("platform", "prod", "admin", "requestable"));

    private DemoEstate() {
    }

    /** A demo entitlement. */
    public record Grant(String group, String environment, String level, String mode) {
    }

    /** An AWS account; {@code cluster} is the name of its EKS cluster, or null. */
    public record Account(String name, String environment, String cluster) {
    }

    /** An access level and the IAM role that carries it. */
    public record Level(String name, String roleName, String eksAccessPolicyArn, String description) {
    }
}
