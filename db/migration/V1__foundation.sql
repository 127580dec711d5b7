-- Latch foundation schema: people, the audit log and the inventory the demo needs.
-- Migrations are append-only: never edit a released file, add V<n+1>__*.sql instead.

-- People ---------------------------------------------------------------------------------------
CREATE TABLE app_user (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    email         text,
    display_name  text        NOT NULL,
    -- WebAuthn user handle: 64 random bytes, never the username (WebAuthn §14.6.1)
    user_handle   bytea       NOT NULL,
    is_admin      boolean     NOT NULL DEFAULT false,
    status        text        NOT NULL DEFAULT 'active',
    manager_id    uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    CONSTRAINT app_user_username_format CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    CONSTRAINT app_user_status_valid CHECK (status IN ('active', 'disabled')),
    CONSTRAINT app_user_disabled_has_time CHECK ((status = 'disabled') = (disabled_at IS NOT NULL)),
    CONSTRAINT app_user_handle_length CHECK (octet_length(user_handle) BETWEEN 16 AND 64),
    CONSTRAINT app_user_not_own_manager CHECK (manager_id IS NULL OR manager_id <> id)
);
CREATE UNIQUE INDEX app_user_username_key ON app_user (username);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX app_user_handle_key ON app_user (user_handle);
CREATE INDEX app_user_manager_idx ON app_user (manager_id);

-- Audit log: append-only, hash-chained --------------------------------------------------------
-- hash = SHA-256(prev_hash || canonical content of the row); see dev.latch.audit.AuditChain.
CREATE TABLE audit_event (
    seq          bigint      PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    actor_type   text        NOT NULL,
    actor_id     text,
    actor_name   text,
    action       text        NOT NULL,
    target_type  text,
    target_id    text,
    outcome      text        NOT NULL,
    source_ip    text,
    request_id   text,
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    prev_hash    bytea       NOT NULL,
    hash         bytea       NOT NULL,
    CONSTRAINT audit_event_seq_positive CHECK (seq > 0),
    CONSTRAINT audit_event_actor_type_valid CHECK (actor_type IN ('user', 'system', 'anonymous', 'client')),
    CONSTRAINT audit_event_outcome_valid CHECK (outcome IN ('success', 'failure', 'denied')),
    CONSTRAINT audit_event_hash_size CHECK (octet_length(hash) = 32 AND octet_length(prev_hash) = 32)
);
CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at);
CREATE INDEX audit_event_action_idx ON audit_event (action, occurred_at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, occurred_at);
CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id);

-- Append-only at the database level: the application role may insert and read, never rewrite.
-- (A superuser can still change rows; that is what the hash chain detects.)
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- Inventory ------------------------------------------------------------------------------------
-- source: who owns the row. 'file' rows come from the inventory YAML and are read-only in the UI.
CREATE TABLE aws_account (
    id              uuid        PRIMARY KEY,
    account_id      char(12)    NOT NULL,
    name            text        NOT NULL,
    environment     text        NOT NULL,
    default_region  text        NOT NULL,
    source          text        NOT NULL DEFAULT 'ui',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT aws_account_id_digits CHECK (account_id ~ '^[0-9]{12}$'),
    CONSTRAINT aws_account_environment_format CHECK (environment ~ '^[a-z0-9][a-z0-9-]{0,30}$'),
    CONSTRAINT aws_account_region_format CHECK (default_region ~ '^[a-z]{2}(-[a-z]+)+-[0-9]+$'),
    CONSTRAINT aws_account_source_valid CHECK (source IN ('ui', 'file', 'discovery', 'demo'))
);
CREATE UNIQUE INDEX aws_account_account_id_key ON aws_account (account_id);
CREATE UNIQUE INDEX aws_account_name_key ON aws_account (lower(name));
CREATE INDEX aws_account_environment_idx ON aws_account (environment);

CREATE TABLE cluster (
    id                 uuid        PRIMARY KEY,
    account_id         uuid        NOT NULL REFERENCES aws_account (id) ON DELETE RESTRICT,
    name               text        NOT NULL,
    region             text        NOT NULL,
    kind               text        NOT NULL DEFAULT 'eks',
    endpoint           text        NOT NULL,
    ca_bundle          text        NOT NULL,
    context_name       text        NOT NULL,
    endpoint_override  text,
    ca_override        text,
    source             text        NOT NULL DEFAULT 'ui',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cluster_kind_valid CHECK (kind IN ('eks', 'generic')),
    CONSTRAINT cluster_endpoint_https CHECK (endpoint ~ '^https://' AND (endpoint_override IS NULL OR endpoint_override ~ '^https://')),
    CONSTRAINT cluster_context_format CHECK (context_name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    CONSTRAINT cluster_source_valid CHECK (source IN ('ui', 'file', 'discovery', 'demo'))
);
CREATE UNIQUE INDEX cluster_account_name_key ON cluster (account_id, region, name);
CREATE UNIQUE INDEX cluster_context_key ON cluster (context_name);

-- An access level belongs to an account (AWS console/CLI) or to a cluster (Kubernetes), never both.
CREATE TABLE access_level (
    id                     uuid        PRIMARY KEY,
    account_id             uuid        REFERENCES aws_account (id) ON DELETE CASCADE,
    cluster_id             uuid        REFERENCES cluster (id) ON DELETE CASCADE,
    name                   text        NOT NULL,
    description            text,
    role_arn               text        NOT NULL,
    eks_access_policy_arn  text,
    eks_access_scope       text,
    eks_namespaces         text[]      NOT NULL DEFAULT '{}',
    kubernetes_groups      text[]      NOT NULL DEFAULT '{}',
    source                 text        NOT NULL DEFAULT 'ui',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT access_level_one_owner CHECK ((account_id IS NULL) <> (cluster_id IS NULL)),
    CONSTRAINT access_level_name_format CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,30}$'),
    CONSTRAINT access_level_role_arn_format CHECK (role_arn ~ '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$'),
    CONSTRAINT access_level_scope_valid CHECK (eks_access_scope IS NULL OR eks_access_scope IN ('cluster', 'namespace')),
    CONSTRAINT access_level_namespaces_when_scoped CHECK (eks_access_scope IS DISTINCT FROM 'namespace' OR cardinality(eks_namespaces) > 0),
    CONSTRAINT access_level_source_valid CHECK (source IN ('ui', 'file', 'discovery', 'demo'))
);
CREATE UNIQUE INDEX access_level_account_name_key ON access_level (account_id, name) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX access_level_cluster_name_key ON access_level (cluster_id, name) WHERE cluster_id IS NOT NULL;
