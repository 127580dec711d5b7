package dev.latch.kube;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.identity.User;
import dev.latch.oauth.AccessTokens;
import dev.latch.oauth.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * ID tokens for generic (non-EKS) clusters whose API server trusts the portal as an OIDC issuer
 * ({@code --oidc-issuer-url=<portal>}, {@code --oidc-client-id=<context name>},
 * {@code --oidc-groups-claim=groups}, {@code --oidc-signing-algs=ES256}). Signed with the same
 * published keys as the helper's access tokens, but with another type and audience, so neither
 * is accepted where the other is meant.
 */
@ApplicationScoped
public class ClusterIdTokens {

    private final SigningKeys keys;
    private final AccessTokens accessTokens;

    public ClusterIdTokens(SigningKeys keys, AccessTokens accessTokens) {
        this.keys = keys;
        this.accessTokens = accessTokens;
    }

    /** The audience a cluster's API server expects: its context name (its OIDC client id). */
    static String audience(Issuance issuance) {
        return issuance.cluster.contextName;
    }

    String sign(User user, Issuance issuance, Instant now, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(accessTokens.issuer())
                .subject(user.username)
                .audience(audience(issuance))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .claim("email", user.email)
                .claim("name", user.displayName)
                .claim("groups", issuance.level.kubernetesGroups)
                .claim("latch_issuance", issuance.id.toString())
                .build();
        ECKey key = keys.signingKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a cluster ID token", e);
        }
    }
}
