/**
 * WebAuthn: the relying party, its credential repository and the ceremony store.
 *
 * <p>Today it holds the "Check your security key" page, a browser-only diagnostic that asks a
 * key for a throw-away, non-discoverable credential (no slot used on the key, nothing sent to
 * the portal) and shows what the key reports. Registration and sign-in build on the same glue.
 */
package dev.latch.webauthn;
