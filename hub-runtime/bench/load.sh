#!/usr/bin/env bash
# Webhook load benchmark: builds the hub and the WeChat plugin, then runs the load generator.
# Usage: hub-runtime/bench/load.sh [seconds-per-phase] [concurrent-clients]
# Uses wrk as the load generator when installed (apt-get install wrk), else the JDK HTTP client.
# Warms the hub up until its JIT settles, for at most WARMUP_MAX seconds (240 by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.bench.WebhookLoadBenchmark \
  -Dexec.args="${1:-20} ${2:-32}" -Domnihub.bench.plugin="$PWD/plugins/wechat-plugin.jar" \
  -Domnihub.bench.warmup-max-seconds="${WARMUP_MAX:-240}"
