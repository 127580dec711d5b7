-- Issue 13, item 5: the upstream proof is bound to the browser that made it. The hash of the
-- secret in that browser's proof cookie; key registration needs the cookie at start and finish.
-- Proofs made before this column existed have none, so those invitees sign in upstream again.
ALTER TABLE invitation ADD COLUMN upstream_browser_hash bytea;
ALTER TABLE invitation ADD CONSTRAINT invitation_upstream_browser_hash_size
    CHECK (upstream_browser_hash IS NULL OR octet_length(upstream_browser_hash) = 32);

-- Issue 13, item 15: signed checkpoints of the audit chain's head. Every few minutes the portal
-- signs (with its OAuth signing key, published in the JWKS) the newest row's seq and hash, the row
-- count and the time; verification then compares the chain with the newest checkpoint, so rows
-- deleted from the end are noticed. The same text goes to the log, outside the database.
CREATE TABLE audit_checkpoint (
    id          uuid PRIMARY KEY,
    head_seq    bigint      NOT NULL,
    head_hash   bytea       NOT NULL,
    row_count   bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    kid         text        NOT NULL,
    -- compact JWS (ES256) over the JSON {"seq","hash","rows","at"}: verifiable with the JWKS alone
    jws         text        NOT NULL,
    CONSTRAINT audit_checkpoint_hash_size CHECK (octet_length(head_hash) = 32),
    CONSTRAINT audit_checkpoint_counts CHECK (head_seq >= 0 AND row_count >= 0)
);
CREATE INDEX audit_checkpoint_newest_idx ON audit_checkpoint (head_seq DESC, created_at DESC);
CREATE TRIGGER audit_checkpoint_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- Issue 13, item 15: two database roles. Flyway runs as the role that owns the schema (this
-- script runs as it); the portal connects as the app role named by the placeholder app_role
-- (LATCH_DB_APP_ROLE, default: quarkus.datasource.username). The app role may read and write
-- ordinary tables but only INSERT and SELECT the audit tables, and as it owns nothing it cannot
-- drop their append-only triggers either. When both are one role (a single-user installation),
-- nothing is granted or revoked: the owner keeps every right, and docs/operations.md says what
-- that costs.
DO $grants$
DECLARE
    app text := '${app_role}';
    history text := '${flyway:table}';
BEGIN
    IF app = current_user THEN
        RAISE NOTICE 'Latch: the app role is the migration role (%); the audit tables are protected by triggers only', app;
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint FROM %I', app);
    -- the app may read the migration history (to validate the schema at start) but not write it
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM %I', history, app);
    -- tables and sequences later migrations create (as this role) get the same ordinary rights;
    -- a new append-only table must revoke UPDATE and DELETE from the app role in its migration
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
            current_schema(), app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', current_schema(), app);
END
$grants$;
