package dev.latch.cli;

import java.io.File;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** {@code latch doctor}: one line per check, each with what to do when it fails. */
final class DoctorCommand {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream out;
    private final Clock clock;
    private final Map<String, String> env;
    private int failures;

    DoctorCommand(PortalClient portal, StateStore state, PrintStream out, Clock clock, Map<String, String> env) {
        this.portal = portal;
        this.state = state;
        this.out = out;
        this.clock = clock;
        this.env = env;
    }

    int run() {
        PortalClient.Answer discovery = null;
        try {
            discovery = portal.discovery();
            check(discovery.status() == 200 && discovery.string("device_authorization_endpoint") != null,
                    "portal " + portal.portal() + " answers", "the portal answered HTTP " + discovery.status()
                            + "; check the address with your administrator");
        } catch (CliException unreachable) {
            check(false, "portal reachable", unreachable.getMessage());
        }
        if (discovery != null && discovery.date() != null) {
            Duration skew = Duration.between(ZonedDateTime.parse(discovery.date(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
                    clock.instant()).abs();
            check(skew.toSeconds() <= 30, "clock within 30 s of the portal (" + skew.toSeconds() + " s)",
                    "this computer's clock is off by " + skew.toSeconds() + " s; enable time sync (timedatectl set-ntp true)");
        }
        check(onPath("latch"), "latch is on your PATH", "add the folder with the latch launcher to PATH (~/.local/bin)");
        check(state.permissionProblem(state.dir()).isEmpty() && state.permissionProblem(state.sessionFile(portal.portal())).isEmpty(),
                "state files are private (" + state.dir() + ")",
                state.permissionProblem(state.dir()).or(() -> state.permissionProblem(state.sessionFile(portal.portal()))).orElse(""));
        try {
            Session session = new TokenSource(portal, state, clock).current();
            PortalClient.Answer me = portal.api("GET", "/api/v1/me", session.accessToken(), session.dpop());
            check(me.status() == 200, "signed in as " + me.string("username") + " until " + session.sessionEndsAt(),
                    LoginCommand.describe(me) + "; run `latch login`");
        } catch (CliException notSignedIn) {
            check(false, "signed in", notSignedIn.getMessage());
        }
        return failures == 0 ? 0 : 1;
    }

    private void check(boolean ok, String what, String fix) {
        if (ok) {
            out.println("ok    " + what);
        } else {
            failures++;
            out.println("FAIL  " + what.replaceFirst("^signed in as null.*", "signed in") + ": " + fix);
        }
    }

    private boolean onPath(String program) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
