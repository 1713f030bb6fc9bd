-- Where a session comes from and how it is used, for the admin API (JSON:API).
ALTER TABLE sessions
    -- The service (application) the session was created on: the create body's Service, else the node's
    -- one service, else 'default'.
    ADD COLUMN service           text NOT NULL DEFAULT 'default',
    -- The creating client's socket address; NULL for sessions created before this was recorded.
    ADD COLUMN remote_address    text,
    ADD COLUMN remote_port       int CHECK (remote_port BETWEEN 0 AND 65535),
    -- A deferred kill (admin DELETE ?ttl=N): when it was asked for and when the session ends. expires_at
    -- is capped at stop_at by that request and by every renewal, so the sweeper ends it on time.
    ADD COLUMN stop_requested_at timestamptz,
    ADD COLUMN stop_at           timestamptz;
-- The admin API's order: oldest first, then ID, so new sessions land after those already listed.
CREATE INDEX sessions_created_at_id ON sessions (created_at, id);
CREATE INDEX sessions_service ON sessions (service);

-- Attachments: every distinct client (socket address, or its X-Sessiond-Client name) that used a session.
-- Counters are flushed from memory in batches and added, so several instances can flush the same row.
CREATE TABLE session_connections (
    id               bigserial   PRIMARY KEY,
    session          uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    client           text        NOT NULL,
    remote_address   text        NOT NULL,
    remote_port      int         NOT NULL CHECK (remote_port BETWEEN 0 AND 65535),
    connected_at     timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    reads            bigint      NOT NULL CHECK (reads >= 0),
    writes           bigint      NOT NULL CHECK (writes >= 0),
    UNIQUE (session, client)
);
