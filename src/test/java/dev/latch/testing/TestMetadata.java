package dev.latch.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A FIDO Metadata Service of our own for tests: a root that signs the BLOB (with a CRL), an
 * attestation CA that vouches for a test key model, attestation certificates for the software
 * authenticator, and signed MDS3 BLOBs listing models with their status.
 */
public final class TestMetadata {

    public static final String LEGAL_HEADER = "Test metadata: for Latch's tests only.";

    public final KeyPair rootKey = ecKeys();
    public final X509Certificate root;
    public final X509CRL rootCrl;
    public final KeyPair signerKey = ecKeys();
    public final X509Certificate signer;
    public final KeyPair attestationCaKey;
    public final X509Certificate attestationCa;
    public final X509CRL attestationCaCrl;

    /** A model in the BLOB. */
    public record Model(UUID aaguid, String description, String status) {
    }

    public TestMetadata() {
        this(ecKeys());
    }

    /** Rebuilds the metadata PKI around a saved attestation CA (see {@link #readAttestationCa}). */
    private TestMetadata(KeyPair caKey) {
        this.attestationCaKey = caKey;
        try {
            root = certificate("CN=Latch Test MDS Root", rootKey, "CN=Latch Test MDS Root", rootKey.getPrivate(), true, null);
            signer = certificate("CN=Latch Test MDS Signer", signerKey, "CN=Latch Test MDS Root", rootKey.getPrivate(), false, null);
            attestationCa = certificate("CN=Latch Test Attestation CA", attestationCaKey, "CN=Latch Test Attestation CA",
                    attestationCaKey.getPrivate(), true, null);
            Date now = new Date();
            X509v2CRLBuilder crl = new X509v2CRLBuilder(new X500Name("CN=Latch Test MDS Root"), now);
            crl.setNextUpdate(Date.from(Instant.now().plus(365, ChronoUnit.DAYS)));
            rootCrl = new JcaX509CRLConverter().getCRL(crl.build(signerFor(rootKey.getPrivate())));
            X509v2CRLBuilder caCrl = new X509v2CRLBuilder(new X500Name("CN=Latch Test Attestation CA"), now);
            caCrl.setNextUpdate(Date.from(Instant.now().plus(365, ChronoUnit.DAYS)));
            attestationCaCrl = new JcaX509CRLConverter().getCRL(caCrl.build(signerFor(attestationCaKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An attestation certificate for a key of the given model (packed attestation, WebAuthn §8.2.1). */
    public X509Certificate attestationCertificate(KeyPair key, UUID aaguid) {
        try {
            return certificate("C=SE, O=Latch Test Keys, OU=Authenticator Attestation, CN=Latch Test Key", key,
                    "CN=Latch Test Attestation CA", attestationCaKey.getPrivate(), false, aaguid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the attestation CA written by {@link #write} as a TestMetadata that can issue attestation
     * certificates under it. Quarkus test profiles run in another class loader than the tests, so
     * the two sides share the CA through files.
     */
    public static TestMetadata readAttestationCa(Path dir) {
        try {
            java.security.KeyFactory ec = java.security.KeyFactory.getInstance("EC");
            KeyPair key = new KeyPair(
                    ec.generatePublic(new java.security.spec.X509EncodedKeySpec(Files.readAllBytes(dir.resolve("ca.pub")))),
                    ec.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("ca.key")))));
            TestMetadata metadata = new TestMetadata(key);
            return metadata;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes root.pem, crls.pem and blob.jwt (signed, listing the models) into {@code dir}. */
    public void write(Path dir, List<Model> models, String legalHeader) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("ca.key"), attestationCaKey.getPrivate().getEncoded());
        Files.write(dir.resolve("ca.pub"), attestationCaKey.getPublic().getEncoded());
        Files.writeString(dir.resolve("root.pem"), pem(root));
        Files.writeString(dir.resolve("crls.pem"), pem(rootCrl) + pem(attestationCaCrl));
        Files.writeString(dir.resolve("blob.jwt"), blob(models, legalHeader));
    }

    public String blob(List<Model> models, String legalHeader) {
        try {
            StringBuilder entries = new StringBuilder();
            for (Model model : models) {
                if (entries.length() > 0) {
                    entries.append(',');
                }
                entries.append("""
                        {"aaguid":"%s","metadataStatement":{"legalHeader":"%s","aaguid":"%s","description":"%s",
                        "authenticatorVersion":1,"protocolFamily":"fido2","schema":3,"upv":[{"major":1,"minor":0}],
                        "authenticationAlgorithms":["secp256r1_ecdsa_sha256_raw"],"publicKeyAlgAndEncodings":["cose"],
                        "attestationTypes":["basic_full"],"userVerificationDetails":[[{"userVerificationMethod":"presence_internal"}]],
                        "keyProtection":["hardware","secure_element"],"matcherProtection":["on_chip"],"cryptoStrength":128,
                        "attachmentHint":["external","wired"],"tcDisplay":[],
                        "attestationRootCertificates":["%s"]},
                        "statusReports":[{"status":"%s","effectiveDate":"2024-01-01"}],"timeOfLastStatusChange":"2024-01-01"}"""
                        .formatted(model.aaguid(), legalHeader, model.aaguid(), model.description(),
                                Base64.getEncoder().encodeToString(attestationCa.getEncoded()), model.status()));
            }
            String payload = """
                    {"legalHeader":"%s","no":42,"nextUpdate":"%s","entries":[%s]}"""
                    .formatted(legalHeader, LocalDate.now().plusDays(30), entries);
            String header = """
                    {"alg":"ES256","typ":"JWT","x5c":["%s"]}""".formatted(Base64.getEncoder().encodeToString(signer.getEncoded()));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String input = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            // Yubico's FidoMetadataDownloader verifies ES256 BLOB signatures in DER form, not JWS's r||s
            // (the real FIDO MDS signs with RS256, where the two agree), so the test BLOB is signed in DER
            Signature es256 = Signature.getInstance("SHA256withECDSA");
            es256.initSign(signerKey.getPrivate());
            es256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + url.encodeToString(es256.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer,
            java.security.PrivateKey issuerKey, boolean ca, UUID aaguid) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)),
                new X500Name(subject), subjectKey.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (aaguid != null) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(aaguid.getMostSignificantBits())
                    .putLong(aaguid.getLeastSignificantBits());
            // id-fido-gen-ce-aaguid: an OCTET STRING holding the 16-byte AAGUID
            builder.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.45724.1.1.4"), false,
                    new DEROctetString(bytes.array()));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signerFor(issuerKey)));
    }

    private static ContentSigner signerFor(java.security.PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
