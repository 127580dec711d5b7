package dev.latch.cli;

import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * Opens a URL in the person's browser when there is one to open; says false otherwise.
 * {@code LATCH_BROWSER} names a program to use instead (run with the URL as its only argument and
 * expected to return quickly, like {@code $BROWSER}); tests use it to count windows.
 */
final class BrowserOpener {

    private BrowserOpener() {
    }

    static boolean open(String url, Map<String, String> env) {
        String chosen = env.get("LATCH_BROWSER");
        if (chosen != null && !chosen.isBlank()) {
            return openWith(chosen, url);
        }
        String os = System.getProperty("os.name", "").toLowerCase();
        List<String> command;
        if (os.contains("mac")) {
            command = List.of("open", url);
        } else if (os.contains("win")) {
            command = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        } else if (env.get("DISPLAY") != null || env.get("WAYLAND_DISPLAY") != null) {
            command = List.of("xdg-open", url);
        } else {
            return false;
        }
        if (!onPath(command.get(0), env)) {
            return false;
        }
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean openWith(String program, String url) {
        try {
            Process process = new ProcessBuilder(program, url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean onPath(String program, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, program).canExecute() || new File(dir, program + ".exe").canExecute()) {
                return true;
            }
        }
        return false;
    }
}
