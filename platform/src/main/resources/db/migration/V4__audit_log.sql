-- The audit log: one row per change, written in the same transaction as the change.
-- No foreign keys: the log is history and outlives what it describes (a deleted model keeps its
-- events), and its inserts sit on the provisioning hot path.

CREATE TABLE audit_events (
    -- Time-ordered UUIDs (version 7): pages of the log, newest first, are keyset scans on id.
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    -- The principal name of a REST caller, or device:<serial> for a device that provisioned itself.
    actor       text NOT NULL,
    action      text NOT NULL,
    target_type text,
    target_id   text,
    -- Changed fields only, as {"before": {...}, "after": {...}}, or counts for bulk changes; never
    -- secrets, tokens or credential hashes.
    summary     jsonb,
    at          timestamptz NOT NULL DEFAULT now()
);

-- One index per filter of GET /api/v1/audit, each ending in id so the keyset scan needs no sort.
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_by_target ON audit_events (tenant_id, target_type, target_id, id);
CREATE INDEX audit_events_by_actor ON audit_events (tenant_id, actor, id);
CREATE INDEX audit_events_by_action ON audit_events (tenant_id, action, id);
-- No index on at: the retention purge scans the primary key, whose time-ordered ids put the oldest
-- events first, and every event insert of a provisioning batch would pay for one more index.
