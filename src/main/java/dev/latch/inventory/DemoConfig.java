package dev.latch.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dev-mode demo. */
@ConfigMapping(prefix = "latch.demo")
public interface DemoConfig {

    /** Seed the demo inventory into an empty database at start (on in dev mode only). */
    @WithDefault("false")
    boolean seedInventory();
}
