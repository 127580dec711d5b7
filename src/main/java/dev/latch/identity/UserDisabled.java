package dev.latch.identity;

import java.util.UUID;

/**
 * Fired (synchronously, inside the disabling transaction) when a user is disabled. Every feature
 * that hands out access observes it and revokes what it handed out.
 */
public record UserDisabled(UUID userId, String username, String reason) {
}
