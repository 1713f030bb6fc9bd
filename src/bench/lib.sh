# Shell functions shared by the scripts in src/bench (sourced, not run): Debian packages, a throwaway
# PostgreSQL cluster on 127.0.0.1, free ports, waiting for an HTTP service, stopping a process by PID.

# Makes sure every command named is installed: "command:package" pairs. As root, installs the missing
# packages with apt-get; otherwise says exactly what to install and fails.
bench_require() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: apt-get install ${missing[*]}" >&2
    return 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Sets PG_BIN to the newest installed PostgreSQL server's bin directory (installs Debian's `postgresql`
# if there is none) and defines as_pg, which runs a command as the owner of the cluster.
bench_find_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    # The server package brings initdb, pg_ctl and pgbench.
    bench_require_package postgresql || return 1
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
}

bench_require_package() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: apt-get install $1" >&2
    return 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

# bench_pg_start DIR PORT [postgres -c options...]: a new cluster in DIR/data (superuser sessiond, trust
# authentication), listening on 127.0.0.1:PORT and a socket in DIR only. DIR must be empty.
bench_pg_start() {
  local dir=$1 port=$2 opts="" option
  shift 2
  for option in "$@"; do opts+=" -c $option"; done
  chmod 755 "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U sessiond --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir$opts" start >/dev/null
}

bench_pg_stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}

# bench_free_port: a port nothing listens on, below the kernel's range of ephemeral ports: a port in that
# range may be taken at any time as the local end of an outgoing connection, even one to the port itself
# (Linux connects such a socket to itself), while a server waits to listen on it.
bench_free_port() {
  local port low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  for _ in $(seq 200); do
    port=$((10000 + RANDOM % (low - 10000)))
    # Nothing answers a connection there: free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# bench_wait_http URL PID LIMIT_SECONDS LOG: polls URL (http://HOST:PORT/PATH) every millisecond until it
# answers 200. The polling is bash's own (/dev/tcp, read -t): no process per attempt, so it takes next to
# no CPU from a server starting on the same cores, and a start-up timed around it is off by about a
# millisecond. Fails, showing LOG, if process PID exits first or LIMIT_SECONDS pass.
bench_wait_http() {
  local url=$1 pid=$2 limit=$3 log=$4 start host port path status tick conn
  if ! [[ $url =~ ^http://([^/:]+):([0-9]+)(/.*)?$ ]]; then
    echo "bench_wait_http: not an http://HOST:PORT/PATH URL: $url" >&2; return 1
  fi
  host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]} path=${BASH_REMATCH[3]:-/}
  start=${EPOCHREALTIME//[!0-9]/}
  # A pipe nobody writes to: read -t on it is a sleep without a process.
  exec {tick}<> <(:)
  while :; do
    status=
    if exec {conn}<>"/dev/tcp/$host/$port"; then
      printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&"$conn"
      read -r -t 2 -u "$conn" status || true
      exec {conn}<&-
    fi 2>/dev/null
    if [[ $status == "HTTP/1.1 200"* ]]; then
      exec {tick}<&-; return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      exec {tick}<&-; echo "process $pid exited before $url answered:" >&2; tail -40 "$log" >&2; return 1
    fi
    if [ $(( (${EPOCHREALTIME//[!0-9]/} - start) / 1000000 )) -ge "$limit" ]; then
      exec {tick}<&-; echo "$url did not answer within $limit s:" >&2; tail -40 "$log" >&2; return 1
    fi
    read -r -t 0.001 -u "$tick" _ || true
  done
}

# bench_stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL. Only ever a PID this script started;
# it is taken off BENCH_PIDS, so that the exit trap never signals a PID the system may have reused.
bench_stop_pid() {
  local pid=$1 waited=0 kept=() other
  [ -n "$pid" ] || return 0
  for other in "${BENCH_PIDS[@]}"; do [ "$other" = "$pid" ] || kept+=("$other"); done
  BENCH_PIDS=("${kept[@]}")
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

# CPU time (user + system) in clock ticks that process PID has used so far.
bench_cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU time in clock ticks used so far by a PostgreSQL cluster: the postmaster, its live processes, and the
# processes that already exited (the postmaster waited for them, so their time is in its cutime/cstime).
bench_pg_cpu_ticks() {
  local postmaster=$1 total child
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
  for child in $(cat "/proc/$postmaster/task/$postmaster/children" 2>/dev/null); do
    total=$((total + $(bench_cpu_ticks "$child")))
  done
  echo "$total"
}

# bench_work NAME: a temporary directory BENCH_WORK for this run (kept when the script fails, for its
# logs), and an EXIT trap that stops every process recorded in BENCH_PIDS (by PID) and the PostgreSQL
# cluster started in $BENCH_WORK/pg.
bench_work() {
  BENCH_WORK=$(mktemp -d "/tmp/sessiond-$1.XXXXXX")
  chmod 755 "$BENCH_WORK"
  BENCH_PIDS=()
  BENCH_PG_STARTED=
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local status=$? pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
  [ -z "$BENCH_PG_STARTED" ] || bench_pg_stop "$BENCH_WORK/pg"
  if [ "$status" -eq 0 ]; then
    rm -rf "$BENCH_WORK"
  else
    echo "failed; logs kept in $BENCH_WORK" >&2
  fi
}

# bench_postgres [postgres -c options...]: a throwaway cluster in $BENCH_WORK/pg on a free port
# (BENCH_PG_PORT; its postmaster's PID in BENCH_POSTMASTER); bench_psql runs psql against it.
bench_postgres() {
  bench_find_postgres
  mkdir "$BENCH_WORK/pg"
  BENCH_PG_PORT=$(bench_free_port)
  bench_pg_start "$BENCH_WORK/pg" "$BENCH_PG_PORT" "$@"
  BENCH_PG_STARTED=yes
  BENCH_POSTMASTER=$(head -1 "$BENCH_WORK/pg/data/postmaster.pid")
}

bench_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_PG_PORT" -U sessiond "$@"; }

# bench_sessiond NAME DATABASE NODE PORT command...: starts sessiond (command: java -jar ..., or the
# native executable) on DATABASE of the throwaway cluster, on 127.0.0.1:PORT (its PID in BENCH_APP_PID
# and BENCH_PIDS; log in $BENCH_WORK/NAME.log), and waits until it serves requests. Its start-up, from
# starting the process to the first served request, is in BENCH_START_US (microseconds).
bench_sessiond() {
  local name=$1 db=$2 node=$3 start
  BENCH_APP_PORT=$4
  shift 4
  # EPOCHREALTIME: microseconds from bash itself, without a process (its separator removed).
  start=${EPOCHREALTIME//[!0-9]/}
  # The signing secret lets the packaged app start in prod profile once web sessions require one.
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$db" QUARKUS_DATASOURCE_USERNAME=sessiond \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$BENCH_APP_PORT" SESSIOND_NODE_NAME="$node" \
    SESSIOND_WEB_SIGNING_SECRETS=bench-not-a-secret "$@" >"$BENCH_WORK/$name.log" 2>&1 &
  BENCH_APP_PID=$!
  BENCH_PIDS+=("$BENCH_APP_PID")
  bench_wait_http "http://127.0.0.1:$BENCH_APP_PORT/v1/session/list" "$BENCH_APP_PID" "${BENCH_START_LIMIT:-60}" \
    "$BENCH_WORK/$name.log" || return 1
  BENCH_START_US=$(( ${EPOCHREALTIME//[!0-9]/} - start ))
}

# bench_pgbench_table DATABASE ROWS: pgbench's table bench_sessions in DATABASE, sessiond's sessions without
# the foreign key (LIKE sessions: same columns, constraints and indexes), filled with ROWS live sessions
# whose IDs are md5('bench' || i) for i in 1..ROWS.
bench_pgbench_table() {
  bench_psql -d "$1" <<SQL
CREATE TABLE bench_sessions (LIKE sessions INCLUDING ALL);
INSERT INTO bench_sessions (id, name, node, lock_delay_ns, behavior, ttl, ttl_ns, node_checks, create_index,
                            modify_index, created_at, last_renewed_at, expires_at)
SELECT md5('bench' || i)::uuid, 'bench', 'bench', 15000000000, 'release', '3600s', 3600000000000, '{serfHealth}',
       1, 1, now(), now(), now() + interval '1 day'
  FROM generate_series(1, $2) AS i;
VACUUM ANALYZE bench_sessions;
SQL
}

# bench_pool_update OP OUT POOL: after a wrk phase of leases.lua, the pool file POOL gains the IDs a create
# phase wrote to OUT and loses those a destroy phase used.
bench_pool_update() {
  local op=$1 out=$2 pool=$3
  case $op in
    create) cat "$out"/create-* >>"$pool" ;;
    destroy)
      awk 'NR == FNR { used[$0]; next } !($0 in used)' <(cat "$out"/destroy-*) "$pool" >"$pool.left"
      mv "$pool.left" "$pool" ;;
  esac
}
