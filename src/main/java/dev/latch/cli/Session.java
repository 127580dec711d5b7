package dev.latch.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/** One portal's sign-in as stored on disk: tokens, DPoP key, who and until when. */
record Session(String portal, String username, String accessToken, Instant accessExpiresAt, String refreshToken,
        Instant sessionEndsAt, DpopSigner dpop) {

    static Session fromTokens(String portal, PortalClient.Answer tokens, DpopSigner dpop, Instant now) {
        String access = tokens.string("access_token");
        String username = String.valueOf(claims(access).getOrDefault("preferred_username", "?"));
        String ends = tokens.string("session_expires_at");
        return new Session(portal, username, access, now.plusSeconds(tokens.number("expires_in", 600)),
                tokens.string("refresh_token"), ends == null ? now.plusSeconds(12 * 3600) : Instant.parse(ends), dpop);
    }

    static Session fromProperties(String portal, Properties p) {
        try {
            return new Session(portal, p.getProperty("username"), p.getProperty("access_token"),
                    Instant.parse(p.getProperty("access_expires_at")), p.getProperty("refresh_token"),
                    Instant.parse(p.getProperty("session_ends_at")),
                    DpopSigner.restore(p.getProperty("dpop_private_key"), p.getProperty("dpop_public_key")));
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
        p.setProperty("access_expires_at", accessExpiresAt.toString());
        p.setProperty("refresh_token", refreshToken);
        p.setProperty("session_ends_at", sessionEndsAt.toString());
        p.setProperty("dpop_private_key", dpop.privateKeyBase64());
        p.setProperty("dpop_public_key", dpop.publicKeyBase64());
        return p;
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
