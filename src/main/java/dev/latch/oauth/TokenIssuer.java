package dev.latch.oauth;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.identity.UserDisabled;
import dev.latch.support.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Access and refresh tokens for helper logins. Refresh tokens rotate on every use; presenting a
 * spent one means it was copied, so the whole family is revoked (RFC 9700 §4.14.2).
 */
@ApplicationScoped
public class TokenIssuer {

    private final OAuthConfig config;
    private final AccessTokens accessTokens;
    private final AuditLog audit;
    private final Clock clock;

    public TokenIssuer(OAuthConfig config, AccessTokens accessTokens, AuditLog audit, Clock clock) {
        this.config = config;
        this.accessTokens = accessTokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** A token response (RFC 6749 §5.1). */
    public record Tokens(String accessToken, String refreshToken, long expiresIn, UUID familyId, Instant sessionEndsAt) {
    }

    /** Starts a family for an approved device request. Runs inside the poll's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Tokens startFamily(User user, DeviceAuthorization request, String jkt) {
        Instant now = clock.instant();
        TokenFamily family = new TokenFamily();
        family.id = UUID.randomUUID();
        family.userId = user.id;
        family.clientId = request.clientId;
        family.clientName = request.clientName;
        family.hostName = request.hostName;
        family.os = request.os;
        family.dpopJkt = jkt;
        family.createdAt = now;
        family.lastUsedAt = now;
        family.expiresAt = now.plus(config.sessionDuration());
        family.persist();
        return issue(user, family);
    }

    /** Exchanges a refresh token for a new pair, bound to the same DPoP key. */
    @Transactional(dontRollbackOn = OAuthException.class)
    public Tokens refresh(String refreshToken, String clientId, String jkt) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        RefreshToken token = RefreshToken.<RefreshToken>find("tokenHash", (Object) Secrets.hash(refreshToken))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (token == null) {
            throw OAuthException.invalidGrant("Unknown refresh token.");
        }
        TokenFamily family = TokenFamily.findById(token.familyId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        if (!family.clientId.equals(clientId)) {
            throw OAuthException.invalidGrant("This refresh token belongs to another client.");
        }
        if (!family.isLive(now)) {
            throw OAuthException.invalidGrant("This login has ended. Run `latch login` again.");
        }
        if (!family.dpopJkt.equals(jkt)) {
            throw OAuthException.invalidGrant("This refresh token is bound to another key (DPoP); tokens cannot move between machines.");
        }
        if (token.usedAt != null) {
            end(family, "refresh token reused");
            audit.record(AuditEntry.of("device.refresh_reuse").byUser(family.userId.toString(), null)
                    .on("token_family", family.id).denied("a spent refresh token was presented; the login was revoked"));
            throw OAuthException.invalidGrant("This refresh token was already used, so this login was revoked. Run `latch login` again.");
        }
        User user = User.findById(family.userId);
        if (user == null || !user.isActive()) {
            throw OAuthException.invalidGrant("The account is disabled.");
        }
        token.usedAt = now;
        family.lastUsedAt = now;
        return issue(user, family);
    }

    /** RFC 7009: revokes the family behind a refresh or access token; unknown tokens are ignored. */
    @Transactional
    public void revoke(String token, String clientId) {
        if (token == null || token.isBlank()) {
            return;
        }
        RefreshToken refresh = RefreshToken.<RefreshToken>find("tokenHash", (Object) Secrets.hash(token)).firstResult();
        UUID familyId = refresh != null ? refresh.familyId : accessTokens.verify(token).map(AccessTokens.Claims::familyId).orElse(null);
        if (familyId == null) {
            return;
        }
        TokenFamily family = TokenFamily.findById(familyId);
        if (family != null && family.clientId.equals(clientId) && family.revokedAt == null) {
            end(family, "logged out");
            audit.record(AuditEntry.of("device.logged_out").byUser(family.userId.toString(), null).on("token_family", family.id));
        }
    }

    /** Revokes one of a user's helper logins (Profile → Signed-in devices). */
    @Transactional
    public boolean revokeFamily(UUID userId, UUID familyId, String reason) {
        TokenFamily family = TokenFamily.findById(familyId);
        if (family == null || !family.userId.equals(userId) || family.revokedAt != null) {
            return false;
        }
        end(family, reason);
        return true;
    }

    @Transactional
    public List<TokenFamily> liveFamilies(UUID userId) {
        Instant now = clock.instant();
        return TokenFamily.<TokenFamily>list("userId = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt desc", userId, now);
    }

    /** Offboarding: a disabled user's helper logins end with the disabling transaction. */
    void onUserDisabled(@Observes UserDisabled event) {
        Instant now = clock.instant();
        TokenFamily.update("revokedAt = ?1, revokedReason = 'user disabled' where userId = ?2 and revokedAt is null", now, event.userId());
    }

    private Tokens issue(User user, TokenFamily family) {
        String refresh = Secrets.newSecret();
        RefreshToken token = new RefreshToken();
        token.id = UUID.randomUUID();
        token.familyId = family.id;
        token.tokenHash = Secrets.hash(refresh);
        token.createdAt = clock.instant();
        token.persist();
        String access = accessTokens.issue(user.id, user.username, family.id, family.dpopJkt, family.clientId);
        return new Tokens(access, refresh, config.accessTokenLifetime().toSeconds(), family.id, family.expiresAt);
    }

    private void end(TokenFamily family, String reason) {
        family.revokedAt = clock.instant();
        family.revokedReason = reason;
    }
}
