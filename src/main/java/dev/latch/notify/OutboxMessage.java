package dev.latch.notify;

import java.util.UUID;

/** One claimed outbox row, as a channel needs it. {@code attempts} counts the attempts before this one. */
record OutboxMessage(UUID id, String eventKey, String channel, String recipient, String subject, String body,
        String payload, int attempts) {
}
