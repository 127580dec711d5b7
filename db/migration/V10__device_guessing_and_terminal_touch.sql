-- Issue 13, item 6: wrong user-code entries close to a pending code count against it (RFC 8628 §5.1);
-- at the cap the request is closed (denied, closed_reason 'wrong-entries') and the helper must start again.
ALTER TABLE device_authorization
    ADD COLUMN wrong_entries integer NOT NULL DEFAULT 0,
    ADD COLUMN closed_reason text;

-- Issue 13, item 8: production from the terminal needs a key touch recorded on the helper's login.
-- touch_requested_at: when the portal last asked for one (the touch must come after it);
-- touch_purpose: what it was asked for, shown on the confirmation page; touched_at: the touch.
ALTER TABLE token_family
    ADD COLUMN touch_requested_at timestamptz,
    ADD COLUMN touch_purpose      text,
    ADD COLUMN touched_at         timestamptz;
