#!/usr/bin/env bash
# API authentication benchmark: CPU of customer lookups with an API token against HTTP Basic.
# Usage: hub-runtime/bench/api-auth.sh [basic-lookups] [token-lookups]   (defaults: 50 1000)
# Builds the hub's JAR, starts it as a process of its own and measures that process's CPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.bench.ApiAuthenticationBenchmark \
  -Dexec.args="${1:-50} ${2:-1000}" -Domnihub.bench.jar="$PWD/hub-runtime/target/omnihub.jar"
