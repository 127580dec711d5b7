package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * Signs in again inside the running command when a person is at the terminal (kubectl passes
 * {@code interactive: true}): the ordinary device login, with all its messages on stderr so that
 * stdout still carries only the credential.
 */
final class TerminalSignIn implements SignInRecovery {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;

    TerminalSignIn(PortalClient portal, StateStore state, PrintStream err, Clock clock, Map<String, String> env) {
        this.portal = portal;
        this.state = state;
        this.err = err;
        this.clock = clock;
        this.env = env;
    }

    @Override
    public void signIn(String why) {
        err.println("latch: " + why.replace(" Run `latch login`.", "") + " Signing in again.");
        new LoginCommand(portal, state, err, clock, env.get("LATCH_NO_BROWSER") != null, env).run();
    }
}
