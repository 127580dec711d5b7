package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The helper's hand-written DPoP proofs, checked with an independent JOSE library. */
class DpopSignerTest {

    @Test
    void proofsVerifyAndNameTheirKeyRequestAndToken() throws Exception {
        DpopSigner signer = DpopSigner.generate();
        String proof = signer.proof("GET", "https://latch.example.com/api/v1/me", "the-token", Instant.parse("2026-11-24T10:00:00Z"));
        SignedJWT jwt = SignedJWT.parse(proof);
        assertEquals("dpop+jwt", jwt.getHeader().getType().getType());
        ECKey key = (ECKey) jwt.getHeader().getJWK();
        assertTrue(jwt.verify(new ECDSAVerifier(key)));
        assertEquals("GET", jwt.getJWTClaimsSet().getStringClaim("htm"));
        assertEquals("https://latch.example.com/api/v1/me", jwt.getJWTClaimsSet().getStringClaim("htu"));
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), jwt.getJWTClaimsSet().getIssueTime().toInstant());
        assertEquals(key.computeThumbprint().toString(), signer.thumbprint());
        assertEquals("SmAwwIyKIJIVmmcP0nEBPrtz3nlRpj8xRkzzAqtiYyI".length(), jwt.getJWTClaimsSet().getStringClaim("ath").length());
    }

    @Test
    void aStoredKeyMakesTheSameThumbprint() {
        DpopSigner signer = DpopSigner.generate();
        DpopSigner restored = DpopSigner.restore(signer.privateKeyBase64(), signer.publicKeyBase64());
        assertEquals(signer.thumbprint(), restored.thumbprint());
    }
}
