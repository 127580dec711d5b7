package dev.latch.kube;

import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Names in a kubeconfig. The context is the cluster's {@code <env>-<purpose>}; when a file (or
 * {@code latch setup}) holds several levels of one cluster, each context gets the level as a
 * suffix so they do not overwrite each other. Cluster and user entries carry a {@code latch-}
 * prefix so merging never clobbers entries other tools wrote.
 */
record KubeNames(String context, String cluster, String user) {

    static KubeNames of(Cluster cluster, AccessLevel level, boolean severalLevelsOfCluster) {
        String context = severalLevelsOfCluster ? cluster.contextName + "-" + level.name : cluster.contextName;
        return new KubeNames(context, "latch-" + cluster.contextName, "latch-" + cluster.contextName + "-" + level.name);
    }

    static Set<UUID> clustersWithSeveralLevels(Collection<AccessLevel> levels) {
        Map<UUID, Long> counts = new HashMap<>();
        for (AccessLevel level : levels) {
            counts.merge(level.cluster.id, 1L, Long::sum);
        }
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** The default namespace of a namespace-scoped level (its first namespace), else none. */
    static String namespace(AccessLevel level) {
        return "namespace".equals(level.eksAccessScope) && !level.eksNamespaces.isEmpty() ? level.eksNamespaces.get(0) : null;
    }
}
