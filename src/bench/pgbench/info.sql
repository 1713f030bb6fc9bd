-- sessiond's session info as one statement: a random live row of the prefilled ones (1..:live).
\set i random(1, :live)
SELECT * FROM bench_sessions WHERE id = md5('bench' || :i)::uuid AND (expires_at IS NULL OR expires_at > now());
