#!/usr/bin/env bash
# Start-up of the sessiond CLI: the native executable against the jar, runs taking turns (native, jar,
# native, ...) so that a shared machine's changing speed weighs on both alike. Prints, per CLI and command,
# the median, fastest and slowest wall-clock time of a whole run and the largest peak RSS.
#
#   src/bench/cli-startup.sh [--runs N] [--http-addr HOST:PORT] NATIVE JAR
#
# The commands: `--help` (no request) and `kv get` of one key (one request) against a running sessiond at
# --http-addr (default 127.0.0.1:8500), on which it first writes that key. The jar runs with $JAVA (default
# java) and the launcher script's options (C1 only, serial GC).
set -euo pipefail

runs=10
addr=127.0.0.1:8500
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --http-addr) addr=$2; shift 2 ;;
    -*) echo "unknown argument: $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
if [ $# -ne 2 ]; then
  echo "usage: $0 [--runs N] [--http-addr HOST:PORT] NATIVE JAR" >&2
  exit 64
fi
native=$1
jar=$2
java=${JAVA:-java}
export SESSIOND_HTTP_ADDR=$addr
key=bench/cli-startup
"$native" kv put "$key" "measured" > /dev/null

declare -A times peaks
measure() { # label, then the command
  local label=$1 out
  shift
  out=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null; } 2>&1 | tail -1)
  times[$label]+="${out% *} "
  peaks[$label]+="${out#* } "
}
for _ in $(seq "$runs"); do
  measure "native --help" "$native" --help
  measure "jar    --help" "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" --help
  measure "native kv get" "$native" kv get "$key"
  measure "jar    kv get" "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" kv get "$key"
done
"$native" kv delete "$key" > /dev/null

printf '%-14s %8s %8s %8s %10s   (%s runs; load average %s)\n' "" median fastest slowest "peak RSS" "$runs" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
for label in "native --help" "jar    --help" "native kv get" "jar    kv get"; do
  sorted=$(tr ' ' '\n' <<<"${times[$label]}" | grep . | sort -n)
  count=$(wc -l <<<"$sorted")
  median=$(sed -n "$(( (count + 1) / 2 ))p" <<<"$sorted")
  peak=$(tr ' ' '\n' <<<"${peaks[$label]}" | grep . | sort -n | tail -1)
  printf '%-14s %7ss %7ss %7ss %7s MB\n' "$label" "$median" "$(head -1 <<<"$sorted")" "$(tail -1 <<<"$sorted")" "$((peak / 1024))"
done
