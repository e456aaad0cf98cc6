#!/bin/bash
# The cost of the toxicity model on a comment POST: one server with
# [moderation] model = MODEL (builtin or off), wrk posting the same bodies as
# run.sh (bench/post.lua, 4 connections, 5 s warm-up, 20 s measured).
# Alternate the two several times and compare medians: the machine is noisy.
#   bench/post_model.sh builtin 18081; bench/post_model.sh off 18082
# BENCH_BIN picks the binary (default: target/release/rostra), so two builds
# can be alternated; BENCH_CONNECTIONS sets wrk's -c (default 4).
# Needs: wrk, curl, a release build (cargo build --release).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
M=${1:?builtin or off}; P=${2:-18081}; D=$(mktemp -d)
BIN=${BENCH_BIN:-$ROOT/target/release/rostra}; C=${BENCH_CONNECTIONS:-4}
cat > $D/c.toml <<T
[server]
listen = "127.0.0.1:$P"
data_dir = "$D/data"
[rate]
writes_per_minute = 10000000
write_burst = 1000000
[demo]
seed = false
[moderation]
model = "$M"
[log]
filter = "warn"
T
"$BIN" --config $D/c.toml serve > $D/log 2>&1 &
PID=$!
for i in $(seq 50); do curl -fs http://127.0.0.1:$P/readyz >/dev/null && break; sleep 0.2; done
wrk -t1 -c$C -d5s -s "$ROOT/bench/post.lua" http://127.0.0.1:$P -- demo http://127.0.0.1:$P/bench 5 > /dev/null 2>&1
wrk -t1 -c$C -d20s --latency -s "$ROOT/bench/post.lua" http://127.0.0.1:$P -- demo http://127.0.0.1:$P/bench 5 > $D/wrk.txt 2>&1
echo "$M $(grep -E 'Requests/sec' $D/wrk.txt | awk '{print $2}') req/s; $(grep -E '^ +(50|99)%' $D/wrk.txt | tr -s ' ' | tr '\n' ' ') $(grep -E 'POST_CREATED|POST_FAILED' $D/wrk.txt | tr '\n' ' ')"
kill $PID; wait $PID 2>/dev/null || true
rm -rf $D
