package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/** {@code latch status}: who, which portal, until when; from local state only, so it is instant. */
final class StatusCommand {

    private final String portal;
    private final StateStore state;
    private final PrintStream out;
    private final Clock clock;

    StatusCommand(String portal, StateStore state, PrintStream out, Clock clock) {
        this.portal = portal;
        this.state = state;
        this.out = out;
        this.clock = clock;
    }

    int run() {
        Optional<Properties> stored = state.session(portal);
        if (stored.isEmpty()) {
            throw new CliException("Not signed in to " + portal + ". Run `latch login`.", 1);
        }
        Session session = Session.fromProperties(portal, stored.get());
        Instant now = clock.instant();
        if (session.ended(now)) {
            throw new CliException("The sign-in to " + portal + " as " + session.username() + " ended at "
                    + session.sessionEndsAt() + ". Run `latch login`.", 1);
        }
        long minutes = (session.sessionEndsAt().getEpochSecond() - now.getEpochSecond()) / 60;
        out.println("Signed in to " + portal + " as " + session.username());
        out.println("Session ends in " + minutes / 60 + " h " + minutes % 60 + " min (" + session.sessionEndsAt() + ")");
        return 0;
    }
}
