package dev.latch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.inventory.EntitlementResolver.Entitlement;
import dev.latch.inventory.EntitlementResolver.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EntitlementResolverTest {

    private static final UUID DEVS = UUID.randomUUID();
    private static final UUID PLATFORM = UUID.randomUUID();
    private static final UUID OTHERS = UUID.randomUUID();
    private static final UUID STAGING_EDIT = UUID.randomUUID();
    private static final UUID PROD_ADMIN = UUID.randomUUID();

    @Test
    void onlyTheGroupsOfThePersonCount() {
        Map<UUID, EntitlementResolver.Access> access = EntitlementResolver.resolve(true, Set.of(DEVS), List.of(
                new Entitlement(DEVS, STAGING_EDIT, Mode.STANDING, Duration.ofDays(7)),
                new Entitlement(OTHERS, PROD_ADMIN, Mode.STANDING, Duration.ofDays(7))));
        assertEquals(Set.of(STAGING_EDIT), access.keySet());
    }

    @Test
    void standingWinsOverRequestableForTheSameLevel() {
        Map<UUID, EntitlementResolver.Access> access = EntitlementResolver.resolve(true, Set.of(DEVS, PLATFORM), List.of(
                new Entitlement(DEVS, PROD_ADMIN, Mode.REQUESTABLE, Duration.ofHours(8)),
                new Entitlement(PLATFORM, PROD_ADMIN, Mode.STANDING, Duration.ofDays(1))));
        assertEquals(Mode.STANDING, access.get(PROD_ADMIN).mode());
        assertEquals(Duration.ofDays(1), access.get(PROD_ADMIN).maxDuration());
    }

    @Test
    void overlappingRequestableEntitlementsKeepTheLongestDuration() {
        Map<UUID, EntitlementResolver.Access> access = EntitlementResolver.resolve(true, Set.of(DEVS, PLATFORM), List.of(
                new Entitlement(DEVS, PROD_ADMIN, Mode.REQUESTABLE, Duration.ofHours(2)),
                new Entitlement(PLATFORM, PROD_ADMIN, Mode.REQUESTABLE, Duration.ofHours(8))));
        assertEquals(new EntitlementResolver.Access(PROD_ADMIN, Mode.REQUESTABLE, Duration.ofHours(8)), access.get(PROD_ADMIN));
    }

    @Test
    void aDisabledPersonMayUseNothing() {
        assertTrue(EntitlementResolver.resolve(false, Set.of(DEVS), List.of(
                new Entitlement(DEVS, STAGING_EDIT, Mode.STANDING, Duration.ofDays(7)))).isEmpty());
    }
}
