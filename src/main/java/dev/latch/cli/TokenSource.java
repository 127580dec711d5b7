package dev.latch.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A usable access token for a portal: the stored one while it has more than a minute left,
 * otherwise a refreshed one.
 *
 * <p>The refresh token rotates and the portal treats a spent one as stolen (it revokes the whole
 * login). Parallel helpers (kubectl starts one per request) would each spend the same token, so a
 * refresh happens only under the portal's session lock, and the session is read again once the
 * lock is held: the process that waited usually finds the token another one just refreshed.
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

    /** A session whose access token is good for another minute; {@link SignInEnded} when there is none. */
    Session current() {
        Session session = usable(stored(), clock.instant());
        if (session != null && fresh(session, clock.instant())) {
            return session; // the common case: no lock, no network
        }
        try (FileLocks.Held lock = FileLocks.acquire(state.sessionLockFile(portal.portal()))) {
            Instant now = clock.instant();
            session = usable(stored(), now);
            if (fresh(session, now)) {
                return session; // another process refreshed while this one waited
            }
            DpopSigner dpop = session.dpop();
            PortalClient.Answer refreshed = portal.refresh(session.refreshToken(), dpop);
            if (refreshed.status() == 400 || refreshed.status() == 401) {
                state.deleteSession(portal.portal());
                throw new SignInEnded("Your sign-in is no longer valid (" + LoginCommand.describe(refreshed) + "). Run `latch login`.");
            }
            if (refreshed.status() != 200) {
                throw new CliException("The portal could not refresh the sign-in: " + LoginCommand.describe(refreshed), 3);
            }
            Session next = Session.fromTokens(portal.portal(), refreshed, dpop, now);
            state.saveSession(portal.portal(), next.toProperties());
            return next;
        }
    }

    /**
     * The portal refused {@code rejected} (HTTP 401): drop the stored sign-in, unless another
     * process has replaced it meanwhile.
     */
    void forget(Session rejected) {
        try (FileLocks.Held lock = FileLocks.acquire(state.sessionLockFile(portal.portal()))) {
            Optional<Properties> stored = state.session(portal.portal());
            if (stored.isPresent() && rejected.accessToken().equals(stored.get().getProperty("access_token"))) {
                state.deleteSession(portal.portal());
            }
        }
    }

    /** Stores a new sign-in (from a device login) under the session lock. */
    void save(Session session) {
        try (FileLocks.Held lock = FileLocks.acquire(state.sessionLockFile(portal.portal()))) {
            state.saveSession(portal.portal(), session.toProperties());
        }
    }

    /** The stored session when there is one and it has not ended; throws SignInEnded otherwise. */
    private Session usable(Optional<Properties> stored, Instant now) {
        if (stored.isEmpty()) {
            throw new SignInEnded("Not signed in to " + portal.portal() + ". Run `latch login`.");
        }
        Session session = Session.fromProperties(portal.portal(), stored.get());
        if (session.ended(now)) {
            throw new SignInEnded("Your sign-in ended at " + session.sessionEndsAt() + ". Run `latch login`.");
        }
        return session;
    }

    /** Whether a session was signed in and usable now, without refreshing anything. */
    boolean signedIn() {
        Optional<Properties> stored = stored();
        return stored.isPresent() && !Session.fromProperties(portal.portal(), stored.get()).ended(clock.instant());
    }

    private Optional<Properties> stored() {
        return state.session(portal.portal());
    }

    private static boolean fresh(Session session, Instant now) {
        return now.plusSeconds(60).isBefore(session.accessExpiresAt());
    }
}
