#!/usr/bin/env bash
# Blocking queries at scale: 10,000 blocking queries (?index=) parked on sessiond at once, half on one
# key and half on another; the server's thread count, RSS and heap while they wait; then, once the server
# is idle, one write of the first key, how long its waiters take to get their answer (p50, p99, max) and
# the CPU the server used until the last one, while the others stay parked. The load is
# src/bench/BlockingWaiters.java (run from source by the JDK).
#
#   src/bench/blocking.sh [--waiters N] [--jar FILE]
#
# Starts its own PostgreSQL and sessiond (the jar; build it with ./mvnw package -DskipTests) on
# 127.0.0.1, stops them by PID. Needs a JDK (jcmd reads the server's heap) and a file-descriptor limit
# above the waiter count (one connection each, on both sides).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=$PWD/src/bench
. "$BENCH_DIR/lib.sh"

waiters=10000
jar=target/quarkus-app/quarkus-run.jar
java=${JAVA:-java}
while [ $# -gt 0 ]; do
  case "$1" in
    --waiters) waiters=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[ -f "$jar" ] || { echo "no sessiond jar at $jar: build it first (./mvnw package -DskipTests)" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd is missing: install a JDK (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
ulimit -n $((waiters + 1000)) 2>/dev/null || true
if [ "$(ulimit -n)" -le "$waiters" ]; then
  echo "the file-descriptor limit ($(ulimit -n)) is below $waiters waiters: raise it (ulimit -n)" >&2
  exit 1
fi

bench_work blocking
bench_postgres
bench_psql -d postgres -c "CREATE DATABASE sessiond"
bench_sessiond sessiond sessiond bench "$(bench_free_port)" "$java" -jar "$jar"
threads_idle=$(awk '/^Threads:/ { print $2 }' "/proc/$BENCH_APP_PID/status")

echo "blocking queries at scale, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs, $(free -h | awk '/^Mem:/ { print $2 }') RAM," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); JVM defaults ($("$java" -version 2>&1 | head -1))"
echo "server_threads_idle=$threads_idle"
timeout 600 "$java" "$BENCH_DIR/BlockingWaiters.java" "$BENCH_APP_PORT" "$BENCH_APP_PID" "$waiters"
