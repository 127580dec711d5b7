-- Just-in-time access: requests, signed approvals, grants, and the run-once bookkeeping of the
-- scheduled jobs that end them.

-- A request for a requestable level. The approval policy is copied in (policy_json) when the
-- request is filed, so a later policy change cannot alter a request in flight, and the evidence
-- of each decision names exactly what was decided.
CREATE TABLE access_request (
    id                uuid        PRIMARY KEY,
    requester_id      uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    access_level_id   uuid        NOT NULL REFERENCES access_level (id) ON DELETE CASCADE,
    entitlement_id    uuid        REFERENCES entitlement (id) ON DELETE SET NULL,
    duration          interval    NOT NULL,
    reason            text        NOT NULL,
    ticket_url        text,
    -- null: the grant starts when the request is approved
    starts_at         timestamptz,
    status            text        NOT NULL DEFAULT 'pending',
    break_glass       boolean     NOT NULL DEFAULT false,
    -- an extension of this grant (the grant's end moves when approved)
    extends_grant_id  uuid,
    policy_json       text        NOT NULL,
    created_at        timestamptz NOT NULL,
    -- undecided requests end at this time (24 h by default), apart from the grant's duration
    expires_at        timestamptz NOT NULL,
    decided_at        timestamptz,
    CONSTRAINT access_request_status_valid CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'cancelled')),
    CONSTRAINT access_request_reason_present CHECK (length(btrim(reason)) BETWEEN 3 AND 1000),
    CONSTRAINT access_request_duration_positive CHECK (duration > interval '0'),
    CONSTRAINT access_request_ticket_url CHECK (ticket_url IS NULL OR ticket_url ~ '^https?://'),
    CONSTRAINT access_request_decided_has_time CHECK ((status IN ('pending')) = (decided_at IS NULL))
);
-- nobody holds two open requests for the same level
CREATE UNIQUE INDEX access_request_one_open_key ON access_request (requester_id, access_level_id) WHERE status = 'pending';
CREATE INDEX access_request_pending_idx ON access_request (expires_at) WHERE status = 'pending';
CREATE INDEX access_request_requester_idx ON access_request (requester_id, created_at DESC);

-- One decision by one person on one request, with the WebAuthn assertion that proves it: the
-- challenge was SHA-256(nonce || canonical content), so the stored assertion shows that this key
-- decided exactly this request.
CREATE TABLE access_decision (
    id                 uuid        PRIMARY KEY,
    request_id         uuid        NOT NULL REFERENCES access_request (id) ON DELETE CASCADE,
    approver_id        uuid        NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    decision           text        NOT NULL,
    comment            text,
    nonce              bytea       NOT NULL,
    canonical_content  text        NOT NULL,
    assertion_request  text        NOT NULL,
    assertion_response text        NOT NULL,
    credential_id      uuid        NOT NULL REFERENCES webauthn_credential (id) ON DELETE RESTRICT,
    decided_at         timestamptz NOT NULL,
    CONSTRAINT access_decision_valid CHECK (decision IN ('approve', 'deny')),
    CONSTRAINT access_decision_nonce_length CHECK (octet_length(nonce) = 32)
);
-- the same person never counts twice
CREATE UNIQUE INDEX access_decision_once_key ON access_decision (request_id, approver_id);

-- Time-boxed access to a level: from an approved request, an extension, or break-glass.
CREATE TABLE access_grant (
    id               uuid        PRIMARY KEY,
    request_id       uuid        NOT NULL REFERENCES access_request (id) ON DELETE CASCADE,
    user_id          uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    access_level_id  uuid        NOT NULL REFERENCES access_level (id) ON DELETE CASCADE,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    break_glass      boolean     NOT NULL DEFAULT false,
    -- set once when the grant ends: 'expired', 'ended early', 'revoked', 'account disabled'
    ended_at         timestamptz,
    ended_by         uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    end_reason       text,
    -- the "ends in 15 minutes" warning went out
    warned_at        timestamptz,
    created_at       timestamptz NOT NULL,
    CONSTRAINT access_grant_ends_after_start CHECK (ends_at > starts_at),
    CONSTRAINT access_grant_ended_has_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- one grant per request, even when two approvers approve at the same moment
CREATE UNIQUE INDEX access_grant_request_key ON access_grant (request_id);
CREATE INDEX access_grant_live_idx ON access_grant (user_id, access_level_id) WHERE ended_at IS NULL;
CREATE INDEX access_grant_due_idx ON access_grant (ends_at) WHERE ended_at IS NULL;

ALTER TABLE access_request ADD CONSTRAINT access_request_extends_fk FOREIGN KEY (extends_grant_id)
    REFERENCES access_grant (id) ON DELETE SET NULL;
ALTER TABLE kube_issuance ADD CONSTRAINT kube_issuance_grant_fk FOREIGN KEY (grant_id)
    REFERENCES access_grant (id) ON DELETE CASCADE;

-- A decision is a WebAuthn ceremony of its own kind.
ALTER TABLE webauthn_ceremony DROP CONSTRAINT webauthn_ceremony_kind_valid;
ALTER TABLE webauthn_ceremony ADD CONSTRAINT webauthn_ceremony_kind_valid
    CHECK (kind IN ('registration', 'sign_in', 'step_up', 'decision'));
