package dev.latch.webauthn;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.notify.Notification;
import dev.latch.notify.NotificationType;
import dev.latch.notify.Notifications;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's own security keys (add another, rename, remove: never the last one), and an
 * administrator's revocation of anyone's key. Removing is revoking: the row stays, because signed
 * decisions name the key and "Verify" needs its public key; a revoked key signs nothing again.
 */
@ApplicationScoped
public class KeyManagement {

    private final WebAuthnService webauthn;
    private final AuditLog audit;
    private final Notifications notifications;
    private final jakarta.enterprise.event.Event<KeyRevoked> revoked;
    private final java.time.Clock clock;

    public KeyManagement(WebAuthnService webauthn, AuditLog audit, Notifications notifications,
            jakarta.enterprise.event.Event<KeyRevoked> revoked, java.time.Clock clock) {
        this.webauthn = webauthn;
        this.audit = audit;
        this.notifications = notifications;
        this.revoked = revoked;
        this.clock = clock;
    }

    @Transactional
    public List<WebAuthnCredential> keys(UUID userId) {
        return WebAuthnCredential.ofUser(userId);
    }

    /** Starts registering another key for a signed-in user; their existing keys are excluded. */
    public WebAuthnService.Started startAdding(User user, String nickname) {
        String name = nickname == null || nickname.isBlank() ? "Backup key" : nickname.trim();
        if (name.length() > 60) {
            throw ProblemException.badRequest("invalid-nickname", "A key's name is at most 60 characters.");
        }
        return webauthn.startRegistration(new WebAuthnService.Registrant(user.userHandle, user.username, user.displayName),
                Map.of("purpose", "add_key", "user_id", user.id.toString(), "nickname", name));
    }

    public WebAuthnCredential finishAdding(User user, UUID ceremonyId, String response) {
        WebAuthnService.VerifiedRegistration verified = webauthn.finishRegistration(ceremonyId, response);
        Map<String, String> context = verified.ceremony().context();
        if (!"add_key".equals(context.get("purpose")) || !user.id.toString().equals(context.get("user_id"))) {
            throw ProblemException.badRequest("webauthn-ceremony-mismatch", "This registration was started for someone else. Start again.");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            WebAuthnCredential key = webauthn.store(user.id, verified, context.get("nickname"));
            audit.record(AuditEntry.of("key.added").byUser(user.id.toString(), user.username).on("key", key.id)
                    .detail("nickname", key.nickname).detail("aaguid", key.aaguid).detail("via", "profile"));
            return key;
        });
    }

    @Transactional
    public WebAuthnCredential rename(User user, UUID keyId, String nickname) {
        WebAuthnCredential key = own(user, keyId);
        String name = nickname == null ? "" : nickname.trim();
        if (name.isEmpty() || name.length() > 60) {
            throw ProblemException.badRequest("invalid-nickname", "A key's name is 1 to 60 characters.");
        }
        key.nickname = name;
        audit.record(AuditEntry.of("key.renamed").byUser(user.id.toString(), user.username).on("key", key.id)
                .detail("nickname", name));
        return key;
    }

    /**
     * Removes (revokes) one of the person's own keys; the last one stays, so nobody locks themselves
     * out. The sessions the key signed in end, except {@code currentSession}, the one doing this.
     */
    @Transactional
    public void remove(User user, UUID keyId, UUID currentSession) {
        WebAuthnCredential key = own(user, keyId);
        // lock the user's keys so two concurrent removals cannot both pass the "not the last" check
        List<WebAuthnCredential> keys = WebAuthnCredential.find("userId = ?1 and revokedAt is null", user.id)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        if (keys.size() <= 1) {
            throw new ProblemException(409, "last-key", "Cannot remove your only key",
                    "This is your only security key. Add another key before removing this one.");
        }
        revoke(key, user, user, "removed by its owner", currentSession);
    }

    /**
     * An administrator revokes someone's key (lost, stolen, left behind), even their last one: the
     * person then needs a key-recovery link. Every session the key signed in ends.
     */
    @Transactional
    public WebAuthnCredential revokeFor(User admin, UUID userId, UUID keyId, String reason) {
        WebAuthnCredential key = keyId == null ? null : WebAuthnCredential.findById(keyId);
        if (key == null || !key.userId.equals(userId) || key.isRevoked()) {
            throw ProblemException.notFound("This person has no active security key with that id.");
        }
        String why = reason == null || reason.isBlank() ? "revoked by an administrator" : reason.strip();
        if (why.length() > 200) {
            throw ProblemException.badRequest("invalid-reason", "A reason is at most 200 characters.");
        }
        revoke(key, User.findById(userId), admin, why, null);
        return key;
    }

    private void revoke(WebAuthnCredential key, User owner, User by, String reason, UUID keptSession) {
        key.revokedAt = clock.instant();
        key.revokedBy = by.id;
        key.revokedReason = reason;
        revoked.fire(new KeyRevoked(key.id, owner.id, keptSession, reason));
        audit.record(AuditEntry.of("key.revoked").byUser(by.id.toString(), by.username).on("key", key.id)
                .detail("owner", owner.username).detail("nickname", key.nickname).detail("reason", reason));
        if (owner.email != null) {
            boolean self = owner.id.equals(by.id);
            notifications.enqueue(Notification.about(NotificationType.KEY_REVOKED, key.id)
                    .subject("Your security key \"" + key.nickname + "\" was revoked")
                    .text((self ? "You removed the security key \"" + key.nickname + "\" from your Latch account."
                            : "A Latch administrator (" + by.username + ") revoked your security key \"" + key.nickname
                                    + "\": " + reason + ".")
                            + " It can no longer sign in, confirm or approve, and the sessions it signed in have ended."
                            + " If you did not expect this, tell your administrators at once.")
                    .link(notifications.portalLink("/profile"))
                    .to(owner.email)
                    .build());
        }
    }

    private static WebAuthnCredential own(User user, UUID keyId) {
        WebAuthnCredential key = keyId == null ? null : WebAuthnCredential.findById(keyId);
        if (key == null || !key.userId.equals(user.id) || key.isRevoked()) {
            // the same answer for someone else's key as for no key: ids are not an oracle
            throw ProblemException.notFound("You have no security key with that id.");
        }
        return key;
    }
}
