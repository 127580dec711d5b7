package dev.latch.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Key-recovery links for people who approve requests. */
@ConfigMapping(prefix = "latch.recovery")
public interface RecoveryConfig {

    /**
     * A recovery link lets whoever holds it register a key as that person, so for an approver it
     * could turn one administrator into a second approver. {@code second-admin}: another
     * administrator must approve, and only they see the link; {@code alert}: the link is issued at
     * once and every administrator and the person are told at the same moment.
     */
    @WithDefault("second-admin")
    String approverRecovery();
}
