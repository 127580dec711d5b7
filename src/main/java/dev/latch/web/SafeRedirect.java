package dev.latch.web;

/** Keeps "come back here afterwards" parameters on this portal: only local absolute paths pass. */
public final class SafeRedirect {

    private SafeRedirect() {
    }

    /** {@code next} if it is a path on this site, else {@code fallback}. */
    public static String localPath(String next, String fallback) {
        if (next == null || next.isEmpty() || next.length() > 1000 || !next.startsWith("/") || next.startsWith("//")
                || next.contains("\\") || next.chars().anyMatch(c -> c < 0x20)) {
            return fallback;
        }
        return next;
    }
}
