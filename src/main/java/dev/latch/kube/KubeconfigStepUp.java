package dev.latch.kube;

import dev.latch.identity.StepUpPurpose;
import dev.latch.inventory.AccessLevel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** The step-up page before a production download: "Download the kubeconfig for prod-main (admin)". */
@ApplicationScoped
class KubeconfigStepUp implements StepUpPurpose {

    @Override
    public Optional<String> describe(String path, Query query) {
        if (!"/kube/new".equals(path)) {
            return Optional.empty();
        }
        if ("true".equals(query.get("all"))) {
            return Optional.of("Download the kubeconfig for all your clusters");
        }
        UUID levelId = query.id("level");
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.cluster == null) {
            return Optional.empty();
        }
        return Optional.of("Download the kubeconfig for " + level.cluster.name + " (" + level.name + ")");
    }
}
