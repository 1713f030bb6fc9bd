-- The change index: one strictly increasing counter shared by every table (Consul's raft index).
-- It starts at 10 so that 1, the "nothing yet" index that reads report for an untouched table,
-- never collides with a real write.
CREATE SEQUENCE change_index START WITH 10 MINVALUE 10 NO CYCLE;

-- The last change index that touched each table: X-Consul-Index of a read over that table.
-- A writer locks its tables' rows here before taking the next index, so indexes commit in order.
CREATE TABLE table_indexes (
    table_name   text   PRIMARY KEY,
    modify_index bigint NOT NULL CHECK (modify_index >= 1)
);
INSERT INTO table_indexes (table_name, modify_index) VALUES ('checks', 1), ('nodes', 1), ('sessions', 1);

CREATE TABLE nodes (
    name         text   PRIMARY KEY,
    id           uuid   NOT NULL,
    address      text   NOT NULL,
    datacenter   text   NOT NULL,
    create_index bigint NOT NULL,
    modify_index bigint NOT NULL
);
-- Consul looks node names up case-insensitively; two nodes may not differ only in case.
CREATE UNIQUE INDEX nodes_name_lower ON nodes (lower(name));

CREATE TABLE checks (
    node         text   NOT NULL REFERENCES nodes (name) ON DELETE CASCADE,
    check_id     text   NOT NULL,
    name         text   NOT NULL,
    status       text   NOT NULL CHECK (status IN ('passing', 'warning', 'critical')),
    notes        text   NOT NULL DEFAULT '',
    output       text   NOT NULL DEFAULT '',
    service_id   text   NOT NULL DEFAULT '',
    service_name text   NOT NULL DEFAULT '',
    create_index bigint NOT NULL,
    modify_index bigint NOT NULL,
    PRIMARY KEY (node, check_id)
);

CREATE TABLE sessions (
    id              uuid        PRIMARY KEY,
    name            text        NOT NULL,
    node            text        NOT NULL REFERENCES nodes (name),
    lock_delay_ns   bigint      NOT NULL CHECK (lock_delay_ns >= 0),
    behavior        text        NOT NULL CHECK (behavior IN ('release', 'delete')),
    -- TTL exactly as the client wrote it (Consul echoes it unchanged) and its parsed length.
    ttl             text        NOT NULL,
    ttl_ns          bigint      NOT NULL CHECK (ttl_ns >= 0),
    -- NULL and '{}' differ: Consul reports null and [] as given.
    node_checks     text[],
    service_checks  text[],
    checks          text[],
    create_index    bigint      NOT NULL,
    modify_index    bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    last_renewed_at timestamptz NOT NULL,
    -- NULL when the session has no TTL; otherwise TTL x 2 after create or the last renew.
    expires_at      timestamptz
);
CREATE INDEX sessions_expires_at ON sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX sessions_node_lower ON sessions (lower(node));
