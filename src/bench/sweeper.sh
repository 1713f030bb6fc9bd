#!/usr/bin/env bash
# Sweeper at scale: how long sessiond takes to remove 1,000,000 expired sessions, half of them holding a
# KV lock (released, with lock-delay, in the same transactions), and what that does to the p99 latency of
# live renew traffic, compared with the same traffic before the backlog appeared.
#
#   src/bench/sweeper.sh [--sessions N] [--conns C] [--limit SECONDS] [--batch-size B] [--jar FILE]
#
# Starts its own PostgreSQL and sessiond (the jar; build it with ./mvnw package -DskipTests) on
# 127.0.0.1, stops them by PID. The expired sessions are inserted with SQL in one transaction (sessiond's
# own schema, its node, expired an hour ago); the sweeper sees them all at its commit. Renew traffic:
# wrk with src/bench/leases.lua on 1,000 live sessions, C connections (default 8), in 5 s slices.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=$PWD/src/bench
. "$BENCH_DIR/lib.sh"

sessions=1000000
conns=8
limit=300   # seconds the sweep may take before the run gives up
slice=5
batch_size=   # sessiond.sweeper.batch-size; empty: sessiond's default
jar=target/quarkus-app/quarkus-run.jar
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --batch-size) batch_size=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[ -f "$jar" ] || { echo "no sessiond jar at $jar: build it first (./mvnw package -DskipTests)" >&2; exit 1; }
bench_require wrk:wrk curl:curl

bench_work sweeper
bench_postgres
bench_psql -d postgres -c "CREATE DATABASE sessiond"
[ -z "$batch_size" ] || export SESSIOND_SWEEPER_BATCH_SIZE=$batch_size
bench_sessiond sessiond sessiond bench "$(bench_free_port)" java -jar "$jar"
url="http://127.0.0.1:$BENCH_APP_PORT"
threads=$([ "$conns" -ge 2 ] && echo 2 || echo 1)

# renew_slice SECONDS: renew traffic; prints "p50_ms p99_ms ops/s errors".
renew_slice() {
  BENCH_SYSTEM=sessiond BENCH_OP=renew BENCH_POOL="$BENCH_WORK/pool" BENCH_THREADS=$threads \
    timeout $(($1 + 30)) wrk -t "$threads" -c "$conns" -d "${1}s" -s "$BENCH_DIR/leases.lua" "$url" |
    sed -n 's/^RESULT //p' | tr ' ' '\n' | awk -F= '{ r[$1] = $2 }
      END { printf "%.2f %.2f %.0f %d\n", r["p50_us"] / 1000, r["p99_us"] / 1000, r["requests"] / (r["duration_us"] / 1e6), r["errors"] }'
}

# 1,000 live sessions for the renew traffic, then JIT warm-up, then the reference without a sweep.
for _ in $(seq 1000); do
  # The answer has no final newline: one is added, one ID a line.
  { curl -s -X PUT "$url/v1/session/create" -d '{"Name":"live","TTL":"3600s"}'; echo; } | sed -n 's/.*"ID":"\([^"]*\)".*/\1/p'
done >"$BENCH_WORK/pool"
[ "$(wc -l <"$BENCH_WORK/pool")" -eq 1000 ] || { echo "creating the live sessions failed" >&2; exit 1; }
renew_slice 10 >/dev/null
read -r base_p50 base_p99 base_ops base_errors <<<"$(renew_slice 10)"

echo "inserting $sessions expired sessions, every second one holding a KV lock..." >&2
t_insert=$(date +%s.%N)
bench_psql -d sessiond <<SQL
BEGIN;
INSERT INTO sessions (id, name, node, lock_delay_ns, behavior, ttl, ttl_ns, node_checks, create_index, modify_index,
                      created_at, last_renewed_at, expires_at)
SELECT md5('expired' || i)::uuid, 'expired', 'bench', 15000000000, 'release', '10s', 10000000000, '{serfHealth}',
       10, 10, now() - interval '2 hours', now() - interval '2 hours', now() - interval '1 hour'
  FROM generate_series(1, $sessions) AS i;
INSERT INTO kv_entries (key, value, flags, lock_index, session, create_index, modify_index)
SELECT 'bench/lock/' || i, 'held', 0, 1, md5('expired' || i)::uuid, 10, 10
  FROM generate_series(2, $sessions, 2) AS i;
COMMIT;
SQL
t0=$(date +%s.%N)
echo "inserted in $(awk -v a="$t_insert" -v b="$t0" 'BEGIN { printf "%.1f", b - a }') s; sweeping" >&2

# Poll once a second whether any expired session is left (an index probe, cheap), in the background.
(
  while bench_psql -d sessiond -tA -c "SELECT 1 FROM sessions WHERE expires_at <= now() LIMIT 1" | grep -q 1; do
    sleep 1
  done
  date +%s.%N >"$BENCH_WORK/cleared"
) &
poller=$!
BENCH_PIDS+=("$poller")

slices=()
while [ ! -f "$BENCH_WORK/cleared" ]; do
  if awk -v t0="$t0" -v now="$(date +%s.%N)" -v limit="$limit" 'BEGIN { exit !(now - t0 > limit) }'; then
    echo "the sweep did not finish within $limit s" >&2
    exit 1
  fi
  slices+=("$(renew_slice "$slice")")
done
bench_stop_pid "$poller"
cleared=$(awk -v t0="$t0" -v t1="$(cat "$BENCH_WORK/cleared")" 'BEGIN { printf "%.1f", t1 - t0 }')
read -r left_sessions left_locks delays <<<"$(bench_psql -d sessiond -tA -F' ' -c "SELECT
  (SELECT count(*) FROM sessions WHERE name = 'expired'),
  (SELECT count(*) FROM kv_entries WHERE key LIKE 'bench/lock/%' AND session IS NOT NULL),
  (SELECT count(*) FROM kv_lock_delays WHERE key LIKE 'bench/lock/%')")"
read -r after_p50 after_p99 after_ops after_errors <<<"$(renew_slice 10)"

# Slices that ran entirely during the sweep (the last one usually ends after it).
worst=$(printf '%s\n' "${slices[@]}" | awk -v n=${#slices[@]} -v full="$(awk -v c="$cleared" -v s="$slice" 'BEGIN { print int(c / s) }')" '
  NR <= (full > 0 ? full : n) && $2 > worst { worst = $2 } END { printf "%.2f", worst }')
echo "sweeper at scale, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs, $(free -h | awk '/^Mem:/ { print $2 }') RAM," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "expired sessions: $sessions ($((sessions / 2)) holding a KV lock); sweeper batch size: ${batch_size:-default}"
echo "time to clear: $cleared s (target < 60 s); left: $left_sessions sessions, $left_locks held locks; lock-delays set: $delays"
echo "renew traffic, $conns connections on 1,000 live sessions (p50 / p99 ms, ops/s, errors):"
echo "  without a sweep: $base_p50 / $base_p99, $base_ops/s, $base_errors"
i=0
for s in "${slices[@]}"; do
  i=$((i + 1))
  read -r p50 p99 ops errors <<<"$s"
  echo "  during the sweep, slice $i ($slice s): $p50 / $p99, $ops/s, $errors"
done
echo "  after the sweep: $after_p50 / $after_p99, $after_ops/s, $after_errors"
echo "worst p99 during the sweep / p99 without: $(awk -v w="$worst" -v b="$base_p99" 'BEGIN { printf "%.2f", w / b }') (target <= 2)"
[ "$left_sessions" -eq 0 ] && [ "$left_locks" -eq 0 ] || { echo "the sweep left expired sessions or held locks" >&2; exit 1; }
