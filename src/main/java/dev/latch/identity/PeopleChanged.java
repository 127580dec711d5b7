package dev.latch.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Fired (synchronously, inside the changing transaction) when something that decides who may
 * approve changes for these people: their manager, a group membership, or their status. Open
 * requests are re-checked against it, so a request nobody can approve any more is not left to
 * expire in silence.
 */
public record PeopleChanged(Set<UUID> userIds, String cause) {

    public static PeopleChanged of(UUID userId, String cause) {
        return new PeopleChanged(Set.of(userId), cause);
    }
}
