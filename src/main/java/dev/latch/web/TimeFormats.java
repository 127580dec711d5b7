package dev.latch.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages show times: {@code {someInstant.display}} gives "2026-11-24 07:10 UTC". */
@TemplateExtension
public class TimeFormats {

    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public static String display(Instant instant) {
        return instant == null ? "never" : DISPLAY.format(instant);
    }

    /** ISO-8601 for {@code <time datetime>} and scripts. */
    public static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
