-- Which platform node holds each online device, so that the devices of a node that died without
-- closing its sessions can be written offline by the nodes that remain (or by its successor).

CREATE TABLE platform_nodes (
    id           text PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE devices ADD COLUMN node_id text;

CREATE INDEX devices_by_node ON devices (node_id) WHERE online;
