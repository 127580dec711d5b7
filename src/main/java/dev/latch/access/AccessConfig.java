package dev.latch.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Just-in-time access: how long undecided requests wait, break-glass, warnings. */
@ConfigMapping(prefix = "latch.access")
public interface AccessConfig {

    /** Undecided requests expire after this, apart from the duration they ask for. */
    @WithDefault("24h")
    Duration requestTtl();

    /** Members of this group may activate break-glass grants without approval. None: no break-glass. */
    Optional<String> breakGlassGroup();

    /** The longest break-glass grant. */
    @WithDefault("1h")
    Duration breakGlassMaxDuration();

    /** When the "your grant ends soon" warning goes out. */
    @WithDefault("15m")
    Duration warnBeforeEnd();

    /** How often grants are ended, warnings sent and undecided requests expired ({@code off}: never; tests run it by hand). */
    @WithDefault("20s")
    String jobEvery();

    /** Furthest a request may ask its grant to start in the future. */
    @WithDefault("7d")
    Duration maxStartDelay();
}
