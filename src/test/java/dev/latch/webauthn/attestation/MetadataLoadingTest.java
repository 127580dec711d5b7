package dev.latch.webauthn.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.TestMetadata;
import dev.latch.webauthn.WebAuthnConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the metadata BLOB without Quarkus: what it names, what it refuses, and a tampered file. */
class MetadataLoadingTest {

    private static final UUID MODEL = UUID.fromString("5c1a0000-0000-4000-8000-00000000b001");
    private static final UUID BROKEN = UUID.fromString("5c1a0000-0000-4000-8000-00000000b002");

    @TempDir
    Path dir;

    @Test
    void policyNoneStillNamesModelsAndKnowsCompromisedOnes() throws Exception {
        new TestMetadata().write(dir, List.of(new TestMetadata.Model(MODEL, "Latch Test Key 5", "FIDO_CERTIFIED"),
                new TestMetadata.Model(BROKEN, "Latch Test Key Broken", "USER_VERIFICATION_BYPASS")), TestMetadata.LEGAL_HEADER);
        AttestationPolicy policy = new AttestationPolicy(config("none", dir), Clock.systemUTC());
        assertEquals(Optional.of("Latch Test Key 5"), policy.modelName(MODEL));
        assertEquals(Optional.empty(), policy.compromiseReason(MODEL));
        assertEquals(Optional.of("USER_VERIFICATION_BYPASS"), policy.compromiseReason(BROKEN));
        assertEquals(Optional.of("Google Password Manager"),
                policy.modelName(UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")), "built-in names still apply");
    }

    @Test
    void aTamperedBlobStopsTheStartWithAClearMessage() throws Exception {
        new TestMetadata().write(dir, List.of(new TestMetadata.Model(MODEL, "Latch Test Key 5", "FIDO_CERTIFIED")),
                TestMetadata.LEGAL_HEADER);
        String blob = Files.readString(dir.resolve("blob.jwt"));
        String[] parts = blob.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("FIDO_CERTIFIED", "FIDO_CERTIFIED_L2");
        Files.writeString(dir.resolve("blob.jwt"), parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2]);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new AttestationPolicy(config("none", dir), Clock.systemUTC()));
        assertTrue(refused.getMessage().contains("could not be loaded and verified"), refused.getMessage());
    }

    @Test
    void aBlobSignedUnderAnotherRootIsRefused() throws Exception {
        new TestMetadata().write(dir, List.of(new TestMetadata.Model(MODEL, "x", "FIDO_CERTIFIED")), TestMetadata.LEGAL_HEADER);
        Path other = Files.createDirectory(dir.resolve("other"));
        new TestMetadata().write(other, List.of(), TestMetadata.LEGAL_HEADER);
        Files.copy(other.resolve("root.pem"), dir.resolve("root.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThrows(IllegalStateException.class, () -> new AttestationPolicy(config("none", dir), Clock.systemUTC()));
    }

    @Test
    void directWithoutMetadataIsAConfigurationError() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new AttestationPolicy(config("direct", null), Clock.systemUTC()));
        assertTrue(refused.getMessage().contains("metadata-blob"), refused.getMessage());
    }

    private static WebAuthnConfig config(String policy, Path dir) {
        WebAuthnConfig.Attestation attestation = new WebAuthnConfig.Attestation() {
            public String policy() { return policy; }
            public Optional<Set<UUID>> allowedAaguids() { return Optional.empty(); }
            public Optional<Path> metadataBlob() { return Optional.ofNullable(dir).map(d -> d.resolve("blob.jwt")); }
            public Optional<Path> metadataTrustRoot() { return Optional.ofNullable(dir).map(d -> d.resolve("root.pem")); }
            public Optional<Path> metadataCrls() { return Optional.ofNullable(dir).map(d -> d.resolve("crls.pem")); }
            public String metadataLegalHeader() { return TestMetadata.LEGAL_HEADER; }
        };
        return new WebAuthnConfig() {
            public Optional<String> rpId() { return Optional.empty(); }
            public String rpName() { return "Latch"; }
            public Optional<Set<String>> origins() { return Optional.empty(); }
            public String userVerification() { return "preferred"; }
            public String residentKey() { return "preferred"; }
            public boolean allowSyncedPasskeys() { return false; }
            public Duration ceremonyTimeout() { return Duration.ofMinutes(5); }
            public boolean refuseSuspectedClones() { return true; }
            public Attestation attestation() { return attestation; }
        };
    }
}
