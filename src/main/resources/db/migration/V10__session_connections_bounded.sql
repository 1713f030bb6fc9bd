-- A client known only by its socket address is a new client on every new TCP connection, so one row per
-- client would let any reader grow the table without end. Each session keeps rows for its most recent
-- clients only; the others are folded into one row per session (client '', a name no client can have:
-- a blank name falls back to the address) whose counters keep their totals.
ALTER TABLE session_connections
    -- How many client rows were folded into this one; 0 for a client's own row.
    ADD COLUMN folded_clients bigint NOT NULL DEFAULT 0 CHECK (folded_clients >= 0),
    ADD CONSTRAINT session_connections_folded_row CHECK ((client = '') = (folded_clients > 0));
