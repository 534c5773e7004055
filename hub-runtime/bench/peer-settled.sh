#!/usr/bin/env bash
# The hand-written peer (../shared/bench/naive-stack), measured as its run.sh measures it, but only
# once its JIT has settled, as the hub's webhook benchmark is measured: run.sh warms the peer up for
# 8 s, while on two cores its JIT compiles for a good minute more. Warm-up rounds of 10 s with the
# peer's own wrk script go on until compiling took less than a tenth of two rounds in a row (at
# least 20 s, at most WARMUP_MAX seconds, 240 by default; the hub's benchmark takes the same limit).
# Then the peer is measured as run.sh does. In full mode what the warm-up left queued is not drained
# first, so the consumer is measured at its full rate, as run.sh measures it.
# Usage: hub-runtime/bench/peer-settled.sh MODE [seconds] [connections]
# Prints one line as run.sh does, with how long the warm-up took and whether the JIT settled in it:
#   mode rps=… p50=… p99=… applied/s=… non2xx=… warmup=…s settled=yes|no
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
peer=${NAIVE_STACK:-$root/../shared/bench/naive-stack}
mode=${1:-full}; secs=${2:-20}; conns=${3:-32}
build=${NAIVE_STACK_BUILD:-${TMPDIR:-/tmp}/naive-stack-build}
jar=$build/target/baseline-1.jar
fail() { echo "peer-settled: $*" >&2; exit 1; }
command -v jcmd >/dev/null || fail "jcmd (from the JDK) is needed to read the peer's JIT"
# run.sh builds the peer (and installs wrk and psql) the first time; its http mode is the quickest.
[[ -f $jar ]] || MVN="$root/mvnw" "$peer/run.sh" http 1 1 >/dev/null || fail "the peer did not build"
grep -q '^local counter = 0$' "$peer/wechat-text.lua" || fail "the peer's wrk script no longer starts its counter at 0"
curl -s -o /dev/null localhost:18090/ && fail "something already listens on port 18090"

data=$(mktemp -d)
java -Xmx1g -jar "$jar" --bench.data="$data" --bench.mode="$mode" --server.port=18090 >"$data/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 90); do curl -s -o /dev/null localhost:18090/ && break; sleep 1; done
kill -0 "$pid" 2>/dev/null && curl -s -o /dev/null localhost:18090/ || fail "the peer did not start: $(tail -5 "$data/app.log")"
url="http://127.0.0.1:18090/hooks/wechat/base?signature=ccc2fb8e88b45f3d47dc9ac2b4fe1fe5ade9143d&timestamp=1700000000&nonce=n1"

# The peer's script numbers its MsgIds from 1 in every wrk process, and the peer inserts each MsgId
# once: every round gets a copy that starts its numbering past the rounds before it.
round=0
script() { # writes round $round's copy to $data/round.lua
  sed -E "s/^local counter = 0$/local counter = $((round * 10000000))/" "$peer/wechat-text.lua" > "$data/round.lua"
}
# Seconds the JIT has spent compiling so far (the counter behind CompilationMXBean); fails when
# the counter cannot be read, which must not pass for a settled JIT.
compiled() {
  jcmd "$pid" PerfCounter.print 2>/dev/null \
    | awk -F= '/^java.ci.totalTime=/{t=$2} /^sun.os.hrt.frequency=/{f=$2} END { if (f > 0 && t != "") printf "%.3f", t / f; else exit 1 }'
}

max=${WARMUP_MAX:-240}
started=$(date +%s)
quiet=0
settled=no
c0=$(compiled) || fail "cannot read the peer's JIT counters"
t0=$(date +%s.%N)
while :; do
  round=$((round + 1)); script
  wrk -t1 -c"$conns" -d10s -s "$data/round.lua" "$url" >/dev/null 2>&1 || fail "wrk failed in warm-up round $round"
  t1=$(date +%s.%N)
  c1=$(compiled) || fail "cannot read the peer's JIT counters"
  share=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", (c1 - c0) / (t1 - t0) }')
  c0=$c1; t0=$t1   # contiguous windows: a compile that ends between rounds counts in the next
  echo "peer $mode warm-up round $round: compiling $share of the time" >&2
  if awk -v s="$share" 'BEGIN { exit !(s < 0.1) }'; then quiet=$((quiet + 1)); else quiet=0; fi
  (( quiet >= 2 )) && { settled=yes; break; }
  (( $(date +%s) - started >= max )) && break
done
warmup=$(( $(date +%s) - started ))

pgport=$(grep -oE 'listening on IPv4 address "127.0.0.1", port [0-9]+' "$data/app.log" | grep -oE '[0-9]+$' | head -1)
count() { [[ $mode == full ]] && psql -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -tAc "select count(*) from events" 2>/dev/null || echo 0; }
round=$((round + 1)); script
sleep 3; c0=$(count)
out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$data/round.lua" "$url")
c1=$(count)
rps=$(echo "$out" | awk '/Requests\/sec/{print $2}'); p50=$(echo "$out" | awk '$1=="50%"{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
err=$(echo "$out" | awk '/Non-2xx/{print $NF}')
echo "$mode rps=$rps p50=$p50 p99=$p99 applied/s=$(( (c1-c0)/secs )) non2xx=${err:-0} warmup=${warmup}s settled=$settled"
