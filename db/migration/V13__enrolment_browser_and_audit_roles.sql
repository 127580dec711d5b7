-- Issue 13, item 5: the upstream proof is bound to the browser that made it. The hash of the
-- secret in that browser's proof cookie; key registration needs the cookie at start and finish.
-- Proofs made before this column existed have none, so those invitees sign in upstream again.
ALTER TABLE invitation ADD COLUMN upstream_browser_hash bytea;
ALTER TABLE invitation ADD CONSTRAINT invitation_upstream_browser_hash_size
    CHECK (upstream_browser_hash IS NULL OR octet_length(upstream_browser_hash) = 32);
