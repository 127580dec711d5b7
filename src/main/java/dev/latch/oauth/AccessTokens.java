package dev.latch.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.web.PortalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Access tokens: ES256 JWTs ({@code typ: at+jwt}, RFC 9068) issued by the portal for the Latch
 * API, naming the user ({@code sub}), the helper login ({@code sid}, the refresh-token family)
 * and the DPoP key they are bound to ({@code cnf.jkt}, RFC 9449 §6).
 */
@ApplicationScoped
public class AccessTokens {

    public static final String AUDIENCE = "latch-api";
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final OAuthConfig config;
    private final PortalConfig portal;
    private final Clock clock;

    public AccessTokens(SigningKeys keys, OAuthConfig config, PortalConfig portal, Clock clock) {
        this.keys = keys;
        this.config = config;
        this.portal = portal;
        this.clock = clock;
    }

    /** The verified content of an access token. */
    public record Claims(UUID userId, String username, UUID familyId, String jkt, Instant expiresAt, String clientId) {
    }

    public String issue(UUID userId, String username, UUID familyId, String jkt, String clientId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(userId.toString())
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTokenLifetime())))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", familyId.toString())
                .claim("client_id", clientId)
                .claim("preferred_username", username)
                .claim("cnf", Map.of("jkt", jkt))
                .build();
        ECKey key = keys.signingKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(AT_JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }

    /** Verifies signature, type, issuer, audience and lifetime; empty when any check fails. */
    public Optional<Claims> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !AT_JWT.equals(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            Optional<ECKey> key = keys.verificationKey(jwt.getHeader().getKeyID());
            if (key.isEmpty() || !jwt.verify(new ECDSAVerifier(key.get()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Instant expires = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
            Duration skew = Duration.ofSeconds(30);
            if (!issuer().equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)
                    || expires == null || !now.isBefore(expires.plus(skew))
                    || (claims.getNotBeforeTime() != null && now.plus(skew).isBefore(claims.getNotBeforeTime().toInstant()))) {
                return Optional.empty();
            }
            Object cnf = claims.getClaim("cnf");
            String jkt = cnf instanceof Map<?, ?> map && map.get("jkt") instanceof String s ? s : null;
            if (jkt == null) {
                return Optional.empty();
            }
            return Optional.of(new Claims(UUID.fromString(claims.getSubject()), claims.getStringClaim("preferred_username"),
                    UUID.fromString(claims.getStringClaim("sid")), jkt, expires, claims.getStringClaim("client_id")));
        } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    public String issuer() {
        return portal.publicOrigin();
    }
}
