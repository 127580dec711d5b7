package dev.latch.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Friendly names for authenticator models (AAGUIDs), for key lists. */
@ApplicationScoped
public class KeyModels {

    public String name(UUID aaguid) {
        return aaguid == null ? "Security key" : "Security key (model " + aaguid + ")";
    }
}
