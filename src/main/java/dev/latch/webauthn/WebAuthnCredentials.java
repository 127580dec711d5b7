package dev.latch.webauthn;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Small updates of stored keys during a ceremony, each in its own transaction. */
final class WebAuthnCredentials {

    private WebAuthnCredentials() {
    }

    static WebAuthnCredential find(byte[] credentialId) {
        return QuarkusTransaction.requiringNew().call(() -> WebAuthnCredential.byCredentialId(credentialId)
                .orElseThrow(() -> new IllegalStateException("verified credential is not stored")));
    }

    static WebAuthnCredential recordUse(UUID id, long counter, boolean backedUp, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WebAuthnCredential credential = WebAuthnCredential.findById(id);
            credential.signatureCount = Math.max(credential.signatureCount, counter);
            credential.backedUp = backedUp;
            credential.lastUsedAt = now;
            return credential;
        });
    }

    static void flagSuspectedClone(UUID id, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebAuthnCredential credential = WebAuthnCredential.findById(id);
            if (credential.suspectedCloneAt == null) {
                credential.suspectedCloneAt = now;
            }
        });
    }

    static List<WebAuthnCredential> ofUser(UUID userId) {
        return QuarkusTransaction.joiningExisting().call(() -> WebAuthnCredential.ofUser(userId));
    }
}
