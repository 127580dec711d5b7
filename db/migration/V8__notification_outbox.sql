-- The notification outbox (dev.latch.notify). A feature inserts its messages in the same
-- transaction as the state change they announce, so a rollback drops them and a commit keeps
-- them; OutboxWorker delivers them later with retries. One row is one message to one recipient
-- on one channel. The unique key means the same event is queued at most once per recipient
-- (enqueue uses INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE notification_outbox (
    id               uuid        PRIMARY KEY,
    -- the event, e.g. 'request.created:<request id>'; event_type is its part before the colon
    event_key        text        NOT NULL,
    event_type       text        NOT NULL,
    -- 'email' (recipient is an address) or 'webhook' (recipient names a configured webhook;
    -- the URL itself is a secret and stays in configuration)
    channel          text        NOT NULL,
    recipient        text        NOT NULL,
    subject          text        NOT NULL,
    -- plain-text email body, link included
    body             text        NOT NULL,
    -- the webhook's JSON message (Slack-compatible); null for email
    payload          jsonb,
    -- the portal page the message links to
    link             text        NOT NULL,
    created_at       timestamptz NOT NULL,
    -- delivery attempts made so far, the successful one included
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    delivered_at     timestamptz,
    -- why the last attempt failed: short, never a secret (no webhook path, no credentials)
    last_error       text,
    -- set when the worker gave up after the maximum number of attempts (or cannot deliver at all)
    failed_at        timestamptz,
    CONSTRAINT notification_outbox_once_per_recipient UNIQUE (event_key, channel, recipient),
    CONSTRAINT notification_outbox_channel_valid CHECK (channel IN ('email', 'webhook')),
    CONSTRAINT notification_outbox_payload_for_webhook CHECK ((channel = 'webhook') = (payload IS NOT NULL)),
    CONSTRAINT notification_outbox_attempts_nonnegative CHECK (attempts >= 0),
    CONSTRAINT notification_outbox_one_outcome CHECK (delivered_at IS NULL OR failed_at IS NULL)
);
-- the worker's pick-up query: due messages that are neither delivered nor given up
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
