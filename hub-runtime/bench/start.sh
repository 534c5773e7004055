#!/usr/bin/env bash
# Start and footprint benchmark: builds the hub as the README does, then runs it as its own process
# with embedded defaults (the README's launcher, then java -jar omnihub.jar for comparison), on a new
# data folder and again on the same folder, and reports the seconds from launch to a healthy
# /actuator/health; then restarts it with -Xmx512m and a WeChat instance, drives signed webhooks
# with wrk, and reports the peak heap after GC.
# Usage: hub-runtime/bench/start.sh [rounds] [load-seconds] [connections]   (load-seconds 0: start only)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.bench.StartBenchmark \
  -Dexec.args="${1:-1} ${2:-60} ${3:-32}" -Domnihub.bench.jar="$PWD/hub-runtime/target/omnihub.jar" \
  -Domnihub.bench.launcher="$PWD/hub-runtime/target/omnihub/omnihub" \
  -Domnihub.bench.plugins="$PWD/plugins"
