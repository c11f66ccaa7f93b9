-- OTA: signing keys, firmware bundles and their stored artifacts, rollouts with their groups and
-- one action per targeted device. rollout_actions is the big table: a rollout over a million devices
-- is a million rows written by one INSERT ... SELECT, and reports update it in batches.

-- Ed25519 public keys a tenant signs bundles with. key_id is derived from the key (see ota-bundle
-- Keys.keyId), so a manifest names exactly one of them.
CREATE TABLE ota_signing_keys (
    id         uuid PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants (id),
    key_id     text NOT NULL,
    name       text NOT NULL,
    public_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CONSTRAINT ota_signing_keys_unique UNIQUE (tenant_id, key_id)
);

-- Stored files, content-addressed: the same bytes uploaded twice are stored once.
CREATE TABLE ota_artifacts (
    sha256     text PRIMARY KEY,
    size       bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per model a bundle installs on: a manifest naming three models is three rows sharing one
-- artifact. base_version is NULL for the full image and the installed version for a delta.
CREATE TABLE firmware_bundles (
    id            uuid PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants (id),
    model_id      uuid NOT NULL REFERENCES device_models (id) ON DELETE CASCADE,
    version       text NOT NULL,
    base_version  text,
    sha256        text NOT NULL REFERENCES ota_artifacts (sha256),
    size          bigint NOT NULL,
    key_id        text NOT NULL,
    anti_rollback bigint NOT NULL,
    expires_at    timestamptz NOT NULL,
    manifest      jsonb NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Picking the bundle for a device is a lookup by (model, version, installed version).
CREATE UNIQUE INDEX firmware_bundles_unique ON firmware_bundles (tenant_id, model_id, version, coalesce(base_version, ''));
CREATE INDEX firmware_bundles_by_tenant ON firmware_bundles (tenant_id, id);

CREATE TABLE rollouts (
    id                uuid PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants (id),
    name              text NOT NULL,
    state             text NOT NULL,
    -- The validated request (target, groups, thresholds, rate, window, mode...), as the API took it.
    spec              jsonb NOT NULL,
    total_devices     bigint NOT NULL DEFAULT 0,
    -- Targeted devices that have no full bundle for their model, or already run the version.
    skipped_devices   bigint NOT NULL DEFAULT 0,
    -- Assignments sent so far (first sends, not re-sends): the exponential ramp's notified criterion.
    notified_devices  bigint NOT NULL DEFAULT 0,
    -- Token bucket of the rate limit, shared by every node.
    rate_tokens       double precision NOT NULL DEFAULT 0,
    rate_refilled_at  timestamptz,
    -- Error threshold counts only what finished since the last resume, so a resumed rollout is not
    -- paused again at once by the failures that paused it.
    error_baseline    bigint NOT NULL DEFAULT 0,
    finished_baseline bigint NOT NULL DEFAULT 0,
    pause_reason      text,
    created_by        text NOT NULL,
    approved_by       text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rollouts_by_tenant ON rollouts (tenant_id, id);
-- What the scheduler tick visits: few rows, whatever the history.
CREATE INDEX rollouts_active ON rollouts (id)
    WHERE state IN ('CREATING', 'READY', 'STARTING', 'RUNNING', 'PAUSED', 'STOPPING');

CREATE TABLE rollout_groups (
    rollout_id     uuid NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    group_no       smallint NOT NULL,
    state          text NOT NULL,
    size           bigint NOT NULL,
    -- Set when the group reached its success threshold and the next group was started (or the rollout
    -- paused); the group itself finishes when all its actions are done.
    succeeded_at   timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    PRIMARY KEY (rollout_id, group_no)
);

-- One device's action in one rollout. The device quotes "<rollout id>:<attempt>" as its action id; a
-- retry increments attempt, so reports of an earlier attempt no longer match.
CREATE TABLE rollout_actions (
    rollout_id       uuid NOT NULL,
    device_id        uuid NOT NULL,
    group_no         smallint NOT NULL,
    state            text NOT NULL,
    attempt          smallint NOT NULL DEFAULT 1,
    -- Chosen when the assignment is sent: a delta from the installed version, else the full image.
    bundle_id        uuid,
    cancel_requested boolean NOT NULL DEFAULT false,
    -- When the cancel was last sent; NULL until then, so the tick sends it once per connected device.
    cancel_sent_at   timestamptz,
    -- A retry waits until then.
    not_before       timestamptz,
    notified_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    error_code       text,
    -- Rows of one rollout are one range of the primary key: creation appends, progress and listing
    -- scan a range.
    PRIMARY KEY (rollout_id, device_id)
) WITH (fillfactor = 80);
-- The next devices to notify; only SCHEDULED rows, so the index shrinks as the rollout goes.
CREATE INDEX rollout_actions_scheduled ON rollout_actions (rollout_id, group_no, device_id) WHERE state = 'SCHEDULED';
-- In-flight actions: the timeout sweep, and re-sends when a device comes back online.
CREATE INDEX rollout_actions_in_flight ON rollout_actions (rollout_id, notified_at)
    WHERE state IN ('NOTIFIED', 'DOWNLOADING', 'DOWNLOADED', 'WAITING_CONSENT', 'INSTALLING', 'REBOOTING');
CREATE INDEX rollout_actions_open_by_device ON rollout_actions (device_id)
    WHERE state IN ('SCHEDULED', 'NOTIFIED', 'DOWNLOADING', 'DOWNLOADED', 'WAITING_CONSENT', 'INSTALLING', 'REBOOTING');
-- Actions that ended badly or were canceled: retries and the listings operators look at ("which devices
-- failed"). Few by nature. No index covers every state: each one more index entry per report would
-- cost report throughput, and listing SUCCEEDED or in-flight actions scans the rollout's key range.
CREATE INDEX rollout_actions_unsuccessful ON rollout_actions (rollout_id, state, device_id)
    WHERE state IN ('FAILED', 'TIMED_OUT', 'ROLLED_BACK', 'REJECTED', 'CANCELED');

-- Actions per rollout, group and state, kept by statement-level triggers: progress and thresholds read
-- a few dozen rows instead of counting a million.
CREATE TABLE rollout_counts (
    rollout_id uuid NOT NULL,
    group_no   smallint NOT NULL,
    state      text NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (rollout_id, group_no, state)
);

-- Counter rows are changed in key order so that two statements on the same rollout cannot deadlock.
CREATE FUNCTION rollout_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollout_counts AS c (rollout_id, group_no, state, n)
    SELECT rollout_id, group_no, state, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (rollout_id, group_no, state) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;

CREATE FUNCTION rollout_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollout_counts AS c (rollout_id, group_no, state, n)
    SELECT rollout_id, group_no, state, sum(delta) FROM (
        SELECT rollout_id, group_no, state, -1 AS delta FROM old_rows
        UNION ALL
        SELECT rollout_id, group_no, state, 1 AS delta FROM new_rows) moved
    GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (rollout_id, group_no, state) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;

CREATE FUNCTION rollout_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rollout_counts c SET n = c.n - gone.n
    FROM (SELECT rollout_id, group_no, state, count(*) AS n FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) gone
    WHERE c.rollout_id = gone.rollout_id AND c.group_no = gone.group_no AND c.state = gone.state;
    RETURN NULL;
END $$;

CREATE TRIGGER rollout_actions_counted_insert AFTER INSERT ON rollout_actions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollout_counts_on_insert();
CREATE TRIGGER rollout_actions_counted_update AFTER UPDATE ON rollout_actions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollout_counts_on_update();
CREATE TRIGGER rollout_actions_counted_delete AFTER DELETE ON rollout_actions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollout_counts_on_delete();
