/**
 * People and their sessions: users, invitations (and the first administrator's bootstrap link),
 * server-side browser sessions, step-up freshness, groups, and offboarding.
 *
 * <p>A session is a row; the browser holds only a random 256-bit id in an HttpOnly cookie and the
 * row stores its SHA-256. {@link dev.latch.identity.SessionFilter} resolves the cookie on every
 * request, enforcing the idle and absolute timeouts, revocation and the user's status, and fills
 * {@link dev.latch.identity.CurrentSession}. Resources declare what they need with
 * {@link dev.latch.identity.SignedIn}, {@link dev.latch.identity.AdminOnly} and
 * {@link dev.latch.identity.StepUp}; the checks run on the server for every request.
 *
 * <p>Nobody gets an account by signing in somewhere else: accounts come only from a one-time
 * enrolment link (an admin's invitation, or the bootstrap link logged on first start), which ends
 * with the person registering a security key. Disabling a user fires {@link
 * dev.latch.identity.UserDisabled}; every feature that hands out access observes it and revokes
 * what it handed out (sessions here; refresh tokens, kubeconfig issuances and grants elsewhere).
 * Enrolling with the bootstrap link fires {@link dev.latch.identity.FirstAdministratorEnrolled},
 * which the dev-mode demo observes to put that person in its {@code dev-team}.
 */
package dev.latch.identity;
