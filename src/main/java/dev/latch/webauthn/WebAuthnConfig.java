package dev.latch.webauthn;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The WebAuthn relying party. */
@ConfigMapping(prefix = "latch.webauthn")
public interface WebAuthnConfig {

    /**
     * Relying party id: the domain keys are bound to. Defaults to the host of
     * {@code latch.portal.public-url}. Changing it later makes every registered key unusable.
     */
    Optional<String> rpId();

    /** Name shown by the browser and the key's prompt. */
    @WithDefault("Latch")
    String rpName();

    /** Origins allowed in ceremonies. Defaults to the public URL's origin. */
    Optional<Set<String>> origins();

    /** User verification (PIN or biometric): {@code required}, {@code preferred} or {@code discouraged}. */
    @WithDefault("preferred")
    String userVerification();

    /** Discoverable credentials (sign in without a username): {@code required}, {@code preferred} or {@code discouraged}. */
    @WithDefault("preferred")
    String residentKey();

    /** How long a started ceremony may be finished. */
    @WithDefault("5m")
    Duration ceremonyTimeout();

    /**
     * Refuse sign-in with a key whose signature counter went backwards (a sign it may have been
     * cloned). The key is flagged and admins are told either way.
     */
    @WithDefault("true")
    boolean refuseSuspectedClones();
}
