-- The clock every deadline is measured on (session expiry, instance heartbeats, TTL checks): the database's
-- clock, except that it stops while no instance can write, i.e. while PostgreSQL was unreachable (or every
-- instance was down). Every instance's heartbeat moves alive_at to the database's time; when the clock
-- has not moved for longer than stops_after, cluster_now() stays at alive_at + stops_after, so nothing
-- expires for a renewal or a heartbeat the outage prevented. The first heartbeat after the outage pushes
-- every deadline set before it by the outage's length and moves alive_at, in one transaction
-- (io.sessiond.catalog.ClusterClock): the clock then runs on from where it stopped.
CREATE TABLE cluster_clock (
    -- One row.
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    alive_at    timestamptz NOT NULL,
    stops_after interval    NOT NULL CHECK (stops_after > interval '0')
);
INSERT INTO cluster_clock (alive_at, stops_after) VALUES (clock_timestamp(), interval '5 seconds');

-- Deadlines are compared with this, never with now() or clock_timestamp() directly. STABLE, so that an
-- index condition evaluates it once per scan.
CREATE FUNCTION cluster_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT least(clock_timestamp(), alive_at + stops_after) FROM cluster_clock
$$;

-- Whether the clock stands still: no instance has recorded a heartbeat for longer than stops_after.
CREATE FUNCTION cluster_clock_stopped() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT clock_timestamp() > alive_at + stops_after FROM cluster_clock
$$;
