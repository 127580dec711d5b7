package dev.latch.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The portal as an OAuth authorization server. */
@ConfigMapping(prefix = "latch.oauth")
public interface OAuthConfig {

    /** Client ids allowed to use the device flow (public clients; no secrets). */
    @WithDefault("latch-cli")
    Set<String> clients();

    /** Lifetime of a device code and its user code (RFC 8628 {@code expires_in}). */
    @WithDefault("10m")
    Duration deviceCodeLifetime();

    /** Minimum polling interval; polling faster gets {@code slow_down}. */
    @WithDefault("5s")
    Duration pollInterval();

    /** Lifetime of an access token. */
    @WithDefault("10m")
    Duration accessTokenLifetime();

    /** A helper login (refresh-token family) ends this long after approval, like aws-vault's session duration. */
    @WithDefault("12h")
    Duration sessionDuration();

    /** Accepted clock difference for DPoP proof {@code iat}. */
    @WithDefault("60s")
    Duration dpopLeeway();

    /**
     * User-code entries (right or wrong) allowed per person and per address within a minute,
     * counted before the lookup (RFC 8628 §5.1).
     */
    @WithDefault("5")
    int userCodeAttemptsPerMinute();

    /**
     * Wrong entries close to a pending user code (one or two letters off), from anyone, after
     * which the code is closed and the helper must start again.
     */
    @WithDefault("5")
    int wrongEntriesPerCode();

    /**
     * Key-encryption key (base64 of 32 random bytes) that protects signing keys at rest. Required
     * in production; dev mode and tests derive a fixed one. Rotate by adding the new key here and the
     * old one to {@link #previousKeyEncryptionKeys()}.
     */
    Optional<String> keyEncryptionKey();

    /** Earlier key-encryption keys, still accepted for decrypting older signing keys. */
    Optional<Set<String>> previousKeyEncryptionKeys();

    /** How often a new signing key replaces the current one. */
    @WithDefault("30d")
    Duration signingKeyRotation();
}
