#!/usr/bin/env bash
# Footprint of the packaged sessiond: start-up time to the first served request, RSS idle and after
# create/renew/destroy cycles, size on disk; for the native executable and the JVM jar, side by side.
#
#   src/bench/footprint.sh [--native FILE] [--jar FILE] [--cycles N] [--starts N] [--limit SECONDS]
#                          [--idle SECONDS] [--native-opts 'OPTIONS'] [--jvm-opts 'OPTIONS']
#
# Each artifact starts --starts times (default 11) on its own new database: the first start migrates it, the
# others find the schema current; the start-up figure is the median of those others, from starting the
# process to its first HTTP 200 (lib.sh's bench_sessiond). --native '' or --jar '' leaves that
# artifact out; --native-opts / --jvm-opts pass run-time options
# (e.g. -Xmn8m) to the executable / to java, to see what they change. The idle RSS is read 5 s after the
# first request, then every 10 s for --idle seconds more (default 120), of which the highest is reported: an
# idle instance still allocates (heartbeats, gauges), and every page of the young generation it allocates in
# stays resident, so its RSS grows until the whole young generation has been allocated in once.
#
# Measures what is built (target/sessiond-*-runner, target/quarkus-app/quarkus-run.jar; build them first
# with `./mvnw package -Dnative`). Starts its own throwaway PostgreSQL from Debian's server binaries
# (installs the `postgresql` package if they are missing), one empty database per artifact, everything
# on 127.0.0.1 and free ports; stops every process it started and removes its files. Prints a Markdown
# table.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=src/bench

native=$(ls target/sessiond-*-runner 2>/dev/null | head -1 || true)
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || jar=
cycles=10000
starts=11
limit=900          # seconds allowed for the cycles of one artifact
idle_wait=5        # seconds between the first served request and the idle RSS reading
idle_watch=120     # seconds of further idling, read every 10 s, for the idle RSS's highest reading
start_limit=60     # seconds an artifact may take to serve its first request
java=${JAVA:-java}
native_opts=
jvm_opts=

while [ $# -gt 0 ]; do
  case "$1" in
    --native) native=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --cycles) cycles=$2; shift 2 ;;
    --starts) starts=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --idle) idle_watch=$2; shift 2 ;;
    --native-opts) native_opts=$2; shift 2 ;;
    --jvm-opts) jvm_opts=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
if ! [ "$starts" -ge 2 ] 2>/dev/null; then
  echo "--starts: at least 2 (the first migrates the empty database), not '$starts'" >&2
  exit 64
fi
if ! [ "$idle_watch" -ge 0 ] 2>/dev/null; then
  echo "--idle: a number of seconds, not '$idle_watch'" >&2
  exit 64
fi
if [ -z "$native" ] && [ -z "$jar" ]; then
  echo "nothing to measure: build first (./mvnw package -Dnative, or ./mvnw package for the jar alone)" >&2
  exit 1
fi

# --- a throwaway PostgreSQL ---------------------------------------------------------------------------
. "$BENCH_DIR/lib.sh"
bench_work footprint
bench_postgres
pg_version=$("$PG_BIN/postgres" --version)
pg_port=$BENCH_PG_PORT
work=$BENCH_WORK
app_pid=

# --- measuring one artifact ---------------------------------------------------------------------------
rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v kib="$1" 'BEGIN { printf "%.1f MiB", kib / 1024 }'; }

stop_app() {
  bench_stop_pid "$app_pid"
  app_pid=
}

declare -A result
measure() {
  local name=$1; shift
  local db="sessiond_$name" port i times=() current elapsed
  bench_psql -d postgres -c "CREATE DATABASE $db"
  port=$(bench_free_port)
  for i in $(seq "$starts"); do
    BENCH_START_LIMIT=$start_limit bench_sessiond "$name-start$i" "$db" footprint "$port" "$@" || exit 1
    app_pid=$BENCH_APP_PID
    times+=("$(awk -v us="$BENCH_START_US" 'BEGIN { printf "%.3f", us / 1e6 }')")
    # The last start stays up for the memory readings.
    if [ "$i" -lt "$starts" ]; then stop_app; fi
  done
  # The first start migrates the new, empty database; the others find the schema current, the usual case.
  result[$name,first]="${times[0]} s"
  current=$(printf '%s\n' "${times[@]:1}" | sort -n)
  result[$name,start]="$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$current") s"
  result[$name,range]="$(head -1 <<<"$current") s - $(tail -1 <<<"$current") s"
  result[$name,starts]=$(printf '%s s, ' "${times[@]}" | sed 's/, $//')
  result[$name,quarkus]=$(grep -o 'started in [0-9.]*s' "$work/$name-start$starts.log" | head -1 | sed 's/started in //')

  sleep "$idle_wait"
  result[$name,idle]=$(mib "$(rss_kib "$app_pid" VmRSS)")
  # File-backed pages (the executable's code and image heap, the JDK's files) are shared and clean;
  # anonymous ones are the process's own (Java heap, stacks, buffers).
  result[$name,idle_split]="$(mib "$(rss_kib "$app_pid" RssAnon)") + $(mib "$(rss_kib "$app_pid" RssFile)")"
  local highest waited rss
  highest=$(rss_kib "$app_pid" VmRSS)
  for ((waited = 0; waited < idle_watch; waited += 10)); do
    sleep 10
    rss=$(rss_kib "$app_pid" VmRSS)
    if [ "$rss" -gt "$highest" ]; then highest=$rss; fi
  done
  result[$name,idle_high]=$(mib "$highest")

  local out status=0
  out=$("$java" "$BENCH_DIR/SessionCycles.java" "$port" "$cycles" "$limit") || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$name: the create/renew/destroy cycles failed ($out)" >&2; tail -20 "$work/$name-start$starts.log" >&2; exit 1
  fi
  elapsed=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  result[$name,loaded]=$(mib "$(rss_kib "$app_pid" VmRSS)")
  result[$name,peak]=$(mib "$(rss_kib "$app_pid" VmHWM)")
  result[$name,cycles]=$(awk -v s="$elapsed" -v n="$cycles" 'BEGIN { printf "%.1f s (%.0f cycles/s)", s, n / s }')
  stop_app
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
columns=()
if [ -n "$native" ]; then
  # shellcheck disable=SC2086 # the options are words on purpose
  measure native "$native" $native_opts
  result[native,size]="$(awk -v b="$(stat -c %s "$native")" 'BEGIN { printf "%.1f MiB", b / 1048576 }') ($(basename "$native"))"
  columns+=(native)
fi
if [ -n "$jar" ]; then
  # shellcheck disable=SC2086
  measure jvm "$java" $jvm_opts -jar "$jar"
  app_dir=$(dirname "$jar")
  result[jvm,size]="$(du -sb "$app_dir" | awk '{ printf "%.1f MiB", $1 / 1048576 }') ($app_dir/, plus a JRE)"
  columns+=(jvm)
fi

# --- report -------------------------------------------------------------------------------------------
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(uname -sr)"
echo "load average (1, 5, 15 min) before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  (other work on the machine slows start-up)"
lscpu | head -n 15 | sed 's/^/    /'
free -h | sed 's/^/    /'
echo "PostgreSQL: $pg_version (throwaway cluster on 127.0.0.1:$pg_port)"
[ -z "$native" ] || echo "native executable options: ${native_opts:-none (defaults)}"
[ -z "$jar" ] || echo "JVM: $("$java" -version 2>&1 | head -1), options: ${jvm_opts:-none (default heap settings)}"
echo "load: $cycles cycles of PUT create + renew + destroy, one client, one kept-alive connection"
echo
header="| |"; rule="|---|"
for c in "${columns[@]}"; do
  case $c in native) header+=" native executable |" ;; jvm) header+=" JVM jar |" ;; esac
  rule+="---|"
done
row() {
  local label=$1 key=$2 line
  line="| $label |"
  for c in "${columns[@]}"; do line+=" ${result[$c,$key]} |"; done
  echo "$line"
}
echo "$header"
echo "$rule"
row "start-up to first served request, schema current (median of $((starts - 1)))" start
row "... fastest - slowest of those" range
row "first start, migrating the empty database" first
row "each start, in order" starts
row "Quarkus's own \"started in\" (last start)" quarkus
row "RSS idle (${idle_wait} s after the first request)" idle
row "... of which anonymous + file-backed" idle_split
row "RSS idle, highest reading from then to $((idle_wait + idle_watch)) s" idle_high
row "RSS after $cycles create/renew/destroy cycles" loaded
row "peak RSS (VmHWM)" peak
row "time for the $cycles cycles" cycles
row "size on disk" size
