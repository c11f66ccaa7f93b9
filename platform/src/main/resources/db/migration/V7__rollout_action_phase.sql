-- Device reports become HOT updates. A report changes an action's state, updated_at and error_code;
-- in V6 every partial index named state in its predicate, so each report wrote a new heap tuple plus
-- an entry in every index (PostgreSQL updates in place on the page only when no indexed column, key
-- or predicate, changes). Now the indexes use phase instead: a coarse stage that the engine moves
-- (notify, time out, retry, cancel) and that a report changes only when the action ends badly. A
-- progress report or a success changes no indexed column at all. See docs/decisions.
--
--   SCHEDULED     waiting to be notified (state SCHEDULED)
--   SENT          the assignment was sent; the device's reports move the state from here on, up to
--                 SUCCEEDED, without leaving SENT. So SENT holds the in-flight actions and successes
--                 the timeout sweep has not put aside yet.
--   SETTLED       a success the timeout sweep put aside, so that it does not visit it again
--   UNSUCCESSFUL  FAILED, TIMED_OUT, ROLLED_BACK, REJECTED or CANCELED: retries and failure listings
ALTER TABLE rollout_actions ADD COLUMN phase text NOT NULL DEFAULT 'SCHEDULED'
    CONSTRAINT rollout_actions_phase CHECK (phase IN ('SCHEDULED', 'SENT', 'SETTLED', 'UNSUCCESSFUL'));

DROP INDEX rollout_actions_scheduled;
DROP INDEX rollout_actions_in_flight;
DROP INDEX rollout_actions_open_by_device;
DROP INDEX rollout_actions_unsuccessful;

UPDATE rollout_actions SET phase = CASE
        WHEN state IN ('FAILED', 'TIMED_OUT', 'ROLLED_BACK', 'REJECTED', 'CANCELED') THEN 'UNSUCCESSFUL'
        ELSE 'SENT' END
    WHERE state <> 'SCHEDULED';

-- The next devices to notify.
CREATE INDEX rollout_actions_scheduled ON rollout_actions (rollout_id, group_no, device_id) WHERE phase = 'SCHEDULED';
-- The timeout sweep: sent actions by the time they were sent.
CREATE INDEX rollout_actions_sent ON rollout_actions (rollout_id, notified_at) WHERE phase = 'SENT';
-- Re-sends when a device comes back online: its sent actions (one per rollout it took part in).
CREATE INDEX rollout_actions_sent_by_device ON rollout_actions (device_id) WHERE phase = 'SENT';
-- Retries and "which devices failed".
CREATE INDEX rollout_actions_unsuccessful ON rollout_actions (rollout_id, device_id) WHERE phase = 'UNSUCCESSFUL';
-- Cancels still to send; reports do not change either column.
CREATE INDEX rollout_actions_cancels_unsent ON rollout_actions (rollout_id)
    WHERE cancel_requested AND cancel_sent_at IS NULL;

ANALYZE rollout_actions;
