package dev.latch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contexts kubectl sees in a list of kubeconfig files (merged as kubectl merges them), the
 * current one, and which are Latch's: those whose user runs {@code latch kube token}, as
 * {@code latch setup} and the portal's kubeconfig download both write them (the command itself
 * may be any path, see {@code LATCH_COMMAND}).
 */
record KubeContexts(String current, List<String> names, List<String> latch) {

    static KubeContexts read(Kubectl kubectl, List<Path> files) {
        Map<String, Object> view = Json.parseObject(kubectl.read(files, "config", "view", "-o", "json"));
        Set<String> latchUsers = new HashSet<>();
        for (Map<?, ?> user : list(view.get("users"))) {
            if (runsLatch(user.get("user"))) {
                latchUsers.add(String.valueOf(user.get("name")));
            }
        }
        List<String> names = new ArrayList<>();
        List<String> latch = new ArrayList<>();
        for (Map<?, ?> context : list(view.get("contexts"))) {
            String name = String.valueOf(context.get("name"));
            names.add(name);
            if (context.get("context") instanceof Map<?, ?> body && latchUsers.contains(String.valueOf(body.get("user")))) {
                latch.add(name);
            }
        }
        Object current = view.get("current-context");
        return new KubeContexts(current instanceof String s ? s : "", names, latch);
    }

    /** The name meant by a typo: one edit or two away, or containing what was typed; empty when none is close. */
    static Optional<String> closest(String typed, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int distance = distance(typed, name);
            if (distance <= 2 || name.contains(typed)) {
                if (distance < bestDistance) {
                    best = name;
                    bestDistance = distance;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean runsLatch(Object user) {
        if (user instanceof Map<?, ?> body && body.get("exec") instanceof Map<?, ?> exec && exec.get("args") instanceof List<?> args) {
            return args.size() >= 2 && "kube".equals(args.get(0)) && "token".equals(args.get(1));
        }
        return false;
    }

    private static List<Map<?, ?>> list(Object value) {
        List<Map<?, ?>> entries = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> map) {
                    entries.add(map);
                }
            }
        }
        return entries;
    }

    /** Levenshtein distance; names are short. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(substitute, Math.min(previous[j], row[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = row;
            row = swap;
        }
        return previous[b.length()];
    }
}
