package dev.latch.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dev-mode demo. */
@ConfigMapping(prefix = "latch.demo")
public interface DemoConfig {

    /** Seed the demo inventory into an empty database at start (on in dev mode only). */
    @WithDefault("false")
    boolean seedInventory();

    /**
     * The first administrator (enrolled with the bootstrap link) joins the demo group {@code dev-team},
     * so My access shows accounts, clusters, standing and requestable levels at once (on in dev mode only).
     */
    @WithDefault("false")
    boolean firstAdminJoinsDemoGroups();
}
