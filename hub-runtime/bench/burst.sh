#!/usr/bin/env bash
# A 双11 burst: factor × the sustained end-to-end rate, open loop, for a number of seconds; then
# the drain, exactly-once and dead-letter checks, heap and backlog figures. The hub runs in its own
# JVM with a 512 MB heap (override with BURST_HEAP=...), the open-loop generator in another.
# Usage: hub-runtime/bench/burst.sh [sustained-rate|measure] [seconds] [factor] [connections] [--hub.option=value ...]
#   e.g. hub-runtime/bench/burst.sh measure 60 10
#        hub-runtime/bench/burst.sh 1300 60 10 256 --hub.pipeline.yield-to-ingress-above=0
# PRE_BURST=<seconds> sends a burst of that length (then waits for the drain) before the measured one.
# Exits 0 when every acknowledged push was applied exactly once, nothing parked, all acknowledged, p99 < 200 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${BURST_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q -DskipTests install
fi
./mvnw -B -q -pl hub-runtime dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/burst.classpath >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
exec java -Xmx"${BURST_HEAP:-512m}" \
  -cp "hub-runtime/target/test-classes:hub-runtime/target/classes:$(cat hub-runtime/target/burst.classpath)" \
  -Domnihub.bench.plugin="$PWD/plugins/wechat-plugin.jar" \
  -Domnihub.bench.warmup-max-seconds="${WARMUP_MAX:-240}" \
  -Domnihub.bench.pre-burst-seconds="${PRE_BURST:-0}" \
  io.omnihub.hub.bench.BurstBenchmark "$@"
