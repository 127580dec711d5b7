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

    private DemoEstate() {
    }

    /** An AWS account; {@code cluster} is the name of its EKS cluster, or null. */
    public record Account(String name, String environment, String cluster) {
    }

    /** An access level and the IAM role that carries it. */
    public record Level(String name, String roleName, String eksAccessPolicyArn, String description) {
    }
}
