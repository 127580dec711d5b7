package dev.latch.webauthn.attestation;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import dev.latch.testing.SoftwareAuthenticator;
import dev.latch.testing.TestMetadata;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attestation policy {@code direct} with an allow-list, against a FIDO metadata BLOB signed by a
 * test root: approved, attested models register; anything else is refused with the rule it broke.
 */
@QuarkusTest
@TestProfile(DirectAttestationTest.Direct.class)
class DirectAttestationTest {

    static final UUID APPROVED = UUID.fromString("5c1a0000-0000-4000-8000-00000000a001");
    static final UUID TRUSTED_NOT_LISTED = UUID.fromString("5c1a0000-0000-4000-8000-00000000a002");
    static final UUID REVOKED = UUID.fromString("5c1a0000-0000-4000-8000-00000000a003");
    /** Where the profile wrote the metadata and the attestation CA; a JVM-wide property crosses class loaders. */
    static final String DIR_PROPERTY = "latch.test.mds-dir";

    public static class Direct implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                // Quarkus may ask a profile for its config more than once: make the metadata only once
                String existing = System.getProperty(DIR_PROPERTY);
                Path dir = existing != null ? Path.of(existing) : Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mds-");
                System.setProperty(DIR_PROPERTY, dir.toString());
                if (existing == null) {
                    new TestMetadata().write(dir, List.of(
                            new TestMetadata.Model(APPROVED, "Latch Test Key 5", "FIDO_CERTIFIED"),
                            new TestMetadata.Model(TRUSTED_NOT_LISTED, "Latch Test Key Lite", "FIDO_CERTIFIED"),
                            new TestMetadata.Model(REVOKED, "Latch Test Key Broken", "REVOKED")), TestMetadata.LEGAL_HEADER);
                }
                return Map.of(
                        "latch.webauthn.attestation.policy", "direct",
                        "latch.webauthn.attestation.allowed-aaguids", APPROVED + "," + REVOKED,
                        "latch.webauthn.attestation.metadata-blob", dir.resolve("blob.jwt").toString(),
                        "latch.webauthn.attestation.metadata-trust-root", dir.resolve("root.pem").toString(),
                        "latch.webauthn.attestation.metadata-crls", dir.resolve("crls.pem").toString(),
                        "latch.webauthn.attestation.metadata-legal-header", TestMetadata.LEGAL_HEADER);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    Invitations invitations;

    @Inject
    Fixtures fixtures;

    @Inject
    CompromisedKeyScan scan;

    @Test
    void anApprovedAttestedModelRegistersAndIsNamedFromTheMetadata() {
        String username = Fixtures.username("attested");
        Response done = enrol(username, attested(APPROVED));
        done.then().statusCode(200);
        String session = done.cookie("latch-session");
        as(session).get("/profile").then().statusCode(200).body(containsString("Latch Test Key 5"));
    }

    @Test
    void aTrustedModelThatIsNotOnTheAllowListIsRefusedNamingTheRule() {
        String username = Fixtures.username("unlisted");
        enrol(username, attested(TRUSTED_NOT_LISTED)).then().statusCode(400)
                .body("type", equalTo("https://latch.dev/problems/attestation-refused"))
                .body("detail", containsString("attestation allow-list"))
                .body("detail", containsString("Latch Test Key Lite"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElse(null)));
    }

    @Test
    void aKeyWithoutAttestationIsRefusedUnderDirect() {
        enrol(Fixtures.username("unattested"), new SoftwareAuthenticator().model(APPROVED)).then().statusCode(400)
                .body("detail", containsString("attestation policy: direct"));
    }

    @Test
    void aModelReportedCompromisedIsRefusedEvenWhenListed() {
        enrol(Fixtures.username("revoked"), attested(REVOKED)).then().statusCode(400)
                .body("detail", containsString("reported compromised"))
                .body("detail", containsString("REVOKED"));
    }

    @Test
    void alreadyRegisteredKeysOfACompromisedModelAreFlagged() {
        User user = fixtures.user("oldkey", false);
        WebAuthnCredential key = fixtures.storedKey(user, "Old key");
        QuarkusTransaction.requiringNew().run(() -> WebAuthnCredential.update("aaguid = ?1 where id = ?2", REVOKED, key.id));
        scan.scan();
        assertEquals("REVOKED", QuarkusTransaction.requiringNew().call(() ->
                WebAuthnCredential.<WebAuthnCredential>findById(key.id).compromisedReason));
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).get("/admin/users").then().statusCode(200).body(containsString("Security keys need attention"))
                .body(containsString(user.username));
    }

    private static SoftwareAuthenticator attested(UUID model) {
        KeyPair attestationKey = TestMetadata.ecKeys();
        TestMetadata metadata = TestMetadata.readAttestationCa(Path.of(System.getProperty(DIR_PROPERTY)));
        return new SoftwareAuthenticator().packedAttestation(metadata.attestationCertificate(attestationKey, model),
                attestationKey.getPrivate(), model);
    }

    private Response enrol(String username, SoftwareAuthenticator key) {
        String url = invitations.invite(new Invitations.Request(username, null, null, false), null).url();
        String token = url.substring(url.lastIndexOf('/') + 1);
        JsonNode started = anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).body("publicKey.attestation", equalTo("direct")).extract().as(JsonNode.class);
        return anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish");
    }
}
