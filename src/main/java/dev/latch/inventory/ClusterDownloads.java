package dev.latch.inventory;

import dev.latch.identity.User;

/**
 * Whether a person could download a kubeconfig now: My access offers "All my clusters" only then.
 * The kube feature answers it (standing access or an active grant), so the rule stays in one
 * place and this package needs nothing from the features built on it.
 */
public interface ClusterDownloads {

    boolean anyFor(User user);
}
