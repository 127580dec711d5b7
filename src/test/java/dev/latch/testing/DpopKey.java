package dev.latch.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** A client's DPoP key pair (RFC 9449), making proofs the way the helper does. */
public final class DpopKey {

    public static final String ORIGIN = "http://localhost:8081";

    private final ECKey key;

    public DpopKey() {
        try {
            this.key = new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for a token-endpoint call. */
    public String proof(String method, String path) {
        return proof(method, ORIGIN + path, null, TestClock.now(), UUID.randomUUID().toString());
    }

    /** A proof for an API call with an access token. */
    public String proof(String method, String path, String accessToken) {
        return proof(method, ORIGIN + path, accessToken, TestClock.now(), UUID.randomUUID().toString());
    }

    public String proof(String method, String url, String accessToken, Instant issuedAt, String jti) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("htm", method).claim("htu", url)
                    .issueTime(Date.from(issuedAt)).jwtID(jti);
            if (accessToken != null) {
                claims.claim("ath", Base64URL.encode(MessageDigest.getInstance("SHA-256")
                        .digest(accessToken.getBytes(StandardCharsets.US_ASCII))).toString());
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(key.toPublicJWK()).build(), claims.build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String thumbprint() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
