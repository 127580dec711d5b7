package dev.latch.audit;

import java.util.Optional;

/**
 * The port through which checkpoints are signed with the portal's published signing key. The
 * audit feature sits below the OAuth feature that owns the keys, so the key holder implements
 * this ({@code dev.latch.oauth.AuditCheckpointSigning}) rather than the audit log calling up.
 */
public interface CheckpointSigner {

    /** A compact JWS and the id of the key that signed it. */
    record Signed(String kid, String jws) {
    }

    Signed sign(String payloadJson);

    /** The signed payload when {@code jws} verifies with a key this portal has signed with; empty otherwise. */
    Optional<String> verify(String jws);
}
