#!/usr/bin/env bash
# Side-by-side benchmark: sessiond's sessions (Consul API) against etcd's leases (JSON gateway) and
# against PostgreSQL itself (pgbench, one equivalent SQL statement per operation), interleaved in one
# run, so that the ratios compare like with like even on a noisy machine.
#
#   src/bench/run.sh [--seconds N] [--conns '1 8 64'] [--warmup N] [--jar FILE] [--native FILE]
#
# For each connection count, for each operation (create, renew, info, destroy), each system runs N
# seconds (default 10) right after the other: sessiond (the JVM jar, and the native executable when one
# is built: target/sessiond-*-runner, or --native ''), etcd (grant, keepalive, timetolive, revoke) and
# pgbench. Load: wrk with src/bench/leases.lua (closed loop: each connection sends its next request when
# the answer came), pgbench with src/bench/pgbench/*.sql (prepared statements, one per transaction).
#
# Starts its own PostgreSQL (a throwaway cluster from Debian's server), etcd (Debian's etcd-server, a
# temporary data directory) and sessiond, all on 127.0.0.1 and free ports; installs wrk, etcd-server and
# postgresql when missing (as root; otherwise says what to install); stops every process it started by
# its PID. Prints one Markdown table and writes it to target/bench/results-<UTC time>.txt, with the raw
# figures beside it (.tsv).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=$PWD/src/bench
. "$BENCH_DIR/lib.sh"

seconds=10
conns="1 8 64"
warmup=10
jar=target/quarkus-app/quarkus-run.jar
native=$(ls target/sessiond-*-runner 2>/dev/null | head -1 || true)
java=${JAVA:-java}
start_limit=60         # seconds a server may take to answer its first request
fill_limit=120         # seconds allowed to create the leases a destroy phase will use
pg_live_rows=100000    # pgbench: rows renewed and read
pg_destroy_rows=400000 # pgbench: rows each destroy phase may delete

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --native) native=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
if [ ! -f "$jar" ]; then
  echo "no sessiond jar at $jar: build it first (./mvnw package -DskipTests)" >&2
  exit 1
fi

bench_require wrk:wrk etcd:etcd-server curl:curl
clk_tck=$(getconf CLK_TCK)

bench_work bench
work=$BENCH_WORK

# --- the servers --------------------------------------------------------------------------------------
# sessiond's pool and pgbench's 64 clients at once would not fit PostgreSQL's default 100 connections.
bench_postgres max_connections=200
pg_port=$BENCH_PG_PORT
postmaster=$BENCH_POSTMASTER
psql() { bench_psql "$@"; }

etcd_port=$(bench_free_port)
etcd_peer_port=$(bench_free_port)
etcd --name bench --data-dir "$work/etcd" --logger zap --log-level warn \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "bench=http://127.0.0.1:$etcd_peer_port" >"$work/etcd.log" 2>&1 &
etcd_pid=$!
BENCH_PIDS+=("$etcd_pid")
bench_wait_http "http://127.0.0.1:$etcd_port/health" "$etcd_pid" "$start_limit" "$work/etcd.log"

declare -A port_of pid_of
systems=()
start_sessiond() {
  local name=$1; shift
  psql -d postgres -c "CREATE DATABASE $name"
  bench_sessiond "$name" "$name" bench "$(bench_free_port)" "$@"
  pid_of[$name]=$BENCH_APP_PID
  port_of[$name]=$BENCH_APP_PORT
  systems+=("$name")
}
start_sessiond sessiond_jvm "$java" -jar "$jar"
[ -z "$native" ] || start_sessiond sessiond_native "$native"
systems+=(etcd)
port_of[etcd]=$etcd_port
pid_of[etcd]=$etcd_pid

# pgbench's table is sessiond's, without the foreign key, in sessiond's database: rows 1..live are
# renewed and read, each destroy phase deletes from its own range after them.
conn_levels=($conns)
pg_rows=$((pg_live_rows + ${#conn_levels[@]} * pg_destroy_rows))
bench_pgbench_table sessiond_jvm "$pg_rows"

# --- one request of each kind, checked, before anything is measured -------------------------------------
expect() {
  local what=$1 pattern=$2 answer=$3
  if ! grep -Eq "$pattern" <<<"$answer"; then
    echo "$what answered: $answer" >&2
    exit 1
  fi
}
smoke_sessiond() {
  local base="http://127.0.0.1:${port_of[$1]}/v1/session" id answer
  answer=$(curl -s -X PUT "$base/create" -d '{"Name":"bench","TTL":"3600s"}')
  expect "$1 create" '"ID":"[0-9a-f-]{36}"' "$answer"
  id=$(sed 's/.*"ID":"\([^"]*\)".*/\1/' <<<"$answer")
  expect "$1 renew" "\"ID\":\"$id\"" "$(curl -s -X PUT "$base/renew/$id")"
  expect "$1 info" "\"ID\":\"$id\"" "$(curl -s "$base/info/$id")"
  expect "$1 destroy" '^true$' "$(curl -s -X PUT "$base/destroy/$id")"
  expect "$1 info after destroy" '^\[\]$' "$(curl -s "$base/info/$id")"
}
smoke_etcd() {
  local base="http://127.0.0.1:$etcd_port/v3/lease" id answer
  answer=$(curl -s -X POST "$base/grant" -d '{"TTL":3600}')
  expect "etcd grant" '"ID":"[0-9]+"' "$answer"
  id=$(sed 's/.*"ID":"\([0-9]*\)".*/\1/' <<<"$answer")
  expect "etcd keepalive" '"TTL":"3600"' "$(curl -s -X POST "$base/keepalive" -d "{\"ID\":\"$id\"}")"
  expect "etcd timetolive" '"grantedTTL":"3600"' "$(curl -s -X POST "$base/timetolive" -d "{\"ID\":\"$id\"}")"
  expect "etcd revoke" '"header"' "$(curl -s -X POST "$base/revoke" -d "{\"ID\":\"$id\"}")"
  expect "etcd timetolive after revoke" '"TTL":"-1"' "$(curl -s -X POST "$base/timetolive" -d "{\"ID\":\"$id\"}")"
}
for system in "${systems[@]}"; do
  case $system in etcd) smoke_etcd ;; *) smoke_sessiond "$system" ;; esac
done

# --- measuring ----------------------------------------------------------------------------------------
ops=(create renew info destroy)
raw="$work/raw.tsv"
: >"$raw"

wrk_threads() { [ "$1" -ge 2 ] && echo 2 || echo 1; }

# wrk_phase SYSTEM OP CONNS SECONDS: runs the load; prints wrk's RESULT line. Creates append their IDs to
# the system's pool; destroys remove the IDs they used from it.
wrk_phase() {
  local system=$1 op=$2 c=$3 s=$4 out="$work/out-$1" pool="$work/pool-$1" result
  rm -rf "$out"; mkdir -p "$out"; touch "$pool"
  result=$(BENCH_SYSTEM=${system%%_*} BENCH_OP=$op BENCH_POOL=$pool BENCH_OUT=$out BENCH_THREADS=$(wrk_threads "$c") \
    timeout $((s + 30)) wrk -t "$(wrk_threads "$c")" -c "$c" -d "${s}s" --timeout 5s -s "$BENCH_DIR/leases.lua" \
    "http://127.0.0.1:${port_of[$system]}")
  bench_pool_update "$op" "$out" "$pool"
  grep '^RESULT' <<<"$result"
}

# Leases for a destroy phase: at least 2.5 times what this connection count created in its create phase
# (destroying costs about what creating does), made before the phase starts and not measured.
fill_pool() {
  local system=$1 created=$2 target t0
  target=$(( created * 5 / 2 > 20000 ? created * 5 / 2 : 20000 ))
  t0=$(date +%s)
  while [ "$(wc -l <"$work/pool-$system")" -lt "$target" ] && [ $(( $(date +%s) - t0 )) -lt "$fill_limit" ]; do
    wrk_phase "$system" create 64 5 >/dev/null
  done
}

pg_phase() {
  local op=$1 c=$2 s=$3 level=$4 dir="$work/pgbench-$1-$2" summary
  mkdir -p "$dir"
  summary=$(cd "$dir" && timeout $((s + 30)) "$PG_BIN/pgbench" -n -M prepared -h 127.0.0.1 -p "$pg_port" \
    -U sessiond -c "$c" -j "$(wrk_threads "$c")" -T "$s" -l -f "$BENCH_DIR/pgbench/$op.sql" \
    -D live=$pg_live_rows -D n=0 -D clients="$c" -D base=$((pg_live_rows + level * pg_destroy_rows)) sessiond_jvm)
  local count exhausted=0
  count=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$summary")
  [ "$op" != destroy ] || [ "$count" -le "$pg_destroy_rows" ] || exhausted=1
  # The per-transaction log: client, transaction, latency in microseconds, ...
  cat "$dir"/pgbench_log.* | awk '{ print $3 }' | sort -n | awk -v s="$s" -v n="$count" -v x="$exhausted" '
    { v[NR] = $1 }
    END { printf "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=0 exhausted=%d\n",
          n, s * 1000000, v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1], x }'
  rm -rf "$dir"
}

# record SYSTEM OP CONNS RESULT APP_TICKS PG_TICKS: one line of raw.tsv: system, operation, connections,
# ops/s, p50 ms, p99 ms, errors, exhausted, CPU microseconds per operation of the server and of PostgreSQL.
record() {
  awk -v sys="$1" -v op="$2" -v c="$3" -v app="$5" -v pg="$6" -v hz="$clk_tck" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] } }
    END {
      n = r["requests"] > 0 ? r["requests"] : 1
      printf "%s\t%s\t%d\t%.0f\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.0f\n", sys, op, c, r["requests"] / (r["duration_us"] / 1e6),
        r["p50_us"] / 1000, r["p99_us"] / 1000, r["errors"], r["exhausted"], app * 1e6 / hz / n, pg * 1e6 / hz / n
    }' <<<"$4" >>"$raw"
}

measure() {
  local system=$1 op=$2 c=$3 s=$4 level=$5 app0 pg0 app1 pg1 result pid
  pid=${pid_of[$system]:-}
  app0=0; [ -z "$pid" ] || app0=$(bench_cpu_ticks "$pid")
  pg0=$(bench_pg_cpu_ticks "$postmaster")
  if [ "$system" = pgbench ]; then
    result=$(pg_phase "$op" "$c" "$s" "$level")
  else
    result=$(wrk_phase "$system" "$op" "$c" "$s")
  fi
  app1=0; [ -z "$pid" ] || app1=$(bench_cpu_ticks "$pid")
  pg1=$(bench_pg_cpu_ticks "$postmaster")
  record "$system" "$op" "$c" "$result" $((app1 - app0)) $((pg1 - pg0))
  echo "  $system $op c=$c: $(tail -1 "$raw" | cut -f4-)" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
# JIT compilation and connection pools warm up before anything counts (for every HTTP server alike).
for system in "${systems[@]}"; do
  for op in "${ops[@]}"; do
    [ "$op" != destroy ] || fill_pool "$system" 0
    wrk_phase "$system" "$op" 8 "$warmup" >/dev/null
  done
done

loads=()
level=0
for c in "${conn_levels[@]}"; do
  for op in "${ops[@]}"; do
    for system in "${systems[@]}" pgbench; do
      if [ "$op" = destroy ] && [ "$system" != pgbench ]; then
        fill_pool "$system" "$(awk -F'\t' -v s="$system" -v c="$c" '$1 == s && $2 == "create" && $3 == c { print int($4 * '"$seconds"') }' "$raw")"
      fi
      measure "$system" "$op" "$c" "$seconds" "$level"
    done
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  done
  level=$((level + 1))
done

# --- the table ----------------------------------------------------------------------------------------
mkdir -p target/bench
stamp=$(date -u '+%Y%m%d-%H%M%S')
results="target/bench/results-$stamp.txt"
cp "$raw" "target/bench/results-$stamp.tsv"
{
  echo "sessiond benchmark, $started; $seconds s per operation, system and connection count, interleaved"
  echo "machine: $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p')), $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(uname -sr)"
  echo "load average (1, 5, 15 min) before: $load_before; 1-min after each operation: ${loads[*]}; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/.*) //'), throwaway cluster, defaults but max_connections=200;" \
    "etcd $(etcd --version | sed -n 's/^etcd Version: //p') (one member, JSON gateway); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2);" \
    "JVM: $("$java" -version 2>&1 | head -1)"
  echo "cells: ops/s (p50 / p99 ms); ratios of ops/s, and of p99 (lower is better for sessiond);" \
    "CPU: microseconds of CPU per operation, of the server + of PostgreSQL; '!' = errors, '?' = ran out of prepared leases"
  echo
  awk -F'\t' -v systems="${systems[*]} pgbench" '
    BEGIN { n = split(systems, sys, " ") }
    { key = $2 SUBSEP $3 SUBSEP $1; ops[key] = $4; p50[key] = $5; p99[key] = $6; err[key] = $7; exh[key] = $8
      app[key] = $9; pg[key] = $10
      if (!(($3, $2) in seen)) { seen[$3, $2]; rows[++nr] = $3 SUBSEP $2 } }
    function cell(k) { return sprintf("%d (%.2f / %.2f)%s%s", ops[k], p50[k], p99[k], err[k] > 0 ? " !" err[k] : "", exh[k] > 0 ? " ?" : "") }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    END {
      header = "| conns | operation |"; rule = "|---|---|"
      for (i = 1; i <= n; i++) { header = header " " sys[i] " |"; rule = rule "---|" }
      for (i = 1; i <= n - 2; i++) {
        header = header " " sys[i] "/etcd | " sys[i] "/pgbench | p99 " sys[i] "/etcd |"; rule = rule "---|---|---|"
      }
      for (i = 1; i <= n; i++) { header = header " CPU " sys[i] " |"; rule = rule "---|" }
      print header; print rule
      for (r = 1; r <= nr; r++) {
        split(rows[r], cr, SUBSEP); line = "| " cr[1] " | " cr[2] " |"
        for (i = 1; i <= n; i++) line = line " " cell(cr[2] SUBSEP cr[1] SUBSEP sys[i]) " |"
        et = cr[2] SUBSEP cr[1] SUBSEP "etcd"; pb = cr[2] SUBSEP cr[1] SUBSEP "pgbench"
        for (i = 1; i <= n - 2; i++) {
          k = cr[2] SUBSEP cr[1] SUBSEP sys[i]
          line = line " " ratio(ops[k], ops[et]) " | " ratio(ops[k], ops[pb]) " | " ratio(p99[k], p99[et]) " |"
        }
        for (i = 1; i <= n; i++) {
          k = cr[2] SUBSEP cr[1] SUBSEP sys[i]
          line = line " " (sys[i] == "pgbench" ? "- + " pg[k] : app[k] " + " pg[k]) " |"
        }
        print line
      }
    }' "$raw"
} >"$results"
cat "$results"
echo
echo "written to $results (raw figures: target/bench/results-$stamp.tsv)"
