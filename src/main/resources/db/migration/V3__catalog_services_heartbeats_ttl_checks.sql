INSERT INTO table_indexes (table_name, modify_index) VALUES ('services', 1);

ALTER TABLE nodes
    ADD COLUMN tagged_addresses jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN meta             jsonb NOT NULL DEFAULT '{}',
    -- Set for nodes that are sessiond instances: their liveness is this heartbeat, not Serf.
    ADD COLUMN heartbeat_at     timestamptz;
CREATE INDEX nodes_heartbeat_at ON nodes (heartbeat_at) WHERE heartbeat_at IS NOT NULL;

CREATE TABLE services (
    node         text   NOT NULL REFERENCES nodes (name) ON DELETE CASCADE,
    service_id   text   NOT NULL,
    service_name text   NOT NULL,
    tags         text[] NOT NULL DEFAULT '{}',
    address      text   NOT NULL DEFAULT '',
    port         int    NOT NULL DEFAULT 0,
    create_index bigint NOT NULL,
    modify_index bigint NOT NULL,
    PRIMARY KEY (node, service_id)
);
CREATE INDEX services_name ON services (service_name);

ALTER TABLE checks
    -- TTL checks (agent/check/register with a TTL): critical once not updated for ttl_ns.
    ADD COLUMN ttl_ns         bigint CHECK (ttl_ns > 0),
    ADD COLUMN ttl_expires_at timestamptz;
CREATE INDEX checks_ttl_expires_at ON checks (ttl_expires_at) WHERE ttl_expires_at IS NOT NULL;
CREATE INDEX checks_service_name ON checks (service_name) WHERE service_name <> '';
CREATE INDEX checks_status ON checks (status);
