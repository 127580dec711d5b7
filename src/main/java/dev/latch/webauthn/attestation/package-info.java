/**
 * Attestation: what Latch checks about a security key's make and model when it is registered.
 *
 * <p>Policy {@code none} (the default) asks keys for no attestation, so any FIDO2 key works.
 * Policy {@code direct} asks for attestation and accepts a key only when its attestation chains to
 * a trust root in the FIDO Metadata Service BLOB and, when an allow-list of AAGUIDs is configured,
 * its model is on it. Either way, when a BLOB is configured, a model whose metadata status says it
 * was compromised (revoked, user-verification bypass, attestation key or user key compromise) is
 * refused at registration, and keys already registered from such a model are flagged by a
 * scheduled scan so administrators see them. The verdict is ours, not the library's: Yubico's
 * relying party is told to allow untrusted attestation, and {@link
 * dev.latch.webauthn.attestation.AttestationPolicy#judge} refuses with a message that names the
 * rule the key broke.
 *
 * <p>The BLOB is read from a file at start with Yubico's {@code FidoMetadataDownloader} in its
 * offline form (a given trust root and a given BLOB), which verifies the signature chain and the
 * legal header; the portal never downloads anything at run time. A BLOB that does not verify stops
 * the portal at start: a broken trust anchor must not silently switch the checks off. A BLOB past
 * its {@code nextUpdate} is still used, with a warning at every start, because refusing every
 * registration for a stale file would lock new people out; refresh it from the FIDO MDS.
 */
package dev.latch.webauthn.attestation;
