package dev.latch.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * One short-lived credential (an ExecCredential, a credential_process answer) kept in a 0600 file
 * until shortly before it expires. kubectl and the AWS CLI start the helper for nearly every
 * request; the cache makes those starts local, and its lock makes a burst of them cost one portal
 * call: the first process fetches, the others wait on the lock and then find the fresh file.
 */
final class CredentialCache {

    private final StateStore state;
    private final Path file;
    private final Path lockFile;
    private final String[] expiryField;
    private final Duration margin;
    private final Clock clock;

    /** @param expiryField the path to the RFC 3339 expiry in the JSON, e.g. {@code status.expirationTimestamp} */
    CredentialCache(StateStore state, String name, String expiryField, Duration margin, Clock clock) {
        this.state = state;
        this.file = state.cacheFile(name);
        this.lockFile = state.lockFile(name);
        this.expiryField = expiryField.split("\\.");
        this.margin = margin;
        this.clock = clock;
    }

    /** The cached credential, else a new one from {@code path} on the portal (then cached). */
    String serve(SignedInPortal portal, String path) {
        try (FileLocks.Held lock = FileLocks.acquire(lockFile)) {
            Optional<String> cached = fresh();
            if (cached.isPresent()) {
                return cached.get();
            }
            PortalClient.Answer answer = portal.get(path);
            if (answer.status() == 200) {
                if (expiry(answer.text()).isPresent()) {
                    state.writeText(file, answer.text());
                }
                return answer.text();
            }
            // a refusal (expired, revoked, not found, access ended) outlives any cached copy
            state.delete(file);
            throw SignedInPortal.refusal(answer);
        }
    }

    Optional<String> fresh() {
        Optional<String> text = state.readText(file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> expiry = expiry(text.get());
        return expiry.isPresent() && clock.instant().plus(margin).isBefore(expiry.get()) ? text : Optional.empty();
    }

    private Optional<Instant> expiry(String json) {
        try {
            Object node = Json.parse(json);
            for (String key : expiryField) {
                node = node instanceof Map<?, ?> map ? map.get(key) : null;
            }
            return node == null ? Optional.empty() : Optional.of(parseTime(node.toString()));
        } catch (RuntimeException damaged) {
            return Optional.empty(); // a damaged file is only a cache miss
        }
    }

    /**
     * RFC 3339 times ({@code 2026-11-29T08:00:00Z}, fractions and offsets such as {@code +01:00}).
     * The usual shape is read by hand: java.time's formatters cost a cache hit ~20 ms of start-up.
     */
    static Instant parseTime(String text) {
        int length = text.length();
        if (length == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
            try {
                long day = LocalDate.of(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(5, 7)),
                        Integer.parseInt(text.substring(8, 10))).toEpochDay();
                return Instant.ofEpochSecond(day * 86400 + Integer.parseInt(text.substring(11, 13)) * 3600L
                        + Integer.parseInt(text.substring(14, 16)) * 60L + Integer.parseInt(text.substring(17, 19)));
            } catch (RuntimeException unusual) {
                // fall back to the full parser below
            }
        }
        return OffsetDateTime.parse(text).toInstant();
    }
}
