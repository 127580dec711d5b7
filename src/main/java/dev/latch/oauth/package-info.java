/**
 * Latch as an OAuth 2.0 authorization server for its own clients: the device authorization grant
 * (RFC 8628) that authorises the {@code latch} helper with one key touch, rotating refresh tokens
 * (RFC 9700 §4.14), DPoP-bound access tokens (RFC 9449), discovery and JWKS.
 *
 * <p>How it fits together: the helper asks {@code /oauth/device_authorization} for a device code
 * (random, stored hashed) and a user code (8 letters from a 20-letter alphabet, RFC 8628 §6.1).
 * The person opens {@code /device}, checks what is asking, and approves with a fresh key touch.
 * Typing codes there is limited per person and per address before the lookup, and wrong entries
 * close to a pending code end it (RFC 8628 §5.1, {@link dev.latch.oauth.DeviceFlow#countWrongEntry}).
 * The helper polls {@code /oauth/token} with a DPoP proof made with a key pair it generated at
 * login; on approval it receives a 10-minute access token (an ES256 JWT whose {@code cnf.jkt}
 * names that key) and an opaque refresh token. A refresh token works once: each use returns a
 * new one in the same family, and presenting a spent one revokes the whole family (it means the
 * token was copied). Families end at the session's absolute end (12 h by default), on logout,
 * on revocation from the profile, and when the user is disabled. A family also records the key
 * touch that allows production from that terminal ({@link dev.latch.oauth.TerminalTouches},
 * confirmed on {@code /terminal/touch}).
 *
 * <p>Verification of the portal's own tokens and of DPoP proofs happens in one place
 * ({@link dev.latch.oauth.ApiAuthentication}) with nimbus-jose-jwt rather than Quarkus OIDC:
 * the portal is its own issuer, so an OIDC tenant would have to fetch the portal's discovery
 * document from itself while starting, and Quarkus OIDC's DPoP support does not cover the token
 * endpoint, where proofs must be checked too. Every replica reads keys, codes, families and
 * seen proof ids from PostgreSQL, so any replica can serve any step.
 */
package dev.latch.oauth;
