package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Starts, resolves and ends browser sessions. Every rule about a session's life is here. */
@ApplicationScoped
public class Sessions {

    /** Writes of last-seen are batched to at most one per this interval per session. */
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(30);

    private final SessionConfig config;
    private final AuditLog audit;
    private final Clock clock;

    public Sessions(SessionConfig config, AuditLog audit, Clock clock) {
        this.config = config;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new session and the secret for its cookie (never stored). */
    public record Started(UserSession session, String token) {
    }

    /** A live session and its user. */
    public record Live(UserSession session, User user) {
    }

    /**
     * Starts a session after a successful sign-in. The sign-in assertion counts as a fresh
     * step-up. A session the browser still carried is ended, so ids never survive a sign-in.
     */
    @Transactional
    public Started start(User user, UUID credentialId, String ip, String userAgent, Optional<String> previousToken) {
        previousToken.flatMap(this::find).ifPresent(old -> end(old, "replaced by a new sign-in"));
        Instant now = clock.instant();
        String token = Secrets.newSecret();
        UserSession session = new UserSession();
        session.id = UUID.randomUUID();
        session.tokenHash = Secrets.hash(token);
        session.userId = user.id;
        session.credentialId = credentialId;
        session.createdAt = now;
        session.lastSeenAt = now;
        session.absoluteExpiresAt = now.plus(config.absoluteTimeout());
        session.steppedUpAt = now;
        session.ip = ip;
        session.userAgent = userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length()));
        session.persist();
        return new Started(session, token);
    }

    /** The live session for a cookie value, touching its last-seen time; empty when it has ended. */
    @Transactional
    public Optional<Live> resolve(String token) {
        Optional<UserSession> found = find(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UserSession session = found.get();
        Instant now = clock.instant();
        if (session.revokedAt != null) {
            return Optional.empty();
        }
        if (!now.isBefore(session.absoluteExpiresAt)) {
            end(session, "absolute timeout");
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt.plus(config.idleTimeout()))) {
            end(session, "idle timeout");
            return Optional.empty();
        }
        User user = User.findById(session.userId);
        if (user == null || !user.isActive()) {
            return Optional.empty();
        }
        if (Duration.between(session.lastSeenAt, now).compareTo(TOUCH_INTERVAL) > 0) {
            session.lastSeenAt = now;
        }
        return Optional.of(new Live(session, user));
    }

    /** Records a fresh key assertion on the session (step-up). */
    @Transactional
    public void markSteppedUp(UUID sessionId) {
        UserSession session = UserSession.findById(sessionId);
        if (session != null) {
            session.steppedUpAt = clock.instant();
        }
    }

    public boolean isSteppedUp(UserSession session) {
        return session.steppedUpAt != null
                && clock.instant().isBefore(session.steppedUpAt.plus(config.stepUpFreshness()));
    }

    /** Ends one session of the given user (a user can only end their own; admins use {@link #revokeAll}). */
    @Transactional
    public boolean revoke(UUID userId, UUID sessionId, String reason) {
        UserSession session = UserSession.findById(sessionId);
        if (session == null || !session.userId.equals(userId) || session.revokedAt != null) {
            return false;
        }
        end(session, reason);
        return true;
    }

    /** Ends every live session of a user; returns how many ended. */
    @Transactional
    public int revokeAll(UUID userId, String reason) {
        List<UserSession> live = UserSession.list("userId = ?1 and revokedAt is null", userId);
        live.forEach(session -> end(session, reason));
        return live.size();
    }

    /** The user's sessions that have not ended, newest first. */
    @Transactional
    public List<UserSession> live(UUID userId) {
        Instant now = clock.instant();
        return UserSession.<UserSession>list("userId = ?1 and revokedAt is null order by createdAt desc", userId).stream()
                .filter(s -> now.isBefore(s.absoluteExpiresAt) && now.isBefore(s.lastSeenAt.plus(config.idleTimeout())))
                .toList();
    }

    /** Offboarding: a disabled user's sessions end at once. */
    void onUserDisabled(@Observes UserDisabled event) {
        revokeAll(event.userId(), "user disabled");
    }

    /** A revoked key's sign-ins end with it (but the session that removed it, when its owner did). */
    void onKeyRevoked(@Observes dev.latch.webauthn.KeyRevoked event) {
        UserSession.<UserSession>list("userId = ?1 and credentialId = ?2 and revokedAt is null", event.ownerId(), event.keyId())
                .stream().filter(session -> !session.id.equals(event.keptSession()))
                .forEach(session -> end(session, "security key revoked"));
    }

    private Optional<UserSession> find(String token) {
        if (token == null || token.length() < 32 || token.length() > 100) {
            return Optional.empty();
        }
        return UserSession.find("tokenHash", (Object) Secrets.hash(token)).firstResultOptional();
    }

    private void end(UserSession session, String reason) {
        session.revokedAt = clock.instant();
        session.revokedReason = reason;
        audit.record(AuditEntry.of("session.ended").on("session", session.id)
                .bySystem("sessions").detail("user_id", session.userId).detail("reason", reason));
    }
}
