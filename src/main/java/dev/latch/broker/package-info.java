/**
 * The credential broker: short AWS sessions assumed for a person and an access level, and what is
 * made from them: CLI credentials ({@code credential_process}), console sign-in links and, for
 * {@code kube}, EKS tokens ({@link dev.latch.broker.EksTokenSigner}).
 *
 * <p>{@link dev.latch.broker.RoleSessions} assumes the level's role with the person's name as
 * RoleSessionName and SourceIdentity, and caches each session under what allowed it: a grant, or
 * standing access to a level. A session never ends after that grant, and the cache reads the
 * grant's row in PostgreSQL at every use ({@link dev.latch.broker.AllowingGrants}), so a grant
 * ended on any replica stops its sessions on all of them. The access feature never calls the
 * broker; the database carries the news. Refusals are audited in a transaction of their own.
 *
 * <p>Production used from the terminal needs a key touch on the helper's login, one rule for CLI
 * credentials, console links and EKS tokens ({@link dev.latch.broker.TerminalProduction}).
 */
package dev.latch.broker;
