INSERT INTO table_indexes (table_name, modify_index) VALUES ('kvs', 1);

-- Keys sort and compare byte by byte (COLLATE "C"), as Consul's do.
CREATE TABLE kv_entries (
    key          text COLLATE "C" PRIMARY KEY,
    -- NULL for an empty value: Consul reports it as null.
    value        bytea,
    -- Consul's flags are unsigned 64-bit; stored as the same 64 bits in a signed column.
    flags        bigint NOT NULL,
    lock_index   bigint NOT NULL CHECK (lock_index >= 0),
    -- The session holding the lock, if any. Invalidation clears or deletes these rows before the session
    -- row goes, so the reference never dangles.
    session      uuid REFERENCES sessions (id),
    create_index bigint NOT NULL,
    modify_index bigint NOT NULL
);
CREATE INDEX kv_entries_session ON kv_entries (session) WHERE session IS NOT NULL;

-- Lock-delay: after the session holding a key is invalidated, nobody may acquire that key until
-- `until`. Kept by key name, apart from the entry, because a `delete` session removes the entry itself.
CREATE TABLE kv_lock_delays (
    key   text COLLATE "C" PRIMARY KEY,
    until timestamptz NOT NULL
);
CREATE INDEX kv_lock_delays_until ON kv_lock_delays (until);
