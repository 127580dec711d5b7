package dev.latch.oauth;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of signing keys at rest: AES-256-GCM under a key-encryption key (KEK) from
 * configuration, with the key id as associated data so a ciphertext cannot be moved to another
 * row. Each ciphertext records which KEK made it, so KEKs can be rotated.
 */
@ApplicationScoped
public class KeyEncryption {

    private static final int IV_BYTES = 12;

    private final byte[] current;
    private final String currentId;
    private final Map<String, byte[]> known = new HashMap<>();

    public KeyEncryption(OAuthConfig config) {
        byte[] kek = config.keyEncryptionKey().map(KeyEncryption::decode).orElseGet(KeyEncryption::developmentKey);
        this.current = kek;
        this.currentId = idOf(kek);
        known.put(currentId, kek);
        config.previousKeyEncryptionKeys().ifPresent(keys -> keys.forEach(k -> {
            byte[] previous = decode(k);
            known.put(idOf(previous), previous);
        }));
    }

    /** A ciphertext and the id of the KEK that made it. */
    public record Sealed(byte[] ciphertext, String kekId) {
    }

    public Sealed seal(byte[] plaintext, String associatedData) {
        try {
            byte[] iv = dev.latch.support.Secrets.randomBytes(IV_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(current, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return new Sealed(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array(), currentId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a signing key", e);
        }
    }

    public byte[] open(byte[] ciphertext, String kekId, String associatedData) {
        byte[] kek = known.get(kekId);
        if (kek == null) {
            throw new IllegalStateException("A signing key is encrypted under key-encryption key " + kekId
                    + ", which is not configured (latch.oauth.key-encryption-key / previous-key-encryption-keys).");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, ciphertext, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(ciphertext, IV_BYTES, ciphertext.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A signing key could not be decrypted: wrong key-encryption key or altered row", e);
        }
    }

    private static byte[] decode(String base64) {
        byte[] key = Base64.getDecoder().decode(base64.trim());
        if (key.length != 32) {
            throw new IllegalArgumentException("latch.oauth.key-encryption-key must be base64 of exactly 32 random bytes");
        }
        return key;
    }

    /** Dev mode and tests only; production must configure a real KEK. */
    private static byte[] developmentKey() {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("latch.oauth.key-encryption-key is required in production "
                    + "(LATCH_OAUTH_KEY_ENCRYPTION_KEY: base64 of 32 random bytes, e.g. `openssl rand -base64 32`)");
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest("latch development key-encryption key".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idOf(byte[] kek) {
        try {
            return "kek-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kek), 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
