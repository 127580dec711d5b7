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

    /**
     * User verification (PIN or biometric) in every ceremony: {@code required}, {@code preferred}
     * or {@code discouraged}. {@code required} by default, so a found key without its PIN cannot
     * sign in, step up or approve; dev mode uses {@code preferred}.
     */
    @WithDefault("required")
    String userVerification();

    /** Discoverable credentials (sign in without a username): {@code required}, {@code preferred} or {@code discouraged}. */
    @WithDefault("preferred")
    String residentKey();

    /**
     * Accept backup-eligible credentials (synced passkeys: the BE flag) at registration. Off in
     * production, since a synced passkey lives in a cloud account, not only in one key; on in dev mode.
     */
    @WithDefault("false")
    boolean allowSyncedPasskeys();

    /** How long a started ceremony may be finished. */
    @WithDefault("5m")
    Duration ceremonyTimeout();

    /**
     * Refuse sign-in with a key whose signature counter went backwards (a sign it may have been
     * cloned). The key is flagged and admins are told either way.
     */
    @WithDefault("true")
    boolean refuseSuspectedClones();

    /** Which security keys may be registered. */
    Attestation attestation();

    /** Attestation policy: what a key must prove about its make and model at registration. */
    interface Attestation {

        /**
         * {@code none}: any key (nothing asked about its model); {@code direct}: only keys whose
         * attestation chains to a trust root in the FIDO metadata BLOB, and, when
         * {@link #allowedAaguids()} is set, only those models.
         */
        @WithDefault("none")
        String policy();

        /** Key models (AAGUIDs) allowed under {@code direct}, e.g. the YubiKey 5 series. Empty: any trusted model. */
        Optional<Set<java.util.UUID>> allowedAaguids();

        /**
         * A FIDO Metadata Service (MDS3) BLOB file, loaded at start and never downloaded at run time.
         * Needed for {@code direct}; with {@code none} it still names key models and refuses models
         * the metadata reports compromised.
         */
        Optional<java.nio.file.Path> metadataBlob();

        /** PEM file of the root certificate that signs the BLOB (FIDO Alliance's root in production). */
        Optional<java.nio.file.Path> metadataTrustRoot();

        /** PEM file of CRLs for the BLOB's certificate chain, as published by the FIDO Alliance. */
        Optional<java.nio.file.Path> metadataCrls();

        /** The legal header the BLOB must carry. */
        @WithDefault("Retrieval and use of this BLOB indicates acceptance of the appropriate agreement located at https://fidoalliance.org/metadata/metadata-legal-terms/")
        String metadataLegalHeader();
    }
}
