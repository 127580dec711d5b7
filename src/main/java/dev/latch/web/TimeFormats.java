package dev.latch.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages show times: {@code {someInstant.display}} gives "2026-11-24 07:10 UTC". */
@TemplateExtension
public class TimeFormats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public static String display(Instant instant) {
        return instant == null ? "never" : DISPLAY.format(instant);
    }

    /**
     * A moment relative to now, as people say it: "14:02 UTC" on today's date (UTC), else
     * "2026-12-01 14:02 UTC".
     */
    public static String at(Instant instant, Instant now) {
        boolean today = instant.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate());
        return today ? TIME.format(instant) : DISPLAY.format(instant);
    }

    /** A length of time as people say it: "90 min", "4 h", "1 h 30 min", "7 days" (whole days from two on). */
    public static String length(Duration duration) {
        long hours = duration.toHours();
        long minutes = duration.toMinutesPart();
        if (hours >= 48 && hours % 24 == 0 && minutes == 0) {
            return hours / 24 + " days";
        }
        if (hours == 0) {
            return duration.toMinutes() + " min";
        }
        return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }

    /**
     * What is left until an end: "6 d 23 h", "3 h 12 min", "4 min", or {@code over} once it has
     * passed. Pages render it first; latch.js keeps it current.
     */
    public static String countdown(Duration left, String over) {
        if (left.isNegative() || left.isZero()) {
            return over;
        }
        long days = left.toDays();
        long hours = left.toHoursPart();
        long minutes = left.toMinutesPart();
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        return hours > 0 ? hours + " h " + minutes + " min" : Math.max(1, minutes) + " min";
    }

    /** ISO-8601 for {@code <time datetime>} and scripts. */
    public static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
