-- Kubeconfig issuances: one downloaded kubeconfig (or one `latch setup` entry) for one person,
-- cluster and access level. Every token mint re-checks the row, so revoking it or reaching
-- expires_at stops the kubeconfig at once. grant_id is the JIT grant it rides on (issue 7 adds
-- the foreign key); standing access has none.
CREATE TABLE kube_issuance (
    id               uuid        PRIMARY KEY,
    user_id          uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    cluster_id       uuid        NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    access_level_id  uuid        NOT NULL REFERENCES access_level (id) ON DELETE CASCADE,
    grant_id         uuid,
    -- 'browser' (dashboard download) or 'helper' (latch setup)
    channel          text        NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_by       uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    revoke_reason    text,
    last_used_at     timestamptz,
    token_count      bigint      NOT NULL DEFAULT 0,
    CONSTRAINT kube_issuance_channel_valid CHECK (channel IN ('browser', 'helper')),
    CONSTRAINT kube_issuance_expires_after_issue CHECK (expires_at > issued_at),
    CONSTRAINT kube_issuance_revoked_has_reason CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
-- "My kubeconfigs" lists a person's live issuances; revocation on offboarding finds them too
CREATE INDEX kube_issuance_user_live_idx ON kube_issuance (user_id, expires_at) WHERE revoked_at IS NULL;
CREATE INDEX kube_issuance_level_idx ON kube_issuance (access_level_id);
CREATE INDEX kube_issuance_cluster_idx ON kube_issuance (cluster_id);
CREATE INDEX kube_issuance_grant_idx ON kube_issuance (grant_id) WHERE grant_id IS NOT NULL;
