package dev.latch.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.Properties;

/** {@code latch logout}: revokes the login on the portal, then deletes the local state. */
final class LogoutCommand {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream err;

    LogoutCommand(PortalClient portal, StateStore state, PrintStream err) {
        this.portal = portal;
        this.state = state;
        this.err = err;
    }

    int run() {
        Optional<Properties> session = state.session(portal.portal());
        if (session.isEmpty()) {
            err.println("Not signed in to " + portal.portal() + ".");
            return 0;
        }
        String refresh = session.get().getProperty("refresh_token");
        boolean revoked = false;
        try {
            revoked = refresh != null && portal.revoke(refresh).status() == 200;
        } catch (CliException unreachable) {
            err.println("latch: " + unreachable.getMessage() + " The login will end by itself at its expiry.");
        }
        state.deleteSession(portal.portal());
        state.deleteCaches(); // cached kube and AWS credentials must not outlive the sign-in
        err.println((revoked ? "Signed out of " : "Deleted the local sign-in for ") + portal.portal() + ".");
        return 0;
    }
}
