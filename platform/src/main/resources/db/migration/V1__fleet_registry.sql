-- Fleet registry: tenants, device models, devices, groups, provisioning claims.
-- Tables that grow with the fleet (devices, group members) are designed for hundreds of millions of
-- rows: every list query is a keyset scan over an index that starts with the tenant.

CREATE TABLE tenants (
    id         text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_models (
    id                uuid PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants (id),
    name              text NOT NULL,
    device_class      text NOT NULL CHECK (device_class IN ('tv', 'set-top-box', 'speaker', 'appliance')),
    hardware_revision text,
    capabilities      text[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT device_models_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE devices (
    -- Time-ordered UUIDs (version 7): inserts append to the primary key index instead of
    -- scattering over it, and keyset pages come in registration order.
    id                     uuid PRIMARY KEY,
    tenant_id              text NOT NULL REFERENCES tenants (id),
    serial                 text NOT NULL,
    model_id               uuid NOT NULL REFERENCES device_models (id),
    enabled                boolean NOT NULL DEFAULT true,
    -- HMAC-SHA-256 of the device credential; NULL while the device is pre-registered.
    credential_hash        bytea,
    claim_id               uuid,
    provisioned_at         timestamptz,
    firmware_version       text,
    active_slot            text,
    reported               jsonb,
    tags                   text[] NOT NULL DEFAULT '{}',
    region                 text,
    online                 boolean NOT NULL DEFAULT false,
    last_seen              timestamptz,
    last_disconnect_reason text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT devices_serial_unique UNIQUE (tenant_id, serial)
);

-- One index per search filter, each ending in id so the keyset scan needs no sort.
CREATE INDEX devices_by_tenant ON devices (tenant_id, id);
CREATE INDEX devices_by_model ON devices (tenant_id, model_id, id);
CREATE INDEX devices_by_firmware ON devices (tenant_id, firmware_version, id);
CREATE INDEX devices_by_region ON devices (tenant_id, region, id);
CREATE INDEX devices_online ON devices (tenant_id, id) WHERE online;
CREATE INDEX devices_by_tag ON devices USING gin (tags);

CREATE TABLE device_groups (
    id         uuid PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants (id),
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('STATIC', 'DYNAMIC')),
    -- The filter of a dynamic group, evaluated in SQL each time the group is read.
    filter     jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT device_groups_name_unique UNIQUE (tenant_id, name),
    CONSTRAINT device_groups_filter_matches_kind CHECK ((kind = 'DYNAMIC') = (filter IS NOT NULL))
);

CREATE TABLE device_group_members (
    group_id  uuid NOT NULL REFERENCES device_groups (id) ON DELETE CASCADE,
    device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, device_id)
);
CREATE INDEX device_group_members_by_device ON device_group_members (device_id);

CREATE TABLE claims (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    model_id    uuid NOT NULL REFERENCES device_models (id),
    description text,
    -- HMAC-SHA-256 of the claim secret; the secret itself is shown once, at creation.
    secret_hash bytea NOT NULL,
    max_uses    integer NOT NULL CHECK (max_uses > 0),
    uses        integer NOT NULL DEFAULT 0,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claims_uses_within_max CHECK (uses >= 0 AND uses <= max_uses)
);
CREATE INDEX claims_by_tenant ON claims (tenant_id, id);

-- Keys the platform generates for itself when none is configured (see SecretHasher).
CREATE TABLE server_keys (
    name       text PRIMARY KEY,
    key_bytes  bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
