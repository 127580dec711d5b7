package dev.latch.webauthn.attestation;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Names of common passkey providers by AAGUID, for key lists when no metadata BLOB is loaded.
 * Taken from the community list passkeydeveloper/passkey-authenticator-aaguids; hardware keys are
 * named by the FIDO metadata instead, whose entries are authoritative.
 */
final class KnownAuthenticators {

    private static final Map<UUID, String> NAMES = Map.of(
            UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"), "Google Password Manager",
            UUID.fromString("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"), "iCloud Keychain",
            UUID.fromString("dd4ec289-e01d-41c9-bb89-70fa845d4bf2"), "iCloud Keychain (managed)",
            UUID.fromString("adce0002-35bc-c60a-648b-0b25f1f05503"), "Chrome on Mac",
            UUID.fromString("08987058-cadc-4b81-b6e1-30de50dcbe96"), "Windows Hello",
            UUID.fromString("9ddd1817-af5a-4672-a2b9-3e3dd95000a9"), "Windows Hello",
            UUID.fromString("6028b017-b1d4-4c02-b4b3-afcdafc96bb2"), "Windows Hello",
            UUID.fromString("bada5566-a7aa-401f-bd96-45619a55120d"), "1Password");

    private KnownAuthenticators() {
    }

    static Optional<String> name(UUID aaguid) {
        return Optional.ofNullable(NAMES.get(aaguid));
    }
}
