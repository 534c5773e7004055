#!/usr/bin/env bash
# Board render benchmark: a hub with N configured instances, the console in headless Chromium.
# Usage: hub-runtime/bench/board.sh [instances] [page-loads]
# Needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install -pl connector-api,connector-schema,connectors/wechat,crm-core,routes,hub-runtime
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.console.BoardRenderBenchmark \
  -Dexec.args="${1:-50} ${2:-20}" -Domnihub.bench.plugin="$PWD/plugins/wechat-plugin.jar"
