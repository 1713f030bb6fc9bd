-- Web sessions (Beaker-style, server-side): the browser holds only a signed cookie with the id, the data
-- lives here. No table_indexes row: web-session writes do not advance the change index (see
-- io.sessiond.web.WebSessionService for why).
CREATE TABLE web_sessions (
    -- 128 random bits as 32 lowercase hex characters (Beaker's uuid4().hex format).
    id               text        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    -- The session data, a JSON object: in clear as jsonb, or AES-GCM encrypted (nonce || ciphertext || tag)
    -- when an encryption key is configured. Exactly one of the two is set.
    data             jsonb       CHECK (jsonb_typeof(data) = 'object'),
    encrypted_data   bytea,
    CHECK ((data IS NULL) <> (encrypted_data IS NULL)),
    -- Optimistic locking: the ETag; every save increments it, a save naming another version fails.
    version          bigint      NOT NULL CHECK (version >= 1),
    created_at       timestamptz NOT NULL,
    accessed_at      timestamptz NOT NULL,
    -- The access before the current one (Beaker's last_accessed); NULL until the session is accessed again.
    last_accessed_at timestamptz,
    -- accessed_at + the idle timeout; NULL when sessions never time out.
    expires_at       timestamptz,
    -- An optional lease lock (POST .../lock): held while lock_expires_at is in the future.
    lock_token       uuid,
    lock_expires_at  timestamptz,
    CHECK ((lock_token IS NULL) = (lock_expires_at IS NULL))
);
CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX web_sessions_created_at ON web_sessions (created_at, id);
