package dev.latch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * Production from the terminal needs a key touch recorded on this login: the portal answers
 * {@code 403 touch-required} until the person confirms on its {@code /terminal/touch} page.
 *
 * <p>Like {@link SharedDeviceLogin}'s one sign-in window, every helper process of a portal shares
 * one confirmation page: under a per-portal lock the first refused helper opens the browser there
 * (or prints the address when it cannot), and no helper opens it again within
 * {@value #WINDOW_GAP_SECONDS} s, so kubectl, Lens and the AWS CLI asking at once bring one window,
 * not a storm. The command then asks the portal again every {@value #RETRY_SECONDS} s until the
 * touch is recorded: up to {@value #TERMINAL_WAIT_SECONDS} s with a person at the terminal, else
 * up to {@code LATCH_EXEC_WAIT_SECONDS} (default 0: fail at once with the address; the window is
 * open, so the tool's next try works after the touch).
 */
final class TouchConfirmation {

    static final long WINDOW_GAP_SECONDS = 60;
    static final long TERMINAL_WAIT_SECONDS = 300;
    static final long RETRY_SECONDS = 3;

    private final String portal;
    private final StateStore state;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;
    private final long waitSeconds;
    private boolean told;

    TouchConfirmation(String portal, StateStore state, PrintStream err, Clock clock, Map<String, String> env, boolean interactive) {
        this.portal = portal;
        this.state = state;
        this.err = err;
        this.clock = clock;
        this.env = env;
        this.waitSeconds = interactive ? TERMINAL_WAIT_SECONDS : SharedDeviceLogin.waitSeconds(env);
    }

    /** Whether the portal asks for a key touch on this login. */
    static boolean asked(PortalClient.Answer answer) {
        String type = answer.string("type");
        return answer.status() == 403 && type != null && type.endsWith("/touch-required");
    }

    /** Shows the page (once for every process within the gap) and says until when to ask the portal again. */
    Instant show(PortalClient.Answer refusal) {
        Instant now = clock.instant();
        String key = StateStore.portalKey(portal);
        String page = portal + "/terminal/touch";
        boolean openedNow = false;
        boolean windowOpen;
        try (FileLocks.Held lock = FileLocks.acquire(state.lockFile("touch-" + key))) {
            Path file = state.touchFile(portal);
            Properties shown = state.read(file).orElseGet(Properties::new);
            String last = shown.getProperty("opened_at");
            windowOpen = last != null && now.isBefore(Instant.ofEpochSecond(Long.parseLong(last.trim())).plusSeconds(WINDOW_GAP_SECONDS));
            // only a window that really opened is recorded, so no process claims one that never was
            if (!windowOpen && env.get("LATCH_NO_BROWSER") == null && BrowserOpener.open(page, env)) {
                openedNow = true;
                windowOpen = true;
                shown.setProperty("opened_at", Long.toString(now.getEpochSecond()));
                state.write(file, shown);
            }
        }
        if (!told) {
            told = true;
            if (waitSeconds > 0) {
                String detail = refusal.string("detail");
                err.println("latch: " + (detail == null ? "this needs a key touch at " + page : detail));
                err.println("latch: waiting up to " + waitSeconds + " s for the touch" + (windowOpen ? " (a browser window is open)" : ""));
            } else if (openedNow) {
                err.println("latch: opened " + page + " in your browser");
            } else if (windowOpen) {
                err.println("latch: a browser window for " + page + " is already open");
            } // else the refusal itself, printed by the command, names the page
        }
        return now.plusSeconds(waitSeconds);
    }

    /** Whether to ask the portal again (after a pause) or give up with its refusal. */
    boolean waitAgain(Instant deadline) {
        if (!clock.instant().isBefore(deadline)) {
            return false;
        }
        pause();
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_SECONDS * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        }
    }
}
