package dev.latch.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of a program a test starts (the helper, kubectl, the AWS CLI, sh, moto), made
 * independent of how the build was started. A developer's shell or a CI runner may carry
 * {@code AWS_PROFILE}, {@code KUBECONFIG}, {@code LATCH_*}, proxies, {@code JAVA_TOOL_OPTIONS}
 * (every JVM then prints "Picked up …" on stderr), a locale or a time zone; none of it may change
 * what a test sees. PATH (and what tool managers need to resolve it) is kept, so the developer's
 * kubectl, aws and moto_server are found. The home folder is the test's own.
 */
public final class ChildEnvironment {

    private static final List<String> DROPPED_PREFIXES = List.of("LATCH_", "AWS_", "KUBE", "XDG_", "LC_", "QUARKUS_");
    private static final List<String> DROPPED = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "LANG", "LANGUAGE",
            "TZ", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "SSH_AUTH_SOCK", "TERM");

    private ChildEnvironment() {
    }

    /** Removes what the caller's environment would add, then sets a fixed locale, UTC, and {@code home} as HOME. */
    public static ProcessBuilder hermetic(ProcessBuilder builder, Path home) {
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(ChildEnvironment::fromTheCaller);
        env.put("LANG", "C.UTF-8");
        env.put("TZ", "UTC");
        env.put("HOME", home.toString());
        return builder;
    }

    private static boolean fromTheCaller(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.endsWith("_PROXY") || DROPPED.contains(upper) || DROPPED_PREFIXES.stream().anyMatch(upper::startsWith);
    }
}
