/**
 * The credential broker: short AWS sessions assumed for a person and an access level, and the
 * tokens made from them. Today it holds the EKS token format ({@link dev.latch.broker.EksTokenSigner});
 * role assumption with SourceIdentity, caching and single-flight, {@code credential_process} and
 * console sign-in come with issue 6.
 */
package dev.latch.broker;
