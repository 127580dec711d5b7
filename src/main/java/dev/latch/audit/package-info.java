/**
 * The audit log: an append-only, hash-chained record of every security event.
 *
 * <p>Features call {@link dev.latch.audit.AuditLog#record(AuditEntry)} inside the transaction of
 * the change they describe, so the event and the change commit (or roll back) together. Each row
 * carries {@code hash = SHA-256(prev_hash || canonical content)} where the canonical content is a
 * fixed-order JSON rendering of every column ({@link dev.latch.audit.AuditChain}); the first row
 * chains to 32 zero bytes. Writers take a transaction-scoped PostgreSQL advisory lock before
 * reading the chain head, so any number of threads and replicas append one linear chain; the lock
 * is held until commit, which is why callers record their event last. A database trigger refuses
 * UPDATE, DELETE and TRUNCATE, and the portal's database role has only INSERT and SELECT on the
 * table (Flyway migrates as a separate owner role). {@link dev.latch.audit.AuditVerifier} walks
 * the chain and reports the first row that no longer matches, which is what catches someone with
 * enough privilege to bypass the trigger. An edit breaks a hash; deleting the newest rows leaves a
 * shorter chain that is valid in itself, so {@link dev.latch.audit.AuditCheckpoints} signs the head
 * every few minutes (with the JWKS key, through {@link dev.latch.audit.CheckpointSigner}) and the
 * verifier requires the chain to reach the newest checkpoint.
 *
 * <p>Never put secrets (tokens, codes, session ids, keys) into an entry: details are for ids,
 * names and reasons.
 */
package dev.latch.audit;
