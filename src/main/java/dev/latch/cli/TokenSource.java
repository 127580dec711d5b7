package dev.latch.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A usable access token for a portal: the stored one while it has more than a minute left,
 * otherwise a refreshed one (the refresh token rotates, so the new state is saved at once).
 */
final class TokenSource {

    private final PortalClient portal;
    private final StateStore state;
    private final Clock clock;

    TokenSource(PortalClient portal, StateStore state, Clock clock) {
        this.portal = portal;
        this.state = state;
        this.clock = clock;
    }

    Session current() {
        Optional<Properties> stored = state.session(portal.portal());
        if (stored.isEmpty()) {
            throw new CliException("Not signed in to " + portal.portal() + ". Run `latch login`.", 1);
        }
        Session session = Session.fromProperties(portal.portal(), stored.get());
        Instant now = clock.instant();
        if (session.ended(now)) {
            throw new CliException("Your sign-in ended at " + session.sessionEndsAt() + ". Run `latch login`.", 1);
        }
        if (now.plusSeconds(60).isBefore(session.accessExpiresAt())) {
            return session;
        }
        DpopSigner dpop = session.dpop();
        PortalClient.Answer refreshed = portal.refresh(session.refreshToken(), dpop);
        if (refreshed.status() != 200) {
            state.deleteSession(portal.portal());
            throw new CliException("Your sign-in is no longer valid (" + LoginCommand.describe(refreshed) + "). Run `latch login`.", 1);
        }
        Session next = Session.fromTokens(portal.portal(), refreshed, dpop, now);
        state.saveSession(portal.portal(), next.toProperties());
        return next;
    }
}
