package dev.latch.identity;

import java.util.UUID;

/**
 * Fired (synchronously, inside the enrolment transaction) when the bootstrap link creates the first
 * administrator. The dev-mode demo observes it to give that person the demo's access.
 */
public record FirstAdministratorEnrolled(UUID userId, String username) {
}
