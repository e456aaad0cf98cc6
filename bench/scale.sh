#!/usr/bin/env bash
# Does reading a thread page cost the same in a big database as in a small
# one? See bench/README.md ("At scale").
#
#   BENCH_DB=sqlite   bench/scale.sh                      10k and 1M comments
#   BENCH_DB=postgres BENCH_NODES=2 bench/scale.sh        two nodes on one PostgreSQL
#   BENCH_DB=postgres BENCH_SIZES="10000 10000000" bench/scale.sh   the full 10M
#   BENCH_SPREAD=100 …   read 100 threads spaced over all of them: the same
#                        working set at every size, so RAM is not what is measured
#
# For each size it seeds a fresh database (100 comments a thread, so 10M
# comments are 100,000 threads), starts Rostra (one node, or two on one
# PostgreSQL database) with the page cache OFF, so that every request reads
# the database, and has wrk read the first page of a random thread among all
# of them (bench/pages.lua). nginx serves the bytes of one such page in the
# same run, as the baseline. Every process started here is stopped by the
# EXIT trap. Results land in bench/out/scale-* (git-ignored).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
OUT=$(realpath -m "${BENCH_OUT:-$BENCH_DIR/out}")

DB=${BENCH_DB:-sqlite}                    # sqlite | postgres
NODES=${BENCH_NODES:-1}                   # 1 | 2 (2: postgres only)
SIZES=${BENCH_SIZES:-10000 1000000}       # comments, smallest first
PER_THREAD=${BENCH_PER_THREAD:-100}       # comments per thread
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}   # server (no database)
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-50}
PORT=${BENCH_PORT:-18090}                 # node 1; node 2 is PORT + 1
NGINX_PORT=${BENCH_NGINX_PORT:-18089}
REUSE=${BENCH_REUSE_DATA:-0}              # 1: keep a database seeded earlier
ROUNDS=${BENCH_ROUNDS:-3}                 # sizes measured in turn, this many times
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
SPREAD=${BENCH_SPREAD:-0}                 # >0: read only this many threads, spaced evenly over all of them

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target/bench}
BIN=$CARGO_TARGET_DIR/release/rostra
CPUS=$(nproc)
ORIGIN=http://127.0.0.1:$PORT             # every seeded page is on node 1's origin
MANY_URL=$ORIGIN/bench/t
RUN=$OUT/scale-$DB-$NODES${BENCH_TAG:+-$BENCH_TAG}   # this run's logs and results (BENCH_TAG: a name for a variant)
DATA_ROOT=$OUT/scale-data-$DB             # seeded data, shared by 1- and 2-node runs
RESULTS=$RUN/results.tsv

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'scale: %s\n' "$*" >&2; exit 1; }

for tool in curl wrk nginx jq awk; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk nginx-light jq curl)"
done
[[ $DB == sqlite || $DB == postgres ]] || die "BENCH_DB is sqlite or postgres"
[[ $NODES == 1 || $NODES == 2 ]] || die "BENCH_NODES is 1 or 2"
[[ $NODES == 1 || $DB == postgres ]] || die "two nodes share a PostgreSQL database: set BENCH_DB=postgres"
[[ $DB == sqlite ]] || command -v psql >/dev/null || die "psql is missing"

# ------------------------------------------------------ process management --
PIDS=()
NGINX_PID=""
WRK_PIDS=()
wait_wrk() { local p; for p in "${WRK_PIDS[@]}"; do wait "$p" || true; done; WRK_PIDS=(); }
stop_pid() { # SIGTERM, then SIGKILL after 15 s
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_nodes() { local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=(); }
cleanup() {
  local p
  for p in "${WRK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_nodes; stop_pid "$NGINX_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { # URL PID: up to 60 s for a 200 while PID lives
  local i
  for ((i = 0; i < 600; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "the server for $1 exited; see its log in $RUN"
    sleep 0.1
  done
  die "no answer from $1"
}
to_ms() { # wrk latency ("812.00us", "3.21ms", "1.02s") in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}
machine_jiffies() { awk '/^cpu / { idle = $5 + $6; t = 0; for (i = 2; i <= NF; i++) t += $i; print t - idle, t }' /proc/stat; }
urlenc() { jq -rn --arg u "$1" '$u | @uri'; }

# ------------------------------------------------------------------ build --
mkdir -p "$RUN" "$DATA_ROOT"
: >"$RESULTS"
if [[ $SKIP_BUILD != 1 ]]; then
  log "building rostra (release, target dir $CARGO_TARGET_DIR)"
  (cd "$REPO" && cargo build --release -p rostra)
fi
[[ -x $BIN ]] || die "no binary at $BIN"

# ------------------------------------------------------------ per size ----
database_for() { # SIZE: the database URL of that size's data
  if [[ $DB == postgres ]]; then echo "$PG/rostra_scale_$1"; else echo ""; fi
}

seed_size() { # SIZE THREADS DATA_DIR
  local size=$1 threads=$2 data=$3 url plan t0 t1
  url=$(database_for "$size")
  plan="db=$DB comments=$size threads=$threads port=$PORT"
  if [[ $REUSE == 1 && -f $data/plan && $(cat "$data/plan") == "$plan" ]]; then
    log "reusing the $size-comment database seeded earlier"
    return
  fi
  log "seeding $size comments over $threads threads ($DB)"
  rm -rf "$data"; mkdir -p "$data"
  if [[ $DB == postgres ]]; then
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS rostra_scale_$size" -c "CREATE DATABASE rostra_scale_$size" >/dev/null
  fi
  t0=$(date +%s.%N)
  # The progress bar goes to the terminal; its last line, the rate, to the log.
  ROSTRA_DATABASE__URL=$url "$BIN" seed --data-dir "$data" --site demo \
    --url "$MANY_URL" --comments "$size" --threads "$threads" | tee "$data/seed.log"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }' >"$data/seed-seconds"
  if [[ $DB == postgres ]]; then
    psql -Atq "$url" -c "VACUUM ANALYZE" -c "SELECT pg_database_size(current_database()) / 1048576" >"$data/db-mb"
  else
    du -sm "$data" | awk '{ print $1 }' >"$data/db-mb"
  fi
  echo "$plan" >"$data/plan"
}

start_nodes() { # DATA_DIR SIZE
  local data=$1 url n port
  url=$(database_for "$2")
  for ((n = 0; n < NODES; n++)); do
    port=$((PORT + n))
    port_free "$port" || die "port $port is taken (set BENCH_PORT)"
    mkdir -p "$data/node$n"
    env ROSTRA_RATE__WRITES_PER_MINUTE=0 ROSTRA_RATE__VOTES_PER_MINUTE=0 \
        ROSTRA_LOG__FILTER=warn ROSTRA_CACHE__PAGE_BYTES=0 ROSTRA_DATABASE__URL="$url" \
        "$BIN" serve --data-dir "$( [[ $DB == sqlite ]] && echo "$data" || echo "$data/node$n")" \
        --listen "127.0.0.1:$port" >"$RUN/rostra-$2-$n.log" 2>&1 &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$port/readyz" "$!"
  done
}

# wrk_run NAME URL CONNS THREADS [wrk args...] > raw file: one wrk process
wrk_run() {
  local file=$1 url=$2 c=$3 t=$4; shift 4
  wrk -t"$t" -c"$c" -d"${DURATION}s" --latency "$@" "$url" >"$file" 2>&1
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_p() { to_ms "$(awk -v q="$2" '$1 == q { print $2 }' "$1")"; }
wrk_bad() { # non-2xx plus socket errors
  awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"
}

threads_of() { echo $(( $1 / PER_THREAD > 0 ? $1 / PER_THREAD : 1 )); }

measure_size() { # SIZE ROUND
  local size=$1 round=$2 threads data page_path busy0 total0 busy1 total1
  threads=$(threads_of "$size")
  data=$DATA_ROOT/data-$size
  start_nodes "$data" "$size"

  # nginx serves the bytes of thread 1's first page.
  page_path="/api/v1/sites/demo/thread?url=$(urlenc "$MANY_URL/1")"
  local www=$RUN/www ngx=$RUN/nginx
  rm -rf "$www" "$ngx"; mkdir -p "$www" "$ngx"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
  curl -fsS "http://127.0.0.1:$PORT$page_path" -o "$www/page.json"
  chmod -R a+rX "$www"
  [[ $(jq '.comments | length' "$www/page.json") -gt 0 ]] || die "thread 1 has no comments"
  port_free "$NGINX_PORT" || die "port $NGINX_PORT is taken (set BENCH_NGINX_PORT)"
  sed -e "s|@PREFIX@|$ngx|g" -e "s|@ROOT@|$www|g" -e "s|@PORT@|$NGINX_PORT|g" \
      -e "s|@WORKERS@|$CPUS|g" "$BENCH_DIR/nginx.conf.in" >"$ngx/nginx.conf"
  nginx -p "$ngx" -c "$ngx/nginx.conf" 2>"$ngx/stderr.log" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$NGINX_PORT/page.json" "$NGINX_PID"

  log "$size comments: nginx baseline (${WARMUP}s warm-up, ${DURATION}s)"
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$NGINX_PORT/page.json" >/dev/null
  wrk_run "$RUN/wrk-$size-nginx.txt" "http://127.0.0.1:$NGINX_PORT/page.json" "$CONNS" 2
  stop_pid "$NGINX_PID"; NGINX_PID=""

  # Rostra: one wrk per node, at once, the connections split between them.
  local per=$(( CONNS / NODES )) wt=$(( NODES == 1 ? 2 : 1 )) n files=()
  local script=(-s "$BENCH_DIR/pages.lua" -- demo "$MANY_URL" "$threads" "$SPREAD")
  log "$size comments: rostra, $NODES node(s), random thread pages of $threads$( ((SPREAD > 0)) && echo ", only $SPREAD of them, evenly spaced")"
  for ((n = 0; n < NODES; n++)); do
    wrk -t"$wt" -c"$per" -d"${WARMUP}s" "http://127.0.0.1:$((PORT + n))" "${script[@]}" >/dev/null &
    WRK_PIDS+=($!)
  done
  wait_wrk
  read -r busy0 total0 < <(machine_jiffies)
  for ((n = 0; n < NODES; n++)); do
    files+=("$RUN/wrk-$size-rostra-$n.txt")
    wrk -t"$wt" -c"$per" -d"${DURATION}s" --latency "http://127.0.0.1:$((PORT + n))" "${script[@]}" \
      >"${files[n]}" 2>&1 &
    WRK_PIDS+=($!)
  done
  wait_wrk
  read -r busy1 total1 < <(machine_jiffies)
  stop_nodes

  local rps=0 p50=0 p99=0 bad=0 f
  for f in "${files[@]}"; do
    rps=$(awk -v a="$rps" -v b="$(wrk_rps "$f")" 'BEGIN { printf "%.2f", a + b }')
    p50=$(awk -v a="$p50" -v b="$(wrk_p "$f" 50%)" 'BEGIN { printf "%.3f", (b > a ? b : a) }')
    p99=$(awk -v a="$p99" -v b="$(wrk_p "$f" 99%)" 'BEGIN { printf "%.3f", (b > a ? b : a) }')
    bad=$((bad + $(wrk_bad "$f")))
  done
  local nrps np99
  nrps=$(wrk_rps "$RUN/wrk-$size-nginx.txt")
  np99=$(wrk_p "$RUN/wrk-$size-nginx.txt" 99%)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$DB" "$NODES" "$size" "$threads" \
    "$rps" "$p50" "$p99" "$bad" "$nrps" "$np99" \
    "$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')" \
    "$(cat "$data/seed-seconds")" "$(cat "$data/db-mb")" \
    "$(awk -v a="$busy0" -v b="$busy1" -v c="$total0" -v e="$total1" 'BEGIN { printf "%.0f", 100 * (b - a) / (e - c) }')" \
    "$round" >>"$RESULTS"
  log "$size: $rps req/s, p99 $p99 ms, $bad bad answers; nginx $nrps req/s"
}


LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
for size in $SIZES; do seed_size "$size" "$(threads_of "$size")" "$DATA_ROOT/data-$size"; done
if [[ $DB == postgres ]]; then # count buffer hits from here on
  for size in $SIZES; do psql -Atq "$(database_for "$size")" -c "SELECT pg_stat_reset()" >/dev/null; done
fi
# The sizes in turn, round after round: other work on the machine then
# weighs on every size alike, and the medians say what a single run cannot.
for ((round = 1; round <= ROUNDS; round++)); do
  for size in $SIZES; do measure_size "$size" "$round"; done
done
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v s="$1" -v c="$2" '$3 == s { print $c }' "$RESULTS" | median; }
MEDIANS=$RUN/medians.tsv
: >"$MEDIANS"
for size in $SIZES; do
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$DB" "$NODES" "$size" "$(threads_of "$size")" \
    "$(col "$size" 5)" "$(col "$size" 7)" "$(col "$size" 9)" "$(col "$size" 11)" >>"$MEDIANS"
done

# ----------------------------------------------------------------- report --
{
  printf '\nRostra at scale  %s  (%s CPUs, %s, %s, %s node(s), page cache off)\n' \
    "$(date -u +%FT%TZ)" "$CPUS" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')" "$DB" "$NODES"
  printf 'load: wrk -c%s -d%ss --latency, first page of a random thread (%s comments a thread); nginx: one such page, same run\n\n' \
    "$CONNS" "$DURATION" "$PER_THREAD"
  printf '%-9s %5s %10s %8s %10s %8s %8s %5s %10s %8s %9s %8s %8s %6s %5s\n' \
    db nodes comments threads "req/s" "p50 ms" "p99 ms" bad "nginx r/s" "ngx p99" "vs nginx" "seed s" "db MB" "busy%" round
  printf '%.0s-' {1..134}; echo
  awk -F'\t' '{ printf "%-9s %5s %10s %8s %10s %8s %8s %5s %10s %8s %9s %8s %8s %6s %5s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }' "$RESULTS"
  printf '\nmedians of %s rounds:\n' "$ROUNDS"
  printf '%-9s %5s %10s %8s %10s %8s %10s %9s\n' db nodes comments threads "req/s" "p99 ms" "nginx r/s" "vs nginx"
  awk -F'\t' '{ printf "%-9s %5s %10s %8s %10s %8s %10s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$MEDIANS"
  echo
  awk -F'\t' 'NR == 1 { r0 = $8; q0 = $5; p0 = $6; s0 = $3 } END { if (NR > 1) printf "largest vs smallest (%s vs %s comments), medians: vs-nginx ratio %.2f, req/s %.2f, p99 %.2f\n", $3, s0, $8 / r0, $5 / q0, $6 / p0 }' "$MEDIANS"
  if [[ $DB == postgres ]]; then
    printf 'PostgreSQL shared_buffers %s; block reads served from them during the runs:' \
      "$(psql -Atq "$PG/postgres" -c 'SHOW shared_buffers')"
    for size in $SIZES; do
      printf ' %s comments %s%%;' "$size" "$(psql -Atq "$(database_for "$size")" -c \
        "SELECT round(100.0 * blks_hit / NULLIF(blks_hit + blks_read, 0), 1) FROM pg_stat_database WHERE datname = current_database()")"
    done
    echo
  fi
  printf 'p50/p99 with two nodes: the higher of the two wrk runs; req/s: their sum\n'
  printf 'load average at start: %s\n' "$LOAD_AT_START"
} | tee "$RUN/summary.txt"
