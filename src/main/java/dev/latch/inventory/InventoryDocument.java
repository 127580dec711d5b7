package dev.latch.inventory;

import java.time.Duration;
import java.util.List;

/** The inventory file, parsed: every object keeps the line it starts on, for error messages. */
public record InventoryDocument(List<AccountSpec> accounts, List<GroupSpec> groups, List<EntitlementSpec> entitlements) {

    public record AccountSpec(int line, String id, String name, String environment, String region, List<LevelSpec> levels,
            List<ClusterSpec> clusters) {
    }

    public record ClusterSpec(int line, String name, String region, String kind, String endpoint, String caBundle, String context,
            List<LevelSpec> levels) {
    }

    /** {@code breakGlass}: the level allows break-glass (absent: false). */
    public record LevelSpec(int line, String name, String role, String description, String eksAccessPolicy, String scope,
            List<String> namespaces, List<String> kubernetesGroups, boolean breakGlass) {
    }

    public record GroupSpec(int line, String name, String description) {
    }

    public record EntitlementSpec(int line, String group, String target, String level, String mode, Duration maxDuration,
            List<StepSpec> approvals) {
    }

    public record StepSpec(int line, boolean manager, String group, int count) {
    }
}
