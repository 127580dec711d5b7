package dev.latch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code latch login}: the device flow (RFC 8628). Asks for a code, shows it and the address on
 * stderr, opens the browser when it can, and polls at the interval the portal sets (slower when
 * told {@code slow_down}) until approved, denied or expired.
 */
final class LoginCommand {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream err;
    private final Clock clock;
    private final boolean noBrowser;
    private final Map<String, String> env;

    LoginCommand(PortalClient portal, StateStore state, PrintStream err, Clock clock, boolean noBrowser, Map<String, String> env) {
        this.portal = portal;
        this.state = state;
        this.err = err;
        this.clock = clock;
        this.noBrowser = noBrowser;
        this.env = env;
    }

    int run() {
        DpopSigner dpop = DpopSigner.generate();
        PortalClient.Answer codes = portal.deviceAuthorization("latch " + Latch.VERSION, hostName(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        if (codes.status() != 200) {
            throw new CliException("The portal refused to start a sign-in: " + describe(codes));
        }
        String userCode = codes.string("user_code");
        String complete = codes.string("verification_uri_complete");
        err.println("To sign in, open " + codes.string("verification_uri") + " and enter the code " + userCode);
        err.println("Only approve it if the browser shows the same code.");
        if (!noBrowser && BrowserOpener.open(complete != null ? complete : codes.string("verification_uri"), env)) {
            err.println("(A browser window is open at that address.)");
        }
        Duration interval = Duration.ofSeconds(Math.max(1, codes.number("interval", 5)));
        Instant deadline = clock.instant().plusSeconds(codes.number("expires_in", 600));
        while (clock.instant().isBefore(deadline)) {
            sleep(interval);
            PortalClient.Answer answer = portal.pollDeviceCode(codes.string("device_code"), dpop);
            if (answer.status() == 200) {
                Session session = Session.fromTokens(portal.portal(), answer, dpop, clock.instant());
                new TokenSource(portal, state, clock).save(session);
                state.setDefaultPortal(portal.portal());
                err.println("Signed in to " + portal.portal() + " as " + session.username() + " until " + session.sessionEndsAt() + ".");
                return 0;
            }
            String error = answer.string("error");
            if ("authorization_pending".equals(error)) {
                continue;
            }
            if ("slow_down".equals(error)) {
                interval = interval.plusSeconds(5); // RFC 8628 §3.5
                continue;
            }
            if ("access_denied".equals(error)) {
                throw new CliException("The sign-in was denied in the browser.", 4);
            }
            if ("expired_token".equals(error)) {
                throw new CliException("The code expired before it was approved. Run `latch login` again.", 4);
            }
            throw new CliException("The portal refused the sign-in: " + describe(answer));
        }
        throw new CliException("The code expired before it was approved. Run `latch login` again.", 4);
    }

    static String describe(PortalClient.Answer answer) {
        String text = answer.string("error_description");
        if (text == null) {
            text = answer.string("detail");
        }
        if (text == null) {
            text = answer.string("error");
        }
        return text == null ? "HTTP " + answer.status() : text;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        }
    }
}
