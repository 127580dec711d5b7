package dev.latch.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit log's clock-driven side. */
@ConfigMapping(prefix = "latch.audit")
public interface AuditConfig {

    /**
     * How often a signed checkpoint of the chain's head is published ({@code off}: never; tests
     * publish by hand). Rows deleted from the end after a checkpoint are detected; rows written
     * since the last one are not, so this is the window an owner of the table could erase.
     */
    @WithDefault("5m")
    String checkpointEvery();
}
