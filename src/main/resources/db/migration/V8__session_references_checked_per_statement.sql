-- The sweeper removes expired sessions by the thousand per statement. A foreign key to sessions costs one
-- query per deleted session (PostgreSQL's referential-integrity triggers are row-level): those two queries
-- per row were over half of what removing a session cost. The same rules are kept with triggers that check
-- each deleting statement once, over all the sessions it removed.

ALTER TABLE kv_entries DROP CONSTRAINT kv_entries_session_fkey;
ALTER TABLE session_connections DROP CONSTRAINT session_connections_session_fkey;

-- The referencing side, as the foreign key did it: a lock holder or a connection must name an existing
-- session, which is key-share locked so that it cannot go before this transaction ends.
CREATE FUNCTION require_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sessions WHERE id = NEW.session FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = format('%s.session %s names no session', TG_TABLE_NAME, NEW.session);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER kv_entries_session_exists AFTER INSERT OR UPDATE OF session ON kv_entries
    FOR EACH ROW WHEN (NEW.session IS NOT NULL) EXECUTE FUNCTION require_session();
CREATE TRIGGER session_connections_session_exists AFTER INSERT OR UPDATE OF session ON session_connections
    FOR EACH ROW EXECUTE FUNCTION require_session();

-- The referenced side, once per statement: the connections of removed sessions go with them (what ON
-- DELETE CASCADE did), and no key may still be locked by a removed session (invalidation releases or
-- deletes those keys first, in the same transaction). Both look up the removed IDs in an index: a sequential
-- scan of every key per sweep batch would cost more than the row triggers it replaces, and the planner may
-- choose one when the statistics of a fast-growing table are stale.
CREATE FUNCTION sessions_removed() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    DELETE FROM session_connections WHERE session = ANY (ARRAY(SELECT id FROM removed));
    IF EXISTS (SELECT 1 FROM kv_entries WHERE session = ANY (ARRAY(SELECT id FROM removed))) THEN
        RAISE foreign_key_violation USING MESSAGE = 'a removed session still holds a key''s lock';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sessions_removed AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sessions_removed();
