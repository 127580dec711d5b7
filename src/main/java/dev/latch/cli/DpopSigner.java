package dev.latch.cli;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The helper's DPoP key (RFC 9449): a P-256 key pair made at login, kept in the state file, and
 * the proofs it signs for every token-endpoint and API request. JDK crypto only.
 */
final class DpopSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private DpopSigner(KeyPair keys) {
        this.keys = keys;
    }

    static DpopSigner generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new DpopSigner(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new CliException("This Java runtime cannot make P-256 keys: " + e.getMessage());
        }
    }

    /** Restores a key from its stored form (PKCS#8 and X.509, base64). */
    static DpopSigner restore(String privateKey, String publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new DpopSigner(new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CliException("The stored sign-in key is damaged; run `latch login` again.");
        }
    }

    String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** A proof for one request; {@code accessToken} binds it to a token for API calls. */
    String proof(String method, String url, String accessToken, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", "ES256");
        header.put("jwk", jwk());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", method);
        claims.put("htu", url);
        claims.put("iat", now.getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", B64.encodeToString(sha256(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        String signingInput = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            // P1363 gives the raw r||s form JWS wants (RFC 7518 §3.4), not DER
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign((ECPrivateKey) keys.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new CliException("Could not sign a DPoP proof: " + e.getMessage());
        }
    }

    /** The public key as a JWK, members in the order RFC 7638 hashes them. */
    Map<String, Object> jwk() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("crv", "P-256");
        jwk.put("kty", "EC");
        jwk.put("x", B64.encodeToString(unsigned32(key.getW().getAffineX())));
        jwk.put("y", B64.encodeToString(unsigned32(key.getW().getAffineY())));
        return jwk;
    }

    /** RFC 7638 thumbprint, as the portal binds tokens to it. */
    String thumbprint() {
        return B64.encodeToString(sha256(Json.write(jwk()).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
        return fixed;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
