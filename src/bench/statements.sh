#!/usr/bin/env bash
# What PostgreSQL does per session operation at one connection: for each of create, renew, info and destroy
# (Consul API, wrk with one connection, closed loop), the statements sessiond sent per operation
# (pg_stat_statements: top-level statements, so one line is one statement the application sent, a
# function's inner statements included in its own line's time) and the CPU per operation of PostgreSQL
# and of sessiond; then pgbench's one-statement equivalent (src/bench/pgbench/*.sql) for the same
# PostgreSQL CPU figure. CPU per operation, not throughput, is what this compares: it holds on a busy
# machine where ops/s do not.
#
#   src/bench/statements.sh [--seconds N] [--jar FILE | --native FILE]
#
# Starts its own throwaway PostgreSQL (with pg_stat_statements loaded) and sessiond (the jar, default
# target/quarkus-app/quarkus-run.jar); stops both by PID. Prints the statements of each operation with
# calls per operation and mean time, then one table: ops, CPU per op of sessiond and of PostgreSQL, and
# pgbench's PostgreSQL CPU per op.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=$PWD/src/bench
. "$BENCH_DIR/lib.sh"

seconds=10
app=(java -jar target/quarkus-app/quarkus-run.jar)
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jar) app=(java -jar "$2"); shift 2 ;;
    --native) app=("$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

bench_require wrk:wrk curl:curl
clk_tck=$(getconf CLK_TCK)
bench_work statements
work=$BENCH_WORK
bench_postgres shared_preload_libraries=pg_stat_statements pg_stat_statements.track=top \
  pg_stat_statements.track_utility=on
psql() { bench_psql "$@"; }
psql -d postgres -c "CREATE DATABASE sessiond"
psql -d sessiond -c "CREATE EXTENSION pg_stat_statements"
bench_sessiond sessiond sessiond bench "$(bench_free_port)" "${app[@]}"
app_pid=$BENCH_APP_PID
port=$BENCH_APP_PORT

live_rows=100000
bench_pgbench_table sessiond $((live_rows + 400000))

# phase OP CONNS SECONDS: wrk against sessiond; prints its RESULT line; creates add their IDs to the pool.
pool=$work/pool
touch "$pool"
phase() {
  local op=$1 c=$2 s=$3 out=$work/out
  rm -rf "$out"; mkdir -p "$out"
  BENCH_SYSTEM=sessiond BENCH_OP=$op BENCH_POOL=$pool BENCH_OUT=$out BENCH_THREADS=1 \
    wrk -t 1 -c "$c" -d "${s}s" --timeout 5s -s "$BENCH_DIR/leases.lua" "http://127.0.0.1:$port" | grep '^RESULT'
  bench_pool_update "$op" "$out" "$pool"
}
# Transactions committed and rolled back in the database so far: "commits|rollbacks".
xacts() {
  psql -d sessiond -At -c "SELECT pg_stat_force_next_flush()" >/dev/null
  psql -d sessiond -At -c "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = 'sessiond'"
}
requests() { sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$1"; }

# Warm-up: JIT, pools, prepared statements; and enough sessions for the destroy phase.
for op in create renew info destroy create create; do phase "$op" 4 "$seconds" >/dev/null; done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for op in create renew info destroy; do
  psql -d sessiond -c "SELECT pg_stat_statements_reset()" >/dev/null
  xacts0=$(xacts)
  app0=$(bench_cpu_ticks "$app_pid"); pg0=$(bench_pg_cpu_ticks "$BENCH_POSTMASTER")
  result=$(phase "$op" 1 "$seconds")
  app1=$(bench_cpu_ticks "$app_pid"); pg1=$(bench_pg_cpu_ticks "$BENCH_POSTMASTER")
  n=$(requests "$result")
  xacts1=$(xacts)
  echo "== $op: $n operations at one connection; statements per operation (calls / ops, mean ms, query):"
  psql -d sessiond -At -F $'\t' -c "SELECT round(calls::numeric / $n, 2), round(mean_exec_time::numeric, 3),
      left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' AND calls::numeric / $n >= 0.01 ORDER BY calls DESC"
  psql -d sessiond -At -c "SELECT 'total statements per op: ' || round(sum(calls)::numeric / $n, 2) FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%'"
  awk -v n="$n" -v a="$xacts0" -v b="$xacts1" 'BEGIN { split(a, x, "|"); split(b, y, "|")
    printf "commits per op: %.2f, rollbacks per op: %.2f (COMMIT and ROLLBACK are not in the list above)\n",
      (y[1] - x[1]) / n, (y[2] - x[2]) / n }'
  pb0=$(bench_pg_cpu_ticks "$BENCH_POSTMASTER")
  pgbench_out=$("$PG_BIN/pgbench" -n -M prepared -h 127.0.0.1 -p "$BENCH_PG_PORT" -U sessiond -c 1 -j 1 -T "$seconds" \
    -f "$BENCH_DIR/pgbench/$op.sql" -D live=$live_rows -D n=0 -D clients=1 -D base=$live_rows sessiond)
  # pgbench's backend has exited; its CPU counts once the postmaster has reaped it.
  sleep 1
  pb1=$(bench_pg_cpu_ticks "$BENCH_POSTMASTER")
  pn=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$pgbench_out")
  rows+=("$(awk -v op="$op" -v n="$n" -v s="$seconds" -v app=$((app1 - app0)) -v pg=$((pg1 - pg0)) \
    -v pn="$pn" -v pb=$((pb1 - pb0)) -v hz="$clk_tck" 'BEGIN {
      printf "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.1f |", op, n / s, app * 1e6 / hz / n, pg * 1e6 / hz / n,
        pn / s, pb * 1e6 / hz / pn, (pg / n) / (pb / pn) }')")
done
# One operation of each kind, as PostgreSQL logs what it is sent (sessiond's background work, heartbeats
# and flushes, may show up between them).
psql -d sessiond -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
log_from=$(wc -l <"$work/pg/server.log")
base="http://127.0.0.1:$port/v1/session"
id=$(curl -s -X PUT "$base/create" -d '{"Name":"bench","TTL":"3600s"}' | sed 's/.*"ID":"\([^"]*\)".*/\1/')
curl -s -X PUT "$base/renew/$id" >/dev/null
curl -s "$base/info/$id" >/dev/null
curl -s -X PUT "$base/destroy/$id" >/dev/null
sleep 0.5
echo "== one create, renew, info and destroy (id $id) as PostgreSQL logged them:"
tail -n +$((log_from + 1)) "$work/pg/server.log" | sed -n 's/.*LOG:  //p' | grep -v '^duration' | cut -c1-150
psql -d sessiond -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null

echo
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); ${seconds} s per phase, one connection"
echo "| op | sessiond ops/s | sessiond CPU us/op | PostgreSQL CPU us/op | pgbench ops/s | pgbench PostgreSQL CPU us/op | PostgreSQL CPU ratio |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
