-- sessiond's session create as one statement: a new row with a random ID (run.sh's table bench_sessions
-- is LIKE sessions: same columns, constraints and indexes, no foreign key).
INSERT INTO bench_sessions (id, name, node, lock_delay_ns, behavior, ttl, ttl_ns, node_checks, create_index,
                            modify_index, created_at, last_renewed_at, expires_at)
VALUES (gen_random_uuid(), 'bench', 'bench', 15000000000, 'release', '3600s', 3600000000000, '{serfHealth}', 1, 1,
        now(), now(), now() + interval '7200 seconds');
