-- Latch as an OAuth 2.0 authorization server for its own clients (the latch helper):
-- device authorizations (RFC 8628), refresh-token families with rotation, DPoP-bound tokens
-- (RFC 9449) and the portal's signing keys.

-- A signed-in device: one helper login. Its refresh tokens rotate within the family; the
-- family ends at the session's absolute end, on logout, revocation, offboarding or token reuse.
CREATE TABLE token_family (
    id              uuid        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    client_id       text        NOT NULL,
    client_name     text        NOT NULL,
    host_name       text,
    os              text,
    dpop_jkt        text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text,
    CONSTRAINT token_family_revoked_has_reason CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
    CONSTRAINT token_family_expiry_after_start CHECK (expires_at > created_at)
);
CREATE INDEX token_family_user_live_idx ON token_family (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_token (
    id           uuid        PRIMARY KEY,
    family_id    uuid        NOT NULL REFERENCES token_family (id) ON DELETE CASCADE,
    token_hash   bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    used_at      timestamptz,
    CONSTRAINT refresh_token_hash_size CHECK (octet_length(token_hash) = 32)
);
CREATE UNIQUE INDEX refresh_token_hash_key ON refresh_token (token_hash);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);

CREATE TABLE device_authorization (
    id               uuid        PRIMARY KEY,
    device_code_hash bytea       NOT NULL,
    user_code        char(8)     NOT NULL,
    client_id        text        NOT NULL,
    client_name      text        NOT NULL,
    host_name        text,
    os               text,
    request_ip       text,
    status           text        NOT NULL DEFAULT 'pending',
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    interval_seconds integer     NOT NULL,
    last_polled_at   timestamptz,
    user_id          uuid        REFERENCES app_user (id) ON DELETE CASCADE,
    session_id       uuid,
    decided_at       timestamptz,
    family_id        uuid        REFERENCES token_family (id) ON DELETE SET NULL,
    CONSTRAINT device_authorization_status_valid CHECK (status IN ('pending', 'approved', 'denied', 'consumed')),
    CONSTRAINT device_authorization_user_code_charset CHECK (user_code ~ '^[BCDFGHJKLMNPQRSTVWXZ]{8}$'),
    CONSTRAINT device_authorization_decided CHECK ((status = 'pending') = (decided_at IS NULL)),
    CONSTRAINT device_authorization_interval_positive CHECK (interval_seconds > 0)
);
CREATE UNIQUE INDEX device_authorization_device_code_key ON device_authorization (device_code_hash);
-- a user code names one live request at a time
CREATE UNIQUE INDEX device_authorization_pending_user_code_key ON device_authorization (user_code) WHERE status = 'pending';
CREATE INDEX device_authorization_expires_idx ON device_authorization (expires_at);

-- ES256 signing keys. The private half is encrypted (AES-256-GCM) under a key-encryption key
-- from configuration, or by AWS KMS; kek_id says which.
CREATE TABLE signing_key (
    kid              text        PRIMARY KEY,
    algorithm        text        NOT NULL DEFAULT 'ES256',
    public_jwk       text        NOT NULL,
    private_key_enc  bytea       NOT NULL,
    kek_id           text        NOT NULL,
    created_at       timestamptz NOT NULL,
    retired_at       timestamptz,
    -- published in the JWKS until then (tokens signed before retirement may still be valid)
    publish_until    timestamptz
);
CREATE INDEX signing_key_active_idx ON signing_key (created_at DESC) WHERE retired_at IS NULL;

-- DPoP proof ids seen recently, to refuse replays (RFC 9449 §11.1) across replicas.
CREATE TABLE dpop_proof (
    jti_hash    bytea       PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX dpop_proof_expires_idx ON dpop_proof (expires_at);
