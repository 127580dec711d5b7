package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code latch ls}: what you can reach and at which levels, as an aligned table (or the raw JSON).
 * A level under an active grant shows when the grant ends: {@code admin (granted until 14:05 UTC)};
 * one whose grant ended within the last day says how: {@code admin (requestable; grant revoked by bob
 * at 14:02 UTC: incident over)}.
 */
final class ListCommand {

    private static final String[] HEADER = {"ENVIRONMENT", "KIND", "NAME", "ACCOUNT", "LEVELS"};

    private final SignedInPortal portal;
    private final PrintStream out;
    private final boolean json;
    private final Clock clock;

    ListCommand(SignedInPortal portal, PrintStream out, boolean json, Clock clock) {
        this.portal = portal;
        this.out = out;
        this.json = json;
        this.clock = clock;
    }

    int run() {
        PortalClient.Answer answer = portal.get("/api/v1/access");
        if (answer.status() != 200) {
            throw SignedInPortal.refusal(answer);
        }
        if (json) {
            out.println(answer.text().strip());
            return 0;
        }
        out.print(table(answer.body(), clock.instant()));
        return 0;
    }

    static String table(Map<String, Object> body, Instant now) {
        return table(AccessTarget.parse(body), endings(body), now);
    }

    static String table(List<AccessTarget> targets, Instant now) {
        return table(targets, Map.of(), now);
    }

    /**
     * How a level's last grant ended, when the portal says so ({@code ended}, within a day), by
     * target and level: a revoked grant then reads "requestable; grant revoked by bob at …".
     */
    private static Map<String, String> endings(Map<String, Object> body) {
        Map<String, String> endings = new HashMap<>();
        if (body.get("targets") instanceof List<?> targets) {
            for (Object item : targets) {
                if (item instanceof Map<?, ?> target && target.get("levels") instanceof List<?> levels) {
                    for (Object l : levels) {
                        if (l instanceof Map<?, ?> level && level.get("ended") != null) {
                            endings.put(key(String.valueOf(target.get("kind")), String.valueOf(target.get("name")),
                                    String.valueOf(target.get("accountId")), String.valueOf(level.get("name"))), level.get("ended").toString());
                        }
                    }
                }
            }
        }
        return endings;
    }

    private static String key(String kind, String target, String accountId, String level) {
        return kind + '\n' + target + '\n' + accountId + '\n' + level;
    }

    private static String table(List<AccessTarget> targets, Map<String, String> endings, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (AccessTarget target : targets) {
            StringBuilder levels = new StringBuilder();
            for (AccessTarget.Level level : target.levels()) {
                levels.append(levels.length() == 0 ? "" : ", ").append(level.name()).append(" (").append(level.state());
                if ("granted".equals(level.state()) && level.until() != null) {
                    levels.append(" until ").append(utc(level.until(), now));
                }
                String ended = endings.get(key(String.valueOf(target.kind()), String.valueOf(target.name()),
                        String.valueOf(target.accountId()), String.valueOf(level.name())));
                if (ended != null) {
                    levels.append("; grant ").append(ended);
                }
                levels.append(')');
            }
            String account = target.account() == null ? "-" : target.account()
                    + (target.accountId() == null ? "" : " (" + target.accountId() + ")");
            rows.add(new String[] {orDash(target.environment()), orDash(target.kind()), orDash(target.name()), account,
                    levels.length() == 0 ? "-" : levels.toString()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /**
     * An RFC 3339 time as a person reads it: {@code 14:05 UTC} when it is on today's date (UTC),
     * else {@code 2026-12-01 14:05 UTC}; the text as given when it does not parse.
     */
    static String utc(String rfc3339, Instant now) {
        Instant instant;
        try {
            instant = Instant.parse(rfc3339);
        } catch (java.time.format.DateTimeParseException notRfc3339) {
            return rfc3339;
        }
        LocalDateTime at = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        String time = two(at.getHour()) + ":" + two(at.getMinute()) + " UTC";
        LocalDate date = at.toLocalDate();
        return date.equals(LocalDate.ofInstant(now, ZoneOffset.UTC)) ? time : date + " " + time;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
