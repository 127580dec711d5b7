-- Issue 14, item 1: a manager names a delegate for a period (a holiday). While a delegation is in
-- force the delegate acts as the manager of the manager's reports: they may approve the manager
-- step of their requests and are told of new ones. Ending early sets ended_at; rows are kept as
-- the record of who could approve when.
CREATE TABLE manager_delegation (
    id           uuid        PRIMARY KEY,
    manager_id   uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    delegate_id  uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    created_by   uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    -- set when it was ended before ends_at
    ended_at     timestamptz,
    ended_by     uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    CONSTRAINT manager_delegation_ends_after_start CHECK (ends_at > starts_at),
    CONSTRAINT manager_delegation_not_self CHECK (manager_id <> delegate_id)
);
CREATE INDEX manager_delegation_manager_idx ON manager_delegation (manager_id, ends_at);
CREATE INDEX manager_delegation_delegate_idx ON manager_delegation (delegate_id, ends_at);

-- A decision cast by a delegate names the manager they acted for, so the request page says
-- "as bob's delegate" and the vote keeps counting for the manager step after the period ends.
ALTER TABLE access_decision ADD COLUMN as_delegate_of uuid REFERENCES app_user (id) ON DELETE SET NULL;
