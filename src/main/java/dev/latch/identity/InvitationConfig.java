package dev.latch.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Enrolment links. */
@ConfigMapping(prefix = "latch.invitation")
public interface InvitationConfig {

    /** How long an admin's invitation link works. */
    @WithDefault("24h")
    Duration lifetime();

    /** How long the first administrator's bootstrap link works. */
    @WithDefault("1h")
    Duration bootstrapLifetime();
}
