package dev.latch.access;

import dev.latch.identity.StepUpPurpose;
import dev.latch.inventory.AccessLevel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** The touch page before break-glass: "Activate break-glass on prod (…) / cluster prod-main / admin". */
@ApplicationScoped
class BreakGlassStepUp implements StepUpPurpose {

    @Override
    public Optional<String> describe(String path, Query query) {
        if (!"/break-glass".equals(path)) {
            return Optional.empty();
        }
        UUID levelId = query.id("level");
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        return level == null ? Optional.empty() : Optional.of("Activate break-glass on " + AccessRequests.levelName(level));
    }
}
