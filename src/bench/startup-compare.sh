#!/usr/bin/env bash
# Start-up of two or more builds compared under the same conditions: their starts take turns (A, B, A, B,
# ...) on one database, so that the machine's speed, which varies from hour to hour on shared machines,
# weighs on each alike. Prints, per build, the median, fastest and slowest start-up to the first served
# request (lib.sh's bench_sessiond, the same timing as footprint.sh), and the median CPU time the process
# used until then (all its threads, from /proc/PID/task/*/schedstat), which a loaded machine inflates far
# less than the wall time.
#
#   src/bench/startup-compare.sh [--starts N] FILE FILE...
#
# A FILE is a native executable, or a jar (run with $JAVA, default java). A first start of the first FILE,
# not counted, migrates the new database; every counted start finds the schema current. Starts its own
# throwaway PostgreSQL, as footprint.sh does, and stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=src/bench

starts=20
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) starts=$2; shift 2 ;;
    -*) echo "unknown argument: $1" >&2; exit 64 ;;
    *) files+=("$1"); shift ;;
  esac
done
if [ "${#files[@]}" -lt 2 ]; then
  echo "usage: $0 [--starts N] FILE FILE... (at least two builds to compare)" >&2
  exit 64
fi
if ! [ "$starts" -ge 1 ] 2>/dev/null; then
  echo "--starts: a positive number, not '$starts'" >&2
  exit 64
fi
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "no such file: $file" >&2; exit 1; }
done

. "$BENCH_DIR/lib.sh"
bench_work startup-compare
bench_postgres
bench_psql -d postgres -c "CREATE DATABASE sessiond_compare"
port=$(bench_free_port)

# start_once NAME FILE: one start to the first served request, then stopped; its time in BENCH_START_US, the
# CPU its threads had used by then in BENCH_START_CPU_US (threads that had already ended are not counted).
start_once() {
  local name=$1 file=$2 command=("$2") task run wait slices
  [[ $file != *.jar ]] || command=("${JAVA:-java}" -jar "$file")
  bench_sessiond "$name" sessiond_compare compare "$port" "${command[@]}" || exit 1
  BENCH_START_CPU_US=0
  for task in /proc/"$BENCH_APP_PID"/task/*/schedstat; do
    read -r run wait slices <"$task" 2>/dev/null && BENCH_START_CPU_US=$(( BENCH_START_CPU_US + run / 1000 ))
  done
  bench_stop_pid "$BENCH_APP_PID"
}

start_once migrate "${files[0]}"
declare -a times cpus
for i in $(seq "$starts"); do
  for k in "${!files[@]}"; do
    start_once "start$i-build$k" "${files[$k]}"
    times[$k]+="$(awk -v us="$BENCH_START_US" 'BEGIN { printf "%.1f", us / 1e3 }') "
    cpus[$k]+="$(awk -v us="$BENCH_START_CPU_US" 'BEGIN { printf "%.1f", us / 1e3 }') "
  done
done

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "start-up to the first served request, $starts interleaved starts each, schema current"
echo
echo '| build | median | fastest - slowest | CPU to the first request, median |'
echo '|---|---|---|---|'
median() {
  tr ' ' '\n' <<<"$1" | grep . | sort -n \
    | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for k in "${!files[@]}"; do
  sorted=$(tr ' ' '\n' <<<"${times[$k]}" | grep . | sort -n)
  echo "| ${files[$k]} | $(median "${times[$k]}") ms | $(head -1 <<<"$sorted") ms - $(tail -1 <<<"$sorted") ms | $(median "${cpus[$k]}") ms |"
done
