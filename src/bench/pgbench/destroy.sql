-- sessiond's session destroy as one statement: every transaction deletes a row of its own, from the
-- prefilled range that starts after :base (client c takes base + c + 1, base + c + 1 + :clients, ...).
\set n :n + 1
\set k :base + (:n - 1) * :clients + :client_id + 1
DELETE FROM bench_sessions WHERE id = md5('bench' || :k)::uuid;
