package dev.latch.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line split into command words ({@code kube token}), options with a value
 * ({@code --issuance ID} or {@code --issuance=ID}) and flags ({@code --print}). Options may come
 * anywhere; each command then says which ones it accepts ({@link #allowOnly}), so a typo is an
 * error instead of being ignored.
 */
final class Arguments {

    private static final Set<String> WITH_VALUE = Set.of("--portal", "--issuance", "--account", "--level", "--kubeconfig", "--use",
            "--aws-config", "--for", "--reason", "--ticket", "--start");

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    static Arguments parse(String[] args) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (WITH_VALUE.contains(name)) {
                String value;
                if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new CliException(name + " needs a value.", 2);
                }
                parsed.values.put(name, value);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                parsed.flags.add(arg);
            } else {
                parsed.words.add(arg);
            }
        }
        return parsed;
    }

    List<String> words() {
        return words;
    }

    boolean helpWanted() {
        return flags.contains("--help") || flags.contains("-h");
    }

    String value(String name) {
        return values.get(name);
    }

    String required(String name, String command) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new CliException("`latch " + command + "` needs " + name + ". See `latch help`.", 2);
        }
        return value;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** Refuses options the command does not take ({@code --portal} is global) and extra words. */
    void allowOnly(String command, int commandWords, String... options) {
        if (words.size() > commandWords) {
            throw new CliException("Unexpected argument: " + words.get(commandWords) + ". See `latch help`.", 2);
        }
        Set<String> allowed = new HashSet<>(List.of(options));
        allowed.add("--portal");
        List<String> used = new ArrayList<>(values.keySet());
        used.addAll(flags);
        for (String option : used) {
            if (!allowed.contains(option)) {
                throw new CliException("`latch " + command + "` has no option " + option + ". See `latch help`.", 2);
            }
        }
    }
}
