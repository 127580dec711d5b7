package dev.latch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A FIDO2 authenticator in software for API tests: real P-256 keys, real CBOR attestation
 * objects (fmt {@code none}) and real signed assertions, so the portal's relying party verifies
 * them exactly as it verifies a YubiKey's. Its knobs produce each kind of bad answer a test needs.
 */
public final class SoftwareAuthenticator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A credential the authenticator holds. */
    public static final class Credential {
        public final byte[] id;
        public final KeyPair keys;
        public final byte[] userHandle;
        public final String rpId;
        public long counter;

        Credential(byte[] id, KeyPair keys, byte[] userHandle, String rpId) {
            this.id = id;
            this.keys = keys;
            this.userHandle = userHandle;
            this.rpId = rpId;
        }
    }

    private final List<Credential> credentials = new ArrayList<>();
    private String origin = "http://localhost:8081";
    private boolean crossOrigin;
    private String topOrigin;
    private byte[] claimedCredentialId;
    private byte[] attestedCredentialId;
    private String rpIdForHash;
    private boolean userPresent = true;
    private boolean userVerified = true;
    private boolean backupEligible;
    private Long nextCounter;
    private java.security.cert.X509Certificate attestationCertificate;
    private java.security.PrivateKey attestationKey;
    private java.util.UUID aaguid;

    /**
     * Registers with "packed" attestation signed by this certificate's key, and reports this model
     * (AAGUID), as a hardware key from a known maker does.
     */
    public SoftwareAuthenticator packedAttestation(java.security.cert.X509Certificate certificate, java.security.PrivateKey key,
            java.util.UUID model) {
        this.attestationCertificate = certificate;
        this.attestationKey = key;
        this.aaguid = model;
        return this;
    }

    /** Reports this model (AAGUID) without attestation. */
    public SoftwareAuthenticator model(java.util.UUID model) {
        this.aaguid = model;
        return this;
    }

    /** The origin the "browser" reports in clientDataJSON. */
    public SoftwareAuthenticator origin(String origin) {
        this.origin = origin;
        return this;
    }

    /** Reports {@code crossOrigin} (and, when not null, {@code topOrigin}) in clientDataJSON, as a framed page's browser does. */
    public SoftwareAuthenticator framedIn(boolean crossOrigin, String topOrigin) {
        this.crossOrigin = crossOrigin;
        this.topOrigin = topOrigin;
        return this;
    }

    /** Registers with this id as the credential's outer id, while the attested id stays the real one (a lying client). */
    public SoftwareAuthenticator claimCredentialId(byte[] id) {
        this.claimedCredentialId = id;
        return this;
    }

    /** Registers a new key pair under this credential id, outer and attested alike (e.g. an id already registered). */
    public SoftwareAuthenticator attestCredentialId(byte[] id) {
        this.attestedCredentialId = id;
        return this;
    }

    /** Hashes this RP id into authenticator data instead of the requested one (a phishing site's). */
    public SoftwareAuthenticator rpIdForHash(String rpId) {
        this.rpIdForHash = rpId;
        return this;
    }

    /** Clears or sets the user-presence flag (UP). */
    public SoftwareAuthenticator userPresent(boolean present) {
        this.userPresent = present;
        return this;
    }

    /** Clears or sets the user-verified flag (UV). */
    public SoftwareAuthenticator userVerified(boolean verified) {
        this.userVerified = verified;
        return this;
    }

    /** Sets the backup-eligible flag (BE), as a synced passkey (iCloud Keychain, Google Password Manager) does. */
    public SoftwareAuthenticator backupEligible(boolean eligible) {
        this.backupEligible = eligible;
        return this;
    }

    /** Reports this signature counter in the next assertion (e.g. lower than before, as a clone would). */
    public SoftwareAuthenticator counter(long counter) {
        this.nextCounter = counter;
        return this;
    }

    public List<Credential> credentials() {
        return credentials;
    }

    /** Answers {@code navigator.credentials.create} for the given {@code publicKey} options. */
    public String register(JsonNode options) {
        try {
            String rpId = options.path("rp").path("id").asText();
            byte[] userHandle = B64D.decode(options.path("user").path("id").asText());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            Credential credential = new Credential(
                    attestedCredentialId != null ? attestedCredentialId : dev.latch.support.Secrets.randomBytes(32), generator.generateKeyPair(), userHandle, rpId);
            byte[] clientData = clientData("webauthn.create", options.path("challenge").asText());
            byte[] cose = coseKey((ECPublicKey) credential.keys.getPublic());
            byte[] authData = ByteBuffer.allocate(37 + 16 + 2 + credential.id.length + cose.length)
                    .put(rpIdHash(rpId)).put(flags(true)).putInt(0)
                    .put(aaguidBytes()).putShort((short) credential.id.length).put(credential.id).put(cose)
                    .array();
            credentials.add(credential);
            ObjectNode response = JSON.createObjectNode();
            response.put("clientDataJSON", B64.encodeToString(clientData));
            response.put("attestationObject", B64.encodeToString(attestationObject(authData, clientData)));
            response.putArray("transports").add("usb");
            return credentialJson(claimedCredentialId != null ? claimedCredentialId : credential.id, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers {@code navigator.credentials.get}: with the first allowed credential, or any for the RP when none is named. */
    public String assertion(JsonNode options) {
        String rpId = options.path("rpId").asText();
        List<String> allowed = new ArrayList<>();
        options.path("allowCredentials").forEach(c -> allowed.add(c.path("id").asText()));
        Credential credential = credentials.stream()
                .filter(c -> c.rpId.equals(rpId))
                .filter(c -> allowed.isEmpty() || allowed.contains(B64.encodeToString(c.id)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("this authenticator holds no credential for that request"));
        return assertion(options, credential);
    }

    /** Answers with a chosen credential, even one the request did not ask for. */
    public String assertion(JsonNode options, Credential credential) {
        try {
            credential.counter = nextCounter != null ? nextCounter : credential.counter + 1;
            nextCounter = null;
            byte[] clientData = clientData("webauthn.get", options.path("challenge").asText());
            byte[] authData = ByteBuffer.allocate(37).put(rpIdHash(credential.rpId)).put(flags(false))
                    .putInt((int) credential.counter).array();
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(credential.keys.getPrivate());
            signer.update(authData);
            signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
            ObjectNode response = JSON.createObjectNode();
            response.put("clientDataJSON", B64.encodeToString(clientData));
            response.put("authenticatorData", B64.encodeToString(authData));
            response.put("signature", B64.encodeToString(signer.sign()));
            response.put("userHandle", B64.encodeToString(credential.userHandle));
            return credentialJson(credential.id, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] clientData(String type, String challenge) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("type", type);
        data.put("challenge", challenge);
        data.put("origin", origin);
        data.put("crossOrigin", crossOrigin);
        if (topOrigin != null) {
            data.put("topOrigin", topOrigin);
        }
        return JSON.writeValueAsBytes(data);
    }

    private byte[] rpIdHash(String rpId) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest((rpIdForHash != null ? rpIdForHash : rpId).getBytes(StandardCharsets.UTF_8));
    }

    private byte flags(boolean attestedData) {
        int flags = (userPresent ? 0x01 : 0) | (userVerified ? 0x04 : 0) | (backupEligible ? 0x08 : 0) | (attestedData ? 0x40 : 0);
        return (byte) flags;
    }

    private static String credentialJson(byte[] id, ObjectNode response) throws IOException {
        ObjectNode credential = JSON.createObjectNode();
        credential.put("type", "public-key");
        credential.put("id", B64.encodeToString(id));
        credential.put("rawId", B64.encodeToString(id));
        credential.set("response", response);
        credential.putObject("clientExtensionResults");
        return JSON.writeValueAsString(credential);
    }

    /** COSE_Key of an EC2 P-256 public key (RFC 9053): kty 2, alg -7, crv 1, x, y. */
    static byte[] coseKey(ECPublicKey key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator cbor = new CBORFactory().createGenerator(out)) {
            cbor.writeStartObject(5);
            cbor.writeFieldId(1);
            cbor.writeNumber(2);
            cbor.writeFieldId(3);
            cbor.writeNumber(-7);
            cbor.writeFieldId(-1);
            cbor.writeNumber(1);
            cbor.writeFieldId(-2);
            cbor.writeBinary(unsigned32(key.getW().getAffineX()));
            cbor.writeFieldId(-3);
            cbor.writeBinary(unsigned32(key.getW().getAffineY()));
            cbor.writeEndObject();
        }
        return out.toByteArray();
    }

    private byte[] aaguidBytes() {
        if (aaguid == null) {
            return new byte[16];
        }
        return ByteBuffer.allocate(16).putLong(aaguid.getMostSignificantBits()).putLong(aaguid.getLeastSignificantBits()).array();
    }

    /** fmt "none", or "packed" with an x5c chain when an attestation certificate is set (WebAuthn §8.2). */
    private byte[] attestationObject(byte[] authData, byte[] clientData) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator cbor = new CBORFactory().createGenerator(out)) {
            cbor.writeStartObject(3);
            cbor.writeFieldName("fmt");
            cbor.writeString(attestationCertificate == null ? "none" : "packed");
            cbor.writeFieldName("attStmt");
            if (attestationCertificate == null) {
                cbor.writeStartObject(0);
            } else {
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(attestationKey);
                signer.update(authData);
                signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
                cbor.writeStartObject(3);
                cbor.writeFieldName("alg");
                cbor.writeNumber(-7);
                cbor.writeFieldName("sig");
                cbor.writeBinary(signer.sign());
                cbor.writeFieldName("x5c");
                cbor.writeStartArray(1);
                cbor.writeBinary(attestationCertificate.getEncoded());
                cbor.writeEndArray();
            }
            cbor.writeEndObject();
            cbor.writeFieldName("authData");
            cbor.writeBinary(authData);
            cbor.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
        return fixed;
    }
}
