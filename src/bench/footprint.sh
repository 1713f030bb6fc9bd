#!/usr/bin/env bash
# Footprint of the packaged sessiond: start-up time to the first served request, RSS idle and after
# create/renew/destroy cycles, size on disk; for the native executable and the JVM jar, side by side.
#
#   src/bench/footprint.sh [--native FILE] [--jar FILE] [--cycles N] [--starts N] [--limit SECONDS]
#                          [--native-opts 'OPTIONS'] [--jvm-opts 'OPTIONS']
#
# --native '' or --jar '' leaves that artifact out; --native-opts / --jvm-opts pass run-time options
# (e.g. -Xmn8m) to the executable / to java, to see what they change.
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
starts=3
limit=900          # seconds allowed for the cycles of one artifact
idle_wait=5        # seconds between the first served request and the idle RSS reading
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
    --native-opts) native_opts=$2; shift 2 ;;
    --jvm-opts) jvm_opts=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
if [ -z "$native" ] && [ -z "$jar" ]; then
  echo "nothing to measure: build first (./mvnw package -Dnative, or ./mvnw package for the jar alone)" >&2
  exit 1
fi

# --- a throwaway PostgreSQL ---------------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries are missing: apt-get install postgresql" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
else
  as_pg() { "$@"; }
fi

work=$(mktemp -d /tmp/sessiond-footprint.XXXXXX)
chmod 755 "$work"
mkdir "$work/pg"
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$work/pg"
app_pid=
pg_started=

cleanup() {
  local status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_started" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "footprint: failed; logs kept in $work" >&2
  fi
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 30000))
    # Nothing answers a connection there: free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

pg_port=$(free_port)
as_pg "$pg_bin/initdb" -D "$work/pg/data" -U sessiond --auth=trust -E UTF8 >"$work/initdb.log" 2>&1
as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg" start >/dev/null
pg_started=yes
pg_version=$("$pg_bin/postgres" --version)

# --- measuring one artifact ---------------------------------------------------------------------------
now_ns() { date +%s%N; }
rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v kib="$1" 'BEGIN { printf "%.1f MiB", kib / 1024 }'; }

stop_app() {
  kill "$app_pid"
  local waited=0
  while kill -0 "$app_pid" 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -0 "$app_pid" 2>/dev/null && kill -9 "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

declare -A result
measure() {
  local name=$1; shift
  local db="sessiond_$name" port log t0 t1 code i times=() elapsed
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U sessiond "$db"
  port=$(free_port)
  for i in $(seq "$starts"); do
    log="$work/$name-start$i.log"
    t0=$(now_ns)
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/$db" QUARKUS_DATASOURCE_USERNAME=sessiond \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" SESSIOND_NODE_NAME=footprint \
      SESSIOND_WEB_SIGNING_SECRETS=footprint-bench-not-a-secret \
      "$@" >"$log" 2>&1 &
    app_pid=$!
    # Poll every 10 ms: fine enough for a start-up of a tenth of a second, and a tighter loop of curl
    # processes would take CPU time from the server starting on the same cores.
    while :; do
      code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$port/v1/session/list" || true)
      [ "$code" = 200 ] && break
      sleep 0.01
      if ! kill -0 "$app_pid" 2>/dev/null; then
        echo "$name exited before serving a request:" >&2; cat "$log" >&2; exit 1
      fi
      if [ $(( ($(now_ns) - t0) / 1000000000 )) -ge "$start_limit" ]; then
        echo "$name served no request within $start_limit s:" >&2; cat "$log" >&2; exit 1
      fi
    done
    t1=$(now_ns)
    times+=("$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')")
    # The last start stays up for the memory readings.
    if [ "$i" -lt "$starts" ]; then stop_app; fi
  done
  result[$name,starts]=$(printf '%s s, ' "${times[@]}" | sed 's/, $//')
  result[$name,start]="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') s"
  result[$name,quarkus]=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | sed 's/started in //')

  sleep "$idle_wait"
  result[$name,idle]=$(mib "$(rss_kib "$app_pid" VmRSS)")
  # File-backed pages (the executable's code and image heap, the JDK's files) are shared and clean;
  # anonymous ones are the process's own (Java heap, stacks, buffers).
  result[$name,idle_split]="$(mib "$(rss_kib "$app_pid" RssAnon)") + $(mib "$(rss_kib "$app_pid" RssFile)")"

  local out status=0
  out=$("$java" "$BENCH_DIR/SessionCycles.java" "$port" "$cycles" "$limit") || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$name: the create/renew/destroy cycles failed ($out)" >&2; tail -20 "$log" >&2; exit 1
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
row "start-up to first served request (median of $starts)" start
row "each start" starts
row "Quarkus's own \"started in\" (last start)" quarkus
row "RSS idle (${idle_wait} s after the first request)" idle
row "... of which anonymous + file-backed" idle_split
row "RSS after $cycles create/renew/destroy cycles" loaded
row "peak RSS (VmHWM)" peak
row "time for the $cycles cycles" cycles
row "size on disk" size
