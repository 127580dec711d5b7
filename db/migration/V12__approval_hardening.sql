-- Approvals that hold (issue 13, items 10, 11 and 13).

-- The format of a decision's signed text. Rows signed before this migration used version 1
-- (request, requester, level, duration, reason, decision); new ones sign the whole request.
ALTER TABLE access_decision ADD COLUMN evidence_version integer NOT NULL DEFAULT 1;
ALTER TABLE access_decision ADD CONSTRAINT access_decision_evidence_version_known CHECK (evidence_version IN (1, 2));

-- A vote of someone disabled while the request was still open no longer counts. The row (and
-- its evidence) stays; it is marked void, with why.
ALTER TABLE access_decision ADD COLUMN voided_at timestamptz;
ALTER TABLE access_decision ADD COLUMN void_reason text;
ALTER TABLE access_decision ADD CONSTRAINT access_decision_void_has_reason CHECK ((voided_at IS NULL) = (void_reason IS NULL));

-- Why a request ended without a decision of its approvers, e.g. "account disabled: left the company".
ALTER TABLE access_request ADD COLUMN end_reason text;

-- Break-glass is allowed only on levels marked for it.
ALTER TABLE access_level ADD COLUMN break_glass boolean NOT NULL DEFAULT false;
