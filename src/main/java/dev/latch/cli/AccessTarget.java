package dev.latch.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One thing {@code GET /api/v1/access} lists: a cluster or an AWS account, and the access levels
 * the person has on it. A level is usable when it is {@code standing} or {@code granted};
 * {@code requestable} needs an approved request first. A {@code granted} level carries {@code until}
 * (RFC 3339), when its grant ends.
 */
record AccessTarget(String kind, String name, String account, String accountId, String environment, String region,
        String contextName, List<Level> levels) {

    record Level(String name, String state, String until) {
        Level(String name, String state) {
            this(name, state, null);
        }

        boolean usable() {
            return "standing".equals(state) || "granted".equals(state);
        }
    }

    boolean isCluster() {
        return "cluster".equals(kind);
    }

    boolean isAccount() {
        return "account".equals(kind);
    }

    /** Usable levels in alphabetical order, so that setup names things the same way every run. */
    List<Level> usableLevels() {
        List<Level> usable = new ArrayList<>();
        for (Level level : levels) {
            if (level.usable()) {
                usable.add(level);
            }
        }
        usable.sort(Comparator.comparing(Level::name));
        return usable;
    }

    static List<AccessTarget> parse(Map<String, Object> body) {
        if (!(body.get("targets") instanceof List<?> targets)) {
            throw new CliException("The portal's access list has no targets; is the portal older than this helper?");
        }
        List<AccessTarget> parsed = new ArrayList<>();
        for (Object item : targets) {
            if (item instanceof Map<?, ?> target) {
                List<Level> levels = new ArrayList<>();
                if (target.get("levels") instanceof List<?> list) {
                    for (Object l : list) {
                        if (l instanceof Map<?, ?> level) {
                            levels.add(new Level(text(level, "name"), text(level, "state"), text(level, "until")));
                        }
                    }
                }
                parsed.add(new AccessTarget(text(target, "kind"), text(target, "name"), text(target, "account"),
                        text(target, "accountId"), text(target, "environment"), text(target, "region"),
                        text(target, "contextName"), levels));
            }
        }
        return parsed;
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }
}
