package dev.latch.inventory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a person may use, from the groups they are in: plain rules, no framework.
 * <ul>
 *   <li>A disabled person may use nothing.</li>
 *   <li>Entitlements of groups the person is not in do not count.</li>
 *   <li>For one access level, standing access wins over requestable access.</li>
 *   <li>Overlapping entitlements of the same mode merge; the longest maximum duration counts.</li>
 * </ul>
 */
public final class EntitlementResolver {

    private EntitlementResolver() {
    }

    /** Standing: usable now. Requestable: usable after an approved request. */
    public enum Mode {
        STANDING, REQUESTABLE;

        public static Mode of(String db) {
            return valueOf(db.toUpperCase());
        }
    }

    /** One entitlement: a group may use a level in a mode, for at most a duration. */
    public record Entitlement(UUID groupId, UUID levelId, Mode mode, Duration maxDuration) {
    }

    /** The resolved access to one level. */
    public record Access(UUID levelId, Mode mode, Duration maxDuration) {
    }

    public static Map<UUID, Access> resolve(boolean active, Set<UUID> groups, Collection<Entitlement> entitlements) {
        Map<UUID, Access> access = new HashMap<>();
        if (!active) {
            return access;
        }
        for (Entitlement entitlement : entitlements) {
            if (!groups.contains(entitlement.groupId())) {
                continue;
            }
            access.merge(entitlement.levelId(), new Access(entitlement.levelId(), entitlement.mode(), entitlement.maxDuration()),
                    EntitlementResolver::stronger);
        }
        return access;
    }

    private static Access stronger(Access a, Access b) {
        if (a.mode() != b.mode()) {
            return a.mode() == Mode.STANDING ? a : b;
        }
        return a.maxDuration().compareTo(b.maxDuration()) >= 0 ? a : b;
    }
}
