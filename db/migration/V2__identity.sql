-- Hardware-key identity: security keys, WebAuthn ceremonies, sessions, invitations, groups,
-- and PostgreSQL-backed rate limits (so limits hold across replicas).

CREATE TABLE webauthn_credential (
    id                  uuid        PRIMARY KEY,
    user_id             uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    credential_id       bytea       NOT NULL,
    public_key_cose     bytea       NOT NULL,
    signature_count     bigint      NOT NULL DEFAULT 0,
    aaguid              uuid,
    transports          text[]      NOT NULL DEFAULT '{}',
    nickname            text        NOT NULL,
    attestation_format  text,
    attestation_trusted boolean     NOT NULL DEFAULT false,
    backup_eligible     boolean     NOT NULL DEFAULT false,
    backed_up           boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_used_at        timestamptz,
    -- set when the signature counter went backwards: the key may have been cloned
    suspected_clone_at  timestamptz,
    -- set when FIDO metadata reports the key model compromised
    compromised_reason  text,
    CONSTRAINT webauthn_credential_id_size CHECK (octet_length(credential_id) BETWEEN 16 AND 1023),
    CONSTRAINT webauthn_credential_nickname_size CHECK (char_length(nickname) BETWEEN 1 AND 60),
    CONSTRAINT webauthn_credential_counter_positive CHECK (signature_count >= 0)
);
CREATE UNIQUE INDEX webauthn_credential_credential_id_key ON webauthn_credential (credential_id);
CREATE INDEX webauthn_credential_user_idx ON webauthn_credential (user_id);

-- A pending registration, assertion or step-up: consumed exactly once (DELETE ... RETURNING).
CREATE TABLE webauthn_ceremony (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL,
    request_json  text        NOT NULL,
    user_id       uuid        REFERENCES app_user (id) ON DELETE CASCADE,
    session_id    uuid,
    context       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    CONSTRAINT webauthn_ceremony_kind_valid CHECK (kind IN ('registration', 'sign_in', 'step_up')),
    CONSTRAINT webauthn_ceremony_expiry_after_start CHECK (expires_at > created_at)
);
CREATE INDEX webauthn_ceremony_expires_idx ON webauthn_ceremony (expires_at);

CREATE TABLE user_session (
    id                    uuid        PRIMARY KEY,
    token_hash            bytea       NOT NULL,
    user_id               uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    credential_id         uuid        REFERENCES webauthn_credential (id) ON DELETE SET NULL,
    created_at            timestamptz NOT NULL,
    last_seen_at          timestamptz NOT NULL,
    absolute_expires_at   timestamptz NOT NULL,
    stepped_up_at         timestamptz,
    revoked_at            timestamptz,
    revoked_reason        text,
    ip                    text,
    user_agent            text,
    CONSTRAINT user_session_token_hash_size CHECK (octet_length(token_hash) = 32),
    CONSTRAINT user_session_revoked_has_reason CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE UNIQUE INDEX user_session_token_hash_key ON user_session (token_hash);
CREATE INDEX user_session_user_live_idx ON user_session (user_id) WHERE revoked_at IS NULL;

-- One-time enrolment links: admin invitations (24 h) and the first administrator's bootstrap (1 h).
CREATE TABLE invitation (
    id            uuid        PRIMARY KEY,
    token_hash    bytea       NOT NULL,
    kind          text        NOT NULL DEFAULT 'invite',
    username      text        NOT NULL,
    email         text,
    display_name  text,
    is_admin      boolean     NOT NULL DEFAULT false,
    user_id       uuid        REFERENCES app_user (id) ON DELETE CASCADE,
    created_by    uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    revoked_at    timestamptz,
    -- claims of the upstream identity provider, once the invitee has proved their corporate identity
    upstream_subject  text,
    upstream_claims   jsonb,
    CONSTRAINT invitation_kind_valid CHECK (kind IN ('invite', 'bootstrap')),
    CONSTRAINT invitation_token_hash_size CHECK (octet_length(token_hash) = 32),
    CONSTRAINT invitation_username_format CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    CONSTRAINT invitation_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX invitation_token_hash_key ON invitation (token_hash);
-- at most one open invitation per username
CREATE UNIQUE INDEX invitation_open_username_key ON invitation (username) WHERE used_at IS NULL AND revoked_at IS NULL;

CREATE TABLE app_group (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    description text,
    source      text        NOT NULL DEFAULT 'local',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_group_name_format CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT app_group_source_valid CHECK (source IN ('local', 'upstream', 'file'))
);
CREATE UNIQUE INDEX app_group_name_key ON app_group (name);

CREATE TABLE group_membership (
    group_id    uuid        NOT NULL REFERENCES app_group (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    source      text        NOT NULL DEFAULT 'local',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id),
    CONSTRAINT group_membership_source_valid CHECK (source IN ('local', 'upstream', 'file'))
);
CREATE INDEX group_membership_user_idx ON group_membership (user_id);

-- Fixed-window counters; one row per (bucket, key, window start).
CREATE TABLE rate_limit (
    bucket        text        NOT NULL,
    subject       text        NOT NULL,
    window_start  timestamptz NOT NULL,
    hits          integer     NOT NULL,
    PRIMARY KEY (bucket, subject, window_start)
);
CREATE INDEX rate_limit_window_idx ON rate_limit (window_start);

-- Upstream manager reference when the manager has no Latch account yet.
ALTER TABLE app_user ADD COLUMN manager_email text;
