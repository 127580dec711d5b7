package dev.latch.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Browser session lifetimes. */
@ConfigMapping(prefix = "latch.session")
public interface SessionConfig {

    /** A session unused for this long ends. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** A session ends this long after sign-in, however busy. */
    @WithDefault("12h")
    Duration absoluteTimeout();

    /** How recent a key assertion must be for actions marked as needing step-up. */
    @WithDefault("5m")
    Duration stepUpFreshness();
}
