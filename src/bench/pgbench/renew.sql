-- sessiond's session renew as one statement: a random live row of the prefilled ones (1..:live).
\set i random(1, :live)
UPDATE bench_sessions SET last_renewed_at = now(),
       expires_at = CASE WHEN ttl_ns = 0 THEN NULL ELSE now() + make_interval(secs => ttl_ns * 2 / 1e9) END
 WHERE id = md5('bench' || :i)::uuid AND (expires_at IS NULL OR expires_at > now()) RETURNING *;
