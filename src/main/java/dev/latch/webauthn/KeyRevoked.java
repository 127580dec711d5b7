package dev.latch.webauthn;

import java.util.UUID;

/**
 * A key was revoked, in the transaction that revoked it. Identity observes it to end the sessions
 * the key signed in (all but {@code keptSession}, the one that removed it, when the owner did).
 */
public record KeyRevoked(UUID keyId, UUID ownerId, UUID keptSession, String reason) {
}
