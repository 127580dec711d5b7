package dev.latch.broker;

import dev.latch.identity.StepUpPurpose;
import dev.latch.inventory.AccessLevel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** The step-up page before a production console sign-in: "Open the AWS console for prod (read-only)". */
@ApplicationScoped
class ConsoleStepUp implements StepUpPurpose {

    @Override
    public Optional<String> describe(String path, Query query) {
        if (!"/aws/console/confirm".equals(path)) {
            return Optional.empty();
        }
        UUID levelId = query.id("level");
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.account == null) {
            return Optional.empty();
        }
        return Optional.of("Open the AWS console for " + level.account.name + " (" + level.name + ")");
    }
}
