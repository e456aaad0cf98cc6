#!/usr/bin/env bash
# Rostra load benchmark: see bench/README.md for what is measured and why.
#
#   bench/run.sh                          full scale (1M + 50k + 200 comments)
#   BENCH_COMMENTS=100000 bench/run.sh    quicker: shrink the 1,000-thread set
#
# Everything runs on loopback; every process started here is stopped by the
# EXIT trap. Results land in bench/out/ (git-ignored).
set -euo pipefail

# ---------------------------------------------------------------- settings --
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
OUT=${BENCH_OUT:-$BENCH_DIR/out}
DATA=$OUT/data                            # the seeded database lives here

COMMENTS=${BENCH_COMMENTS:-1000000}       # spread over THREADS threads
THREADS=${BENCH_THREADS:-1000}
BIG=${BENCH_BIG:-50000}                   # one large thread
SMALL=${BENCH_SMALL:-200}                 # one ordinary thread, served whole
DURATION=${BENCH_DURATION:-10}            # seconds per measured wrk run
WARMUP=${BENCH_WARMUP:-2}                 # seconds of unrecorded warm-up
CONNS=${BENCH_CONNECTIONS:-50}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
PORT=${BENCH_PORT:-18080}                 # rostra
NGINX_PORT=${BENCH_NGINX_PORT:-18081}     # nginx baseline
POST_THREADS=${BENCH_POST_THREADS:-5}     # POSTs go to threads t/1..t/N
REUSE=${BENCH_REUSE_DATA:-0}              # 1: keep a database seeded earlier
DB=${BENCH_DB:-sqlite}                    # sqlite | postgres
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}   # postgres: the server
PG_DB=${BENCH_PG_DATABASE:-rostra_bench}  # postgres: the database, dropped and created
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target/bench}
BIN=$CARGO_TARGET_DIR/release/rostra
CPUS=$(nproc)

ORIGIN=http://127.0.0.1:$PORT             # page URLs must be on this origin
R=http://127.0.0.1:$PORT                  # rostra API base
N=http://127.0.0.1:$NGINX_PORT            # nginx base
API=$R/api/v1/sites/demo

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

for tool in curl wrk nginx jq awk; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk nginx-light jq curl)"
done
[[ $DB == sqlite || $DB == postgres ]] || die "BENCH_DB is sqlite or postgres"
if [[ $DB == postgres ]]; then
  command -v psql >/dev/null || die "psql is missing"
  # seed and serve read it; the data directory then holds no database.
  export ROSTRA_DATABASE__URL=$PG/$PG_DB
fi
((THREADS <= COMMENTS)) || die "BENCH_THREADS must not exceed BENCH_COMMENTS"
((POST_THREADS <= THREADS)) || die "BENCH_POST_THREADS must not exceed BENCH_THREADS"

# ------------------------------------------------------ process management --
ROSTRA_PID=""
NGINX_PID=""

stop_pid() { # stop_pid PID: SIGTERM, then SIGKILL after 15 s
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

cleanup() {
  stop_pid "$ROSTRA_PID"
  stop_pid "$NGINX_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() { # wait_http URL PID: up to 30 s for a 200 while PID lives
  local i
  for ((i = 0; i < 300; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "the server for $1 exited; see its log in $OUT"
    sleep 0.1
  done
  die "no answer from $1"
}

start_rostra() { # start_rostra LABEL [VAR=VALUE...]: rostra with rate limits off
  local label=$1; shift
  port_free "$PORT" || die "port $PORT is taken (set BENCH_PORT)"
  env ROSTRA_RATE__WRITES_PER_MINUTE=0 ROSTRA_RATE__VOTES_PER_MINUTE=0 \
      ROSTRA_LOG__FILTER=warn \
      ROSTRA_LIMITS__PAGE_SIZE_MAX="$PAGE_MAX" \
      "$@" \
      "$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" \
      >"$OUT/rostra-$label.log" 2>&1 &
  ROSTRA_PID=$!
  wait_http "$R/readyz" "$ROSTRA_PID"
}

stop_rostra() { stop_pid "$ROSTRA_PID"; ROSTRA_PID=""; }

vm() { # vm PID FIELD: a /proc/PID/status field in KiB (VmHWM, VmRSS)
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# ------------------------------------------------------ CPU accounting --------
# CPU seconds used by a process (all threads), or by nginx's workers.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
nginx_cpu() {
  local total=0 pid
  for pid in $NGINX_PID $(cat /proc/"$NGINX_PID"/task/*/children); do
    total=$(awk -v a="$total" -v b="$(proc_cpu "$pid")" 'BEGIN { printf "%.2f", a + b }')
  done
  echo "$total"
}
# Busy and total jiffies of the whole machine.
machine_jiffies() { awk '/^cpu / { idle = $5 + $6; t = 0; for (i = 2; i <= NF; i++) t += $i; print t - idle, t }' /proc/stat; }

# --------------------------------------------------------------- wrk runs --
# results.tsv: scenario rps p50_ms p99_ms non2xx socket_errors server_cpu wrk_cpu machine_busy
RESULTS=$OUT/results.tsv

to_ms() { # wrk latency ("812.00us", "3.21ms", "1.02s") in milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

# bench NAME SERVER(rostra|nginx) URL [wrk options...]
# Globals it honours: SCRIPT_ARGS (array: arguments for a -s Lua script) and
# AFTER_WARMUP (a command to run between the warm-up and the measured run).
SCRIPT_ARGS=()
AFTER_WARMUP=""
bench() {
  local name=$1 server=$2 url=$3; shift 3
  local file=$OUT/wrk-$name.txt cpu0 cpu1 busy0 total0 busy1 total1 wrk_cpu
  local tail=("$url")
  ((${#SCRIPT_ARGS[@]} == 0)) || tail+=(-- "${SCRIPT_ARGS[@]}")
  log "$name: ${WARMUP}s warm-up, ${DURATION}s measured  ($url)"
  wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "${tail[@]}" >/dev/null
  [[ -z $AFTER_WARMUP ]] || $AFTER_WARMUP
  cpu_of() { if [[ $server == nginx ]]; then nginx_cpu; else proc_cpu "$ROSTRA_PID"; fi; }
  cpu0=$(cpu_of); read -r busy0 total0 < <(machine_jiffies)
  # bash's `time` gives wrk's own user+system CPU seconds.
  { TIMEFORMAT='WRK_CPU %U %S'; time wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" \
      --latency "$@" "${tail[@]}"; } >"$file" 2>&1
  cpu1=$(cpu_of); read -r busy1 total1 < <(machine_jiffies)
  wrk_cpu=$(awk '/^WRK_CPU/ { print $2 + $3 }' "$file")
  local rps p50 p99 non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$file"); sockerr=${sockerr:-0}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$non2xx" "$sockerr" \
    "$(awk -v a="$cpu0" -v b="$cpu1" -v d="$DURATION" 'BEGIN { printf "%.2f", (b - a) / d }')" \
    "$(awk -v w="$wrk_cpu" -v d="$DURATION" 'BEGIN { printf "%.2f", w / d }')" \
    "$(awk -v a="$busy0" -v b="$busy1" -v c="$total0" -v e="$total1" 'BEGIN { printf "%.0f", 100 * (b - a) / (e - c) }')" \
    >>"$RESULTS"
  # Anything else using the CPU (a build, a test run) makes the figures noisy.
  awk -F'\t' -v n="$name" -v cpus="$CPUS" '$1 == n { o = $9 / 100 * cpus - $7 - $8
    if (o > 0.25) printf "   WARNING: %.2f cores were busy with other processes during %s\n", o, n }' "$RESULTS" >&2
  printf '   %s req/s, p99 %s ms, non-2xx %s, socket errors %s\n' "$rps" "$p99" "$non2xx" "$sockerr" >&2
}

# ------------------------------------------------------------------ build --
mkdir -p "$OUT"
: >"$RESULTS"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ $SKIP_BUILD != 1 ]]; then
  log "building rostra (release, target dir $CARGO_TARGET_DIR)"
  (cd "$REPO" && cargo build --release -p rostra)
fi
[[ -x $BIN ]] || die "no binary at $BIN"

# ------------------------------------------------------------------- seed --
# Seeding before the first `serve` creates site "demo" accepting any origin;
# `serve` then adds its own origin (http://127.0.0.1:PORT), which is the
# origin of every seeded page URL, so the URLs stay valid either way.
SMALL_URL=$ORIGIN/bench/small
BIG_URL=$ORIGIN/bench/big
MANY_URL=$ORIGIN/bench/t                  # threads are $MANY_URL/1 … /$THREADS
PLAN="db=$DB comments=$COMMENTS threads=$THREADS big=$BIG small=$SMALL port=$PORT"
SEED_SECS=0
SEED_TOTAL=$((COMMENTS + BIG + SMALL))
if [[ $REUSE == 1 && -f $DATA/plan && $(cat "$DATA/plan") == "$PLAN" ]]; then
  log "reusing the database seeded earlier ($PLAN)"
  SEED_SECS=$(cat "$DATA/seed-seconds")
else
  log "seeding a fresh database: $PLAN"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  if [[ $DB == postgres ]]; then
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null
  fi
  t0=$(date +%s.%N)
  seed() { "$BIN" seed --data-dir "$DATA" --site demo "$@" 2>&1 | tail -n 1 >&2; }
  seed --url "$MANY_URL" --comments "$COMMENTS" --threads "$THREADS"
  seed --url "$BIG_URL" --comments "$BIG"
  seed --url "$SMALL_URL" --comments "$SMALL"
  t1=$(date +%s.%N)
  SEED_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  echo "$SEED_SECS" >"$DATA/seed-seconds"
  echo "$PLAN" >"$DATA/plan"
fi
SEED_RATE=$(awk -v n="$SEED_TOTAL" -v s="$SEED_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
if [[ $DB == postgres ]]; then
  DB_MB=$(psql -Atq "$ROSTRA_DATABASE__URL" -c "SELECT pg_database_size(current_database()) / 1048576")
else
  DB_MB=$(du -sm "$DATA" | awk '{ print $1 }')
fi
log "seeded $SEED_TOTAL comments in ${SEED_SECS}s ($SEED_RATE comments/s); data dir ${DB_MB} MB"

# ------------------------------------------------------ requests measured --
urlenc() { jq -rn --arg u "$1" '$u | @uri'; }
# The ordinary thread is served WHOLE in one response: its top-level comments
# can number more than the default page-size cap (100), so the cap is raised
# to SMALL for this benchmark (ROSTRA_LIMITS__PAGE_SIZE_MAX) and the request
# asks for limit=SMALL. nginx serves exactly the bytes of this same request.
PAGE_MAX=$((SMALL > 100 ? SMALL : 100))
THREAD_PATH="/api/v1/sites/demo/thread?url=$(urlenc "$SMALL_URL")&limit=$SMALL"
BIG_PATH="/api/v1/sites/demo/thread?url=$(urlenc "$BIG_URL")"    # default page (20)
# What the widget fetches first: the same thread as the HTML section.
HTML_PATH="/api/v1/sites/demo/html/thread?url=$(urlenc "$SMALL_URL")&limit=$SMALL&lang=en"
COUNTS_PATH="/api/v1/sites/demo/counts?"
for i in 1 $((THREADS / 4)) $((THREADS / 2)) $((3 * THREADS / 4)) "$THREADS"; do
  ((i >= 1)) && COUNTS_PATH+="url=$(urlenc "$MANY_URL/$i")&"
done
COUNTS_PATH=${COUNTS_PATH%&}
POSTED_COUNTS_PATH="/api/v1/sites/demo/counts?"   # the threads POSTs go to
for ((i = 1; i <= POST_THREADS; i++)); do POSTED_COUNTS_PATH+="url=$(urlenc "$MANY_URL/$i")&"; done
POSTED_COUNTS_PATH=${POSTED_COUNTS_PATH%&}

# ------------------------------------------------------- rostra, cached ----
log "starting rostra (page cache on, rate limits off) on $R"
start_rostra cached

# The nginx document root: the exact bytes rostra answers.
WWW=$OUT/www
rm -rf "$WWW"; mkdir -p "$WWW"
curl -fsS "$R$THREAD_PATH" -o "$WWW/thread.json"
curl -fsS "$R$COUNTS_PATH" -o "$WWW/counts.json"
curl -fsS "$R$HTML_PATH" -o "$WWW/thread.html"
curl -fsS "$R/embed.js" -o "$WWW/embed.js"
chmod -R a+rX "$WWW"
# Check the thread response really is the whole thread.
in_page=$(jq '[.. | objects | select(has("replies") and has("id"))] | length' "$WWW/thread.json")
top_level=$(jq '.comments | length' "$WWW/thread.json")
[[ $(jq -r '.next' "$WWW/thread.json") == null ]] || die "the $SMALL-comment thread does not fit one page"
[[ $in_page == "$SMALL" ]] || die "the thread response holds $in_page comments, not $SMALL"
THREAD_BYTES=$(stat -c %s "$WWW/thread.json")
COUNTS_BYTES=$(stat -c %s "$WWW/counts.json")
BIG_BYTES=$(curl -fsS "$R$BIG_PATH" | wc -c)
HTML_BYTES=$(stat -c %s "$WWW/thread.html")
[[ $(grep -o 'data-r-comment ' "$WWW/thread.html" | wc -l) == "$SMALL" ]] || die "the HTML section does not hold the $SMALL comments"
log "thread response: $THREAD_BYTES bytes, $in_page comments ($top_level top-level); counts: $COUNTS_BYTES bytes; big first page: $BIG_BYTES bytes"

# ---------------------------------------------------------------- nginx ----
port_free "$NGINX_PORT" || die "port $NGINX_PORT is taken (set BENCH_NGINX_PORT)"
NGX=$OUT/nginx
rm -rf "$NGX"; mkdir -p "$NGX"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
sed -e "s|@PREFIX@|$NGX|g" -e "s|@ROOT@|$WWW|g" -e "s|@PORT@|$NGINX_PORT|g" \
    -e "s|@WORKERS@|$CPUS|g" "$BENCH_DIR/nginx.conf.in" >"$NGX/nginx.conf"
log "starting nginx ($CPUS workers) on $N"
nginx -p "$NGX" -c "$NGX/nginx.conf" 2>"$NGX/stderr.log" &
NGINX_PID=$!
wait_http "$N/counts.json" "$NGINX_PID"
cmp -s <(curl -fsS "$N/thread.json") "$WWW/thread.json" || die "nginx serves different thread bytes"

# ------------------------------------------------------------- scenarios ---
bench nginx-thread   nginx  "$N/thread.json"
bench thread         rostra "$R$THREAD_PATH"
bench big-first-page rostra "$R$BIG_PATH"
bench nginx-counts   nginx  "$N/counts.json"
bench counts         rostra "$R$COUNTS_PATH"
bench nginx-html     nginx  "$N/thread.html"
bench html           rostra "$R$HTML_PATH"
bench nginx-embed    nginx  "$N/embed.js"
bench embed          rostra "$R/embed.js"

# POSTs: count 201s in the Lua script, and check the threads' counts grew.
# The warm-up posts too, so "before" is read between warm-up and measured run.
sum_counts() { curl -fsS "$R$POSTED_COUNTS_PATH" | jq '[.counts[]] | add // 0'; }
count_before() { sleep 1; before=$(sum_counts); }   # sleep: let in-flight POSTs commit
before=0
SCRIPT_ARGS=(demo "$MANY_URL" "$POST_THREADS")
AFTER_WARMUP=count_before
bench post rostra "$R" -s "$BENCH_DIR/post.lua"
SCRIPT_ARGS=()
AFTER_WARMUP=""
sleep 1                                   # let POSTs in flight at the cut-off commit
after=$(sum_counts)
created=$(awk '/^POST_CREATED/ { print $2 }' "$OUT/wrk-post.txt")
approved=$(awk '/^POST_APPROVED/ { print $2 }' "$OUT/wrk-post.txt")
failed=$(awk '/^POST_FAILED/ { print $2 }' "$OUT/wrk-post.txt")
last_failure=$(awk '/^POST_LAST_FAILURE_STATUS/ { print $2 }' "$OUT/wrk-post.txt")
grew=$((after - before))
# wrk stops with up to CONNS requests in flight: the server may commit those
# without wrk seeing the 201, so the growth may exceed the 201s by <= CONNS.
# Counts are of approved comments: the ones the posting policy held (201,
# "pending") wait for a moderator and are not counted.
if ((created > 0 && failed == 0 && grew >= approved && grew <= approved + CONNS)); then
  POST_VERIFIED=yes
else
  POST_VERIFIED=no
fi
log "POST check: $created × 201 ($approved approved, $((created - approved)) held), $failed failed (last status $last_failure); threads grew by $grew ($before → $after): verified=$POST_VERIFIED"

RSS_HWM_CACHED=$(vm "$ROSTRA_PID" VmHWM)
RSS_NOW_CACHED=$(vm "$ROSTRA_PID" VmRSS)
curl -fsS "$R/metrics" -o "$OUT/metrics-cached.txt" || true
stop_rostra

# ----------------------------------------------------- rostra, uncached ----
log "restarting rostra with the page cache off (ROSTRA_CACHE__PAGE_BYTES=0)"
start_rostra uncached ROSTRA_CACHE__PAGE_BYTES=0
cmp -s <(curl -fsS "$R$THREAD_PATH") "$WWW/thread.json" || die "uncached rostra answers different bytes"
bench thread-uncached rostra "$R$THREAD_PATH"
RSS_HWM_UNCACHED=$(vm "$ROSTRA_PID" VmHWM)
stop_rostra
stop_pid "$NGINX_PID"; NGINX_PID=""

# ----------------------------------------------------------------- report --
RSS_MAX=$((RSS_HWM_CACHED > RSS_HWM_UNCACHED ? RSS_HWM_CACHED : RSS_HWM_UNCACHED))
field() { awk -F'\t' -v s="$1" -v c="$2" '$1 == s { print $c }' "$RESULTS"; }

# One row per scenario: name, rps, p99, ratio, target text, verdict, server cpu, wrk cpu, busy%
ROWS=$OUT/rows.tsv
: >"$ROWS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"; }
other() { awk -F'\t' -v s="$1" -v cpus="$CPUS" '$1 == s { o = $9 / 100 * cpus - $7 - $8; printf "%.2f", (o > 0 ? o : 0) }' "$RESULTS"; }
ratio() { awk -v a="$(field "$1" 2)" -v b="$(field "$2" 2)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ok() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
clean() { [[ $(field "$1" 5) == 0 && $(field "$1" 6) == 0 ]]; } # every answer 2xx, no socket errors
scenario() { # scenario NAME RATIO TARGET CONDITION
  local verdict
  verdict=$(ok "$4")
  clean "$1" || verdict="FAIL (errors)"
  row "$1" "$(field "$1" 2)" "$(field "$1" 4)" "$2" "$3" "$verdict" "$(field "$1" 7)" "$(field "$1" 8)" "$(other "$1")"
}
r_thread=$(ratio thread nginx-thread)
r_uncached=$(ratio thread-uncached nginx-thread)
r_counts=$(ratio counts nginx-counts)
r_html=$(ratio html nginx-html)
r_embed=$(ratio embed nginx-embed)
scenario nginx-thread   "-"           "baseline"              "1"
scenario thread         "$r_thread"   ">= 0.60 x nginx"       "$r_thread >= 0.60"
scenario thread-uncached "$r_uncached" "(info: cache off)"    "1"
scenario big-first-page "-"           "p99 < 5 ms"            "$(field big-first-page 4) < 5"
scenario nginx-counts   "-"           "baseline"              "1"
scenario counts         "$r_counts"   ">= 0.50 x nginx"       "$r_counts >= 0.50"
scenario nginx-html     "-"           "baseline"              "1"
scenario html           "$r_html"     ">= 0.60 x nginx"       "$r_html >= 0.60"
scenario nginx-embed    "-"           "baseline"              "1"
scenario embed          "$r_embed"    ">= 0.60 x nginx"       "$r_embed >= 0.60"
scenario post           "-"           ">= 5000/s durable"     "$(field post 2) >= 5000"
if [[ $POST_VERIFIED != yes ]]; then
  awk -F'\t' -v OFS='\t' '$1 == "post" { $6 = "FAIL (unverified)" } 1' "$ROWS" >"$ROWS.tmp" && mv "$ROWS.tmp" "$ROWS"
fi
row "peak RSS" "$RSS_MAX KiB" "-" "-" "< 30 MB" "$(ok "$RSS_MAX < 30720")" "-" "-" "-"

{
  printf '\nRostra benchmark  %s  (%s CPUs, %s, %s)\n' "$(date -u +%FT%TZ)" "$CPUS" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')" "$DB"
  printf 'data: %s comments in %s threads + %s + %s; seeded in %ss (%s comments/s); %s MB on disk\n' \
    "$COMMENTS" "$THREADS" "$BIG" "$SMALL" "$SEED_SECS" "$SEED_RATE" "$DB_MB"
  printf 'load: wrk -t%s -c%s -d%ss --latency (after %ss warm-up); thread response %s B (%s comments), HTML section %s B, counts %s B, big first page %s B\n\n' \
    "$WRK_THREADS" "$CONNS" "$DURATION" "$WARMUP" "$THREAD_BYTES" "$in_page" "$HTML_BYTES" "$COUNTS_BYTES" "$BIG_BYTES"
  printf '%-16s %10s %9s %9s %-20s %-18s %8s %8s %6s\n' scenario "req/s" "p99 ms" "vs nginx" target result "srv CPU" "wrk CPU" "other"
  printf '%.0s-' {1..112}; echo
  awk -F'\t' '{ printf "%-16s %10s %9s %9s %-20s %-18s %8s %8s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$ROWS"
  echo
  printf 'peak RSS (VmHWM): %s KiB cached run, %s KiB cache-off run (VmRSS at end of cached run: %s KiB)\n' \
    "$RSS_HWM_CACHED" "$RSS_HWM_UNCACHED" "$RSS_NOW_CACHED"
  printf 'POSTs: %s answered 201, %s failed; posted threads grew by %s; verified: %s\n' \
    "$created" "$failed" "$grew" "$POST_VERIFIED"
  printf 'srv/wrk CPU = cores used by the server / by wrk; other = cores used by anything else (should be ~0)\n'
  printf 'load average at start: %s\n' "$LOAD_AT_START"
} | tee "$OUT/summary.txt"

# The same as Markdown and JSON, for the record.
{
  echo "| scenario | req/s | p99 ms | vs nginx | target | result | server CPU | wrk CPU | other CPU |"
  echo "|---|---:|---:|---:|---|---|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$ROWS"
  echo
  tail -n 4 "$OUT/summary.txt" | sed 's/^/- /'
} >"$OUT/summary.md"
jq -Rn --arg seed_secs "$SEED_SECS" --arg seed_rate "$SEED_RATE" --arg plan "$PLAN" \
   --argjson rss_cached "$RSS_HWM_CACHED" --argjson rss_uncached "$RSS_HWM_UNCACHED" \
   --argjson created "$created" --argjson failed "$failed" --argjson grew "$grew" \
   --arg verified "$POST_VERIFIED" '
  { plan: $plan, seed_seconds: ($seed_secs | tonumber), seed_rate: ($seed_rate | tonumber),
    peak_rss_kib: { cached: $rss_cached, uncached: $rss_uncached },
    posts: { created: $created, failed: $failed, threads_grew: $grew, verified: ($verified == "yes") },
    scenarios: [ inputs | split("\t") | { scenario: .[0], rps: (.[1] | tonumber? // null),
      p99_ms: (.[2] | tonumber? // null), vs_nginx: (.[3] | tonumber? // null), target: .[4],
      result: .[5], server_cpu: (.[6] | tonumber? // null), wrk_cpu: (.[7] | tonumber? // null),
      other_cpu: (.[8] | tonumber? // null) } ] }' "$ROWS" >"$OUT/summary.json"
log "written: $OUT/summary.txt, summary.md, summary.json, wrk-*.txt, rostra-*.log"
