-- Entitlements: which group may use which access level, standing or on request, and how a request
-- is approved (one or more steps that must all pass, so "a peer AND the manager" is expressible).

CREATE TABLE entitlement (
    id                  uuid        PRIMARY KEY,
    group_id            uuid        NOT NULL REFERENCES app_group (id) ON DELETE CASCADE,
    access_level_id     uuid        NOT NULL REFERENCES access_level (id) ON DELETE CASCADE,
    mode                text        NOT NULL,
    -- longest grant a request may ask for (requestable), or the kubeconfig issuance life (standing)
    max_duration        interval    NOT NULL DEFAULT interval '7 days',
    source              text        NOT NULL DEFAULT 'ui',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entitlement_mode_valid CHECK (mode IN ('standing', 'requestable')),
    CONSTRAINT entitlement_duration_positive CHECK (max_duration > interval '0'),
    CONSTRAINT entitlement_source_valid CHECK (source IN ('ui', 'file', 'discovery', 'demo'))
);
CREATE UNIQUE INDEX entitlement_group_level_mode_key ON entitlement (group_id, access_level_id, mode);
-- the dashboard resolves a user's entitlements from their groups
CREATE INDEX entitlement_group_idx ON entitlement (group_id);
CREATE INDEX entitlement_level_idx ON entitlement (access_level_id);

-- The approval policy of a requestable entitlement: every step must pass.
CREATE TABLE approval_step (
    id                  uuid        PRIMARY KEY,
    entitlement_id      uuid        NOT NULL REFERENCES entitlement (id) ON DELETE CASCADE,
    position            integer     NOT NULL,
    -- 'manager': the requester's manager; 'group': members of approver_group_id
    approver_kind       text        NOT NULL,
    approver_group_id   uuid        REFERENCES app_group (id) ON DELETE RESTRICT,
    required_approvals  integer     NOT NULL DEFAULT 1,
    CONSTRAINT approval_step_kind_valid CHECK (approver_kind IN ('manager', 'group')),
    CONSTRAINT approval_step_group_when_group CHECK ((approver_kind = 'group') = (approver_group_id IS NOT NULL)),
    CONSTRAINT approval_step_count_positive CHECK (required_approvals BETWEEN 1 AND 10),
    CONSTRAINT approval_step_manager_once CHECK (approver_kind = 'group' OR required_approvals = 1)
);
CREATE UNIQUE INDEX approval_step_position_key ON approval_step (entitlement_id, position);

CREATE INDEX access_level_cluster_idx ON access_level (cluster_id);
CREATE INDEX access_level_account_idx ON access_level (account_id);
CREATE INDEX cluster_account_idx ON cluster (account_id);
