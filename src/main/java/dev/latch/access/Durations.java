package dev.latch.access;

import dev.latch.web.ProblemException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as people type them: {@code 90m}, {@code 2h}, {@code 1d}, or ISO 8601 ({@code PT2H}). */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase();
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase());
            }
            if (value.length() >= 2) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                switch (value.charAt(value.length() - 1)) {
                    case 'm': return Duration.ofMinutes(amount);
                    case 'h': return Duration.ofHours(amount);
                    case 'd': return Duration.ofDays(amount);
                    default: break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // falls through to the clear error
        }
        throw ProblemException.badRequest("duration-invalid", "Give the duration like 30m, 2h or 1d.");
    }
}
