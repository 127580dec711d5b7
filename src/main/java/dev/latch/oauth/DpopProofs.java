package dev.latch.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.support.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks DPoP proofs (RFC 9449 §4.3): a fresh ES256 JWT of type {@code dpop+jwt}, signed with the
 * public key in its own header, for this method and URL, never seen before (jti remembered in
 * PostgreSQL, so a replay to another replica fails too), and, with an access token, carrying its
 * hash ({@code ath}). Returns the key's thumbprint, which tokens are bound to.
 */
@ApplicationScoped
public class DpopProofs {

    private static final JOSEObjectType DPOP = new JOSEObjectType("dpop+jwt");

    private final OAuthConfig config;
    private final EntityManager em;
    private final Clock clock;

    public DpopProofs(OAuthConfig config, EntityManager em, Clock clock) {
        this.config = config;
        this.em = em;
        this.clock = clock;
    }

    /**
     * Verifies the proofs a request carried: RFC 9449 §4.3 allows exactly one DPoP header, since
     * with two a server could check one while a proxy or log acts on the other.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String verify(java.util.List<String> proofs, String method, String url, String accessToken) {
        if (proofs != null && proofs.size() > 1) {
            throw OAuthException.invalidDpopProof("Send exactly one DPoP header (RFC 9449 §4.3).");
        }
        return verify(proofs == null || proofs.isEmpty() ? null : proofs.get(0), method, url, accessToken);
    }

    /**
     * Verifies a proof and returns its key's JWK SHA-256 thumbprint (RFC 7638).
     *
     * @param accessToken the access token the proof must be bound to, or null at the token endpoint
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String verify(String proof, String method, String url, String accessToken) {
        if (proof == null || proof.isBlank()) {
            throw OAuthException.invalidDpopProof("A DPoP proof is required (RFC 9449): send a DPoP header.");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(proof);
            if (!DPOP.equals(jwt.getHeader().getType()) || !JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
                throw OAuthException.invalidDpopProof("The DPoP proof must be an ES256 JWT of type dpop+jwt.");
            }
            JWK jwk = jwt.getHeader().getJWK();
            if (!(jwk instanceof ECKey key) || key.isPrivate()) {
                throw OAuthException.invalidDpopProof("The DPoP proof must carry its public EC key in the header.");
            }
            if (!jwt.verify(new ECDSAVerifier(key))) {
                throw OAuthException.invalidDpopProof("The DPoP proof's signature does not verify.");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!method.equalsIgnoreCase(claims.getStringClaim("htm")) || !url.equals(stripQuery(claims.getStringClaim("htu")))) {
                throw OAuthException.invalidDpopProof("The DPoP proof was made for another request (htm/htu).");
            }
            Instant now = clock.instant();
            Duration leeway = config.dpopLeeway();
            if (claims.getIssueTime() == null || claims.getIssueTime().toInstant().isBefore(now.minus(leeway))
                    || claims.getIssueTime().toInstant().isAfter(now.plus(leeway))) {
                throw OAuthException.invalidDpopProof("The DPoP proof is stale or from the future; check this computer's clock.");
            }
            if (accessToken != null) {
                String expected = Base64URL.encode(Secrets.sha256(accessToken.getBytes(StandardCharsets.US_ASCII))).toString();
                if (!expected.equals(claims.getStringClaim("ath"))) {
                    throw OAuthException.invalidDpopProof("The DPoP proof is not bound to this access token (ath).");
                }
            }
            String jti = claims.getJWTID();
            if (jti == null || jti.length() < 8 || jti.length() > 200) {
                throw OAuthException.invalidDpopProof("The DPoP proof needs a unique jti.");
            }
            remember(jti, now.plus(leeway).plus(leeway));
            return key.computeThumbprint().toString();
        } catch (ParseException | JOSEException e) {
            throw OAuthException.invalidDpopProof("The DPoP proof is malformed.");
        }
    }

    /** Forgets proof ids older than any proof that could still be accepted. */
    @Transactional
    public int purgeExpired() {
        return em.createNativeQuery("DELETE FROM dpop_proof WHERE expires_at < ?1").setParameter(1, clock.instant()).executeUpdate();
    }

    private void remember(String jti, Instant until) {
        int inserted = em.createNativeQuery("INSERT INTO dpop_proof (jti_hash, expires_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, Secrets.hash(jti))
                .setParameter(2, until)
                .executeUpdate();
        if (inserted != 1) {
            throw OAuthException.invalidDpopProof("This DPoP proof was already used.");
        }
    }

    private static String stripQuery(String url) {
        if (url == null) {
            return null;
        }
        int cut = url.indexOf('?');
        int hash = url.indexOf('#');
        int end = cut >= 0 ? cut : (hash >= 0 ? hash : url.length());
        return url.substring(0, end);
    }
}
