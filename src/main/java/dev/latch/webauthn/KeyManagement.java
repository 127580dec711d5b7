package dev.latch.webauthn;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A person's own security keys: add another, rename, remove (never the last one). */
@ApplicationScoped
public class KeyManagement {

    private final WebAuthnService webauthn;
    private final AuditLog audit;

    public KeyManagement(WebAuthnService webauthn, AuditLog audit) {
        this.webauthn = webauthn;
        this.audit = audit;
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

    /** Removes a key; the last one stays, so nobody locks themselves out. */
    @Transactional
    public void remove(User user, UUID keyId) {
        WebAuthnCredential key = own(user, keyId);
        // lock the user's keys so two concurrent removals cannot both pass the "not the last" check
        List<WebAuthnCredential> keys = WebAuthnCredential.find("userId", user.id)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        if (keys.size() <= 1) {
            throw new ProblemException(409, "last-key", "Cannot remove your only key",
                    "This is your only security key. Add another key before removing this one.");
        }
        key.delete();
        audit.record(AuditEntry.of("key.removed").byUser(user.id.toString(), user.username).on("key", keyId)
                .detail("nickname", key.nickname));
    }

    private static WebAuthnCredential own(User user, UUID keyId) {
        WebAuthnCredential key = keyId == null ? null : WebAuthnCredential.findById(keyId);
        if (key == null || !key.userId.equals(user.id)) {
            // the same answer for someone else's key as for no key: ids are not an oracle
            throw ProblemException.notFound("You have no security key with that id.");
        }
        return key;
    }
}
