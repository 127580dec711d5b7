package dev.latch.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Inventory as code. */
@ConfigMapping(prefix = "latch.inventory")
public interface InventoryConfig {

    /** The inventory YAML file (docs/inventory.md); loaded at start and on demand from the admin page. */
    Optional<Path> file();

    /** Apply the file at start (a file with errors or conflicts is reported and not applied). */
    @WithDefault("true")
    boolean applyAtStart();
}
