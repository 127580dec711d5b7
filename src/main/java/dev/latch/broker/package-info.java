/**
 * The credential broker: short AWS sessions assumed for a person and an access level, and the
 * tokens made from them. Today it holds role sessions ({@link dev.latch.broker.RoleSessions}: AssumeRole
 * with the person's name as RoleSessionName and SourceIdentity, session tags, a per-(person, role)
 * cache with single flight) and the EKS token format ({@link dev.latch.broker.EksTokenSigner});
 * issuances, token mints, {@code credential_process} and console sign-in come with issue 6.
 * Production used from the terminal needs a key touch on the helper's login, one rule for all
 * three ({@link dev.latch.broker.TerminalProduction}).
 */
package dev.latch.broker;
