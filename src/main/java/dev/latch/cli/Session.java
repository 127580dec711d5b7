package dev.latch.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * One portal's sign-in as stored on disk: tokens, DPoP key, who and until when. The DPoP key is
 * kept in its stored form and only rebuilt when a request needs it: loading EC key material costs
 * tens of milliseconds that {@code latch status} does not need to spend.
 */
record Session(String portal, String username, String accessToken, Instant accessExpiresAt, String refreshToken,
        Instant sessionEndsAt, String dpopPrivateKey, String dpopPublicKey) {

    static Session fromTokens(String portal, PortalClient.Answer tokens, DpopSigner dpop, Instant now) {
        String access = tokens.string("access_token");
        String username = String.valueOf(claims(access).getOrDefault("preferred_username", "?"));
        String ends = tokens.string("session_expires_at");
        return new Session(portal, username, access, now.plusSeconds(tokens.number("expires_in", 600)),
                tokens.string("refresh_token"), ends == null ? now.plusSeconds(12 * 3600) : Instant.parse(ends),
                dpop.privateKeyBase64(), dpop.publicKeyBase64());
    }

    /** The DPoP key this sign-in's tokens are bound to. */
    DpopSigner dpop() {
        return DpopSigner.restore(dpopPrivateKey, dpopPublicKey);
    }

    static Session fromProperties(String portal, Properties p) {
        try {
            if (p.getProperty("dpop_private_key") == null || p.getProperty("dpop_public_key") == null) {
                throw new CliException("The stored sign-in for " + portal + " is damaged; run `latch login` again.");
            }
            return new Session(portal, p.getProperty("username"), p.getProperty("access_token"),
                    instant(p.getProperty("access_expires_at")), p.getProperty("refresh_token"),
                    instant(p.getProperty("session_ends_at")), p.getProperty("dpop_private_key"),
                    p.getProperty("dpop_public_key"));
        } catch (RuntimeException e) {
            if (e instanceof CliException cli) {
                throw cli;
            }
            throw new CliException("The stored sign-in for " + portal + " is damaged; run `latch login` again.");
        }
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("portal", portal);
        p.setProperty("username", username);
        p.setProperty("access_token", accessToken);
        p.setProperty("access_expires_at", Long.toString(accessExpiresAt.getEpochSecond()));
        p.setProperty("refresh_token", refreshToken);
        p.setProperty("session_ends_at", Long.toString(sessionEndsAt.getEpochSecond()));
        p.setProperty("dpop_private_key", dpopPrivateKey);
        p.setProperty("dpop_public_key", dpopPublicKey);
        return p;
    }

    /** Times are stored as epoch seconds: parsing ISO text would load java.time's formatters at every start. */
    private static Instant instant(String epochSeconds) {
        return Instant.ofEpochSecond(Long.parseLong(epochSeconds.trim()));
    }

    boolean ended(Instant now) {
        return !now.isBefore(sessionEndsAt);
    }

    /** The access token's claims (not verified: the portal verifies; the helper only reads them). */
    static Map<String, Object> claims(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            return Map.of();
        }
        try {
            return Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }
}
