package dev.latch.identity;

import dev.latch.webauthn.attestation.AttestationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Friendly names for authenticator models (AAGUIDs), for key lists. */
@ApplicationScoped
public class KeyModels {

    private final AttestationPolicy attestation;

    public KeyModels(AttestationPolicy attestation) {
        this.attestation = attestation;
    }

    public String name(UUID aaguid) {
        return attestation.modelName(aaguid).orElse(aaguid == null ? "Security key" : "Security key (model " + aaguid + ")");
    }
}
