package dev.latch.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** AWS discovery of accounts (Organizations) and clusters (EKS). */
@ConfigMapping(prefix = "latch.discovery")
public interface DiscoveryConfig {

    /** Role assumed in each member account to list its clusters. */
    @WithDefault("OrganizationAccountAccessRole")
    String roleName();

    /** Regions searched for clusters; default: the portal's region. */
    Optional<List<String>> regions();

    /** Run discovery on a schedule (every 6 hours) and apply what it finds. */
    @WithDefault("false")
    boolean scheduled();
}
