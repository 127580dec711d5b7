package dev.latch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * Signs in again for helpers that run with nobody at a terminal (Lens, IDEs, k9s, the AWS CLI
 * under a tool): at most one browser window for one device code, shared by every cluster, account
 * and process of this portal.
 *
 * <p>Why: such tools call the helper for every cluster, often several times a second. If each call
 * started its own device login, an ended sign-in would open a storm of browser tabs, each with a
 * different code; the person could not tell which one to approve, and approving codes they did not
 * knowingly start is what RFC 8628 §5.4 warns against.
 *
 * <p>How: under a per-portal lock file, the helper reads the pending login ({@code
 * pending-login-<host>.properties}, 0600: device code, user code, expiry, poll interval, the DPoP
 * key the tokens will be bound to, and when a window was last opened).
 * <ul>
 * <li>No pending code (or it expired): start one device authorization and open the browser once;
 *     but never a new window within {@value #WINDOW_GAP_SECONDS} s of the last one, even after a
 *     denied or expired code, so a denial does not bring the window straight back.</li>
 * <li>A pending code: poll it when its interval allows (RFC 8628 §3.5). Approval stores the session
 *     under the session lock and clears the code; every other waiting helper then finds the
 *     session. {@code invalid_grant} means the code was redeemed already: re-read the session.</li>
 * </ul>
 * A helper waits up to {@code LATCH_EXEC_WAIT_SECONDS} (default 0: fail fast) for the approval;
 * one that finds someone else's code polls it at least once, so retrying after approving works.
 * Otherwise it fails with one line naming the code to approve and the address.
 */
final class SharedDeviceLogin implements SignInRecovery {

    static final long WINDOW_GAP_SECONDS = 60;

    private final PortalClient portal;
    private final StateStore state;
    private final TokenSource tokens;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;
    private final long waitSeconds;

    SharedDeviceLogin(PortalClient portal, StateStore state, PrintStream err, Clock clock, Map<String, String> env) {
        this.portal = portal;
        this.state = state;
        this.tokens = new TokenSource(portal, state, clock);
        this.err = err;
        this.clock = clock;
        this.env = env;
        this.waitSeconds = waitSeconds(env);
    }

    /** One look at the shared login: signed in, or still waiting (with what to tell the person). */
    private record Step(boolean signedIn, boolean settled, Instant nextPollAt, String message) {
    }

    @Override
    public void signIn(String why) {
        Instant deadline = clock.instant().plusSeconds(waitSeconds);
        boolean mayGiveUp = false;
        while (true) {
            Step step;
            try (FileLocks.Held lock = FileLocks.acquire(state.lockFile("pending-login-" + StateStore.portalKey(portal.portal())))) {
                step = step();
            }
            if (step.signedIn()) {
                return;
            }
            mayGiveUp |= step.settled();
            Instant now = clock.instant();
            if (mayGiveUp && !now.isBefore(deadline)) {
                throw new SignInEnded("sign-in needed: " + step.message());
            }
            long millis = step.nextPollAt() == null ? 1000 : Duration.between(now, step.nextPollAt()).toMillis();
            sleep(Math.max(100, Math.min(1000, millis)));
        }
    }

    private Step step() {
        if (tokens.signedIn()) {
            return new Step(true, true, null, null); // another helper finished the login
        }
        Path file = state.pendingLoginFile(portal.portal());
        Properties pending = state.read(file).orElseGet(Properties::new);
        Instant now = clock.instant();
        if (pending.getProperty("device_code") == null || !now.isBefore(instant(pending, "expires_at"))) {
            clearCode(pending);
            if (pending.getProperty("opened_at") != null
                    && now.isBefore(instant(pending, "opened_at").plusSeconds(WINDOW_GAP_SECONDS))) {
                state.write(file, pending);
                return new Step(false, true, null, "the last sign-in request was denied or expired less than a minute ago; "
                        + "retry in a minute or run `latch login --portal " + portal.portal() + "` in a terminal");
            }
            start(pending, now);
            state.write(file, pending);
            return waiting(pending, true);
        }
        Instant due = instant(pending, "next_poll_at");
        if (now.isBefore(due)) {
            return waiting(pending, false);
        }
        DpopSigner dpop = DpopSigner.restore(pending.getProperty("dpop_private_key"), pending.getProperty("dpop_public_key"));
        PortalClient.Answer answer = portal.pollDeviceCode(pending.getProperty("device_code"), dpop);
        if (answer.status() == 200) {
            Session session = Session.fromTokens(portal.portal(), answer, dpop, clock.instant());
            tokens.save(session);
            clearCode(pending);
            state.write(file, pending);
            err.println("latch: signed in to " + portal.portal() + " as " + session.username() + ".");
            return new Step(true, true, null, null);
        }
        String error = answer.string("error");
        long interval = Long.parseLong(pending.getProperty("interval"));
        if ("authorization_pending".equals(error) || "slow_down".equals(error)) {
            if ("slow_down".equals(error)) {
                interval += 5; // RFC 8628 §3.5
                pending.setProperty("interval", Long.toString(interval));
            }
            pending.setProperty("next_poll_at", Long.toString(now.getEpochSecond() + interval));
            state.write(file, pending);
            return waiting(pending, true);
        }
        clearCode(pending);
        state.write(file, pending);
        if ("invalid_grant".equals(error) && tokens.signedIn()) {
            return new Step(true, true, null, null); // redeemed by another helper that saved the session
        }
        String ended = "access_denied".equals(error) ? "the sign-in request was denied in the browser"
                : "expired_token".equals(error) ? "the sign-in code expired before it was approved"
                : "the portal refused the sign-in (" + LoginCommand.describe(answer) + ")";
        return new Step(false, true, null, ended + "; retry in a minute or run `latch login --portal " + portal.portal() + "`");
    }

    private void start(Properties pending, Instant now) {
        PortalClient.Answer codes = portal.deviceAuthorization("latch " + Latch.VERSION + " (background)", hostName(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        if (codes.status() != 200) {
            throw new CliException("The portal refused to start a sign-in: " + LoginCommand.describe(codes));
        }
        DpopSigner dpop = DpopSigner.generate();
        long interval = Math.max(1, codes.number("interval", 5));
        pending.setProperty("device_code", codes.string("device_code"));
        pending.setProperty("user_code", codes.string("user_code"));
        pending.setProperty("verification_uri", codes.string("verification_uri"));
        pending.setProperty("expires_at", Long.toString(now.getEpochSecond() + codes.number("expires_in", 600)));
        pending.setProperty("interval", Long.toString(interval));
        pending.setProperty("next_poll_at", Long.toString(now.getEpochSecond() + interval));
        pending.setProperty("dpop_private_key", dpop.privateKeyBase64());
        pending.setProperty("dpop_public_key", dpop.publicKeyBase64());
        String complete = codes.string("verification_uri_complete");
        boolean opened = env.get("LATCH_NO_BROWSER") == null
                && BrowserOpener.open(complete != null ? complete : codes.string("verification_uri"), env);
        pending.setProperty("browser_opened", Boolean.toString(opened));
        pending.setProperty("opened_at", Long.toString(now.getEpochSecond()));
    }

    private static Step waiting(Properties pending, boolean settled) {
        String where = Boolean.parseBoolean(pending.getProperty("browser_opened")) ? " (a browser window is open)" : "";
        return new Step(false, settled, instant(pending, "next_poll_at"), "approve code " + pending.getProperty("user_code")
                + " at " + pending.getProperty("verification_uri") + where + ", then retry");
    }

    /** Forgets the code but keeps when a window was last opened (the rate limit outlives the code). */
    private static void clearCode(Properties pending) {
        for (String key : new String[] {"device_code", "user_code", "verification_uri", "expires_at", "interval",
                "next_poll_at", "dpop_private_key", "dpop_public_key", "browser_opened"}) {
            pending.remove(key);
        }
    }

    private static Instant instant(Properties properties, String key) {
        return Instant.ofEpochSecond(Long.parseLong(properties.getProperty(key).trim()));
    }

    static long waitSeconds(Map<String, String> env) {
        String value = env.get("LATCH_EXEC_WAIT_SECONDS");
        try {
            return value == null || value.isBlank() ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new CliException("LATCH_EXEC_WAIT_SECONDS must be a number of seconds, not " + value, 2);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        }
    }
}
