-- Keys are revoked, never deleted: a decision's evidence names the key that signed it
-- (access_decision.credential_id, ON DELETE RESTRICT), and "Verify" needs its public key for as
-- long as the decision exists. A revoked key is refused at every ceremony.
ALTER TABLE webauthn_credential
    ADD COLUMN revoked_at     timestamptz,
    -- who revoked it: the owner (removed on the profile) or an administrator; null once that user is gone
    ADD COLUMN revoked_by     uuid REFERENCES app_user (id) ON DELETE SET NULL,
    ADD COLUMN revoked_reason text,
    ADD CONSTRAINT webauthn_credential_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL));
CREATE INDEX webauthn_credential_user_active_idx ON webauthn_credential (user_id) WHERE revoked_at IS NULL;

-- A key-recovery link for someone who approves requests waits for a second administrator
-- (latch.recovery.approver-recovery=second-admin): the one who asks never holds the link.
CREATE TABLE key_recovery_approval (
    id             uuid        PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    requested_by   uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    requested_at   timestamptz NOT NULL,
    decided_by     uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    decided_at     timestamptz,
    -- 'approved' (a link was issued to the deciding administrator) or 'refused'
    outcome        text,
    CONSTRAINT key_recovery_outcome_valid CHECK (outcome IS NULL OR outcome IN ('approved', 'refused')),
    CONSTRAINT key_recovery_decided_complete CHECK ((decided_at IS NULL) = (outcome IS NULL)),
    CONSTRAINT key_recovery_two_people CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
-- at most one open recovery approval per person
CREATE UNIQUE INDEX key_recovery_approval_open_key ON key_recovery_approval (user_id) WHERE decided_at IS NULL;
