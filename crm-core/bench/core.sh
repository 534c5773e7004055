#!/usr/bin/env bash
# Core throughput benchmark: events applied per second by CrmCore.apply alone (embedded PostgreSQL,
# batches of 500, one thread). See CoreThroughputBenchmark.
# Usage: crm-core/bench/core.sh [BASE_REF] [events] [warm-up] [people]
# With BASE_REF, the same benchmark file runs first on that commit (a temporary git worktree), then
# on this tree, one after the other on this machine, so a regression shows. Each side installs its
# own connector-api and crm-core, so the local Maven repository holds this tree's modules at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:-}
args="${2:-60000} ${3:-20000} ${4:-20000}"
bench=crm-core/src/test/java/io/omnihub/crm/bench/CoreThroughputBenchmark.java

run() { # dir
  (cd "$1" && ./mvnw -B -q -pl connector-api,crm-core install -DskipTests \
     && ./mvnw -B -q -pl crm-core test-compile exec:java -Dexec.classpathScope=test \
          -Dexec.mainClass=io.omnihub.crm.bench.CoreThroughputBenchmark -Dexec.args="$args") | grep '^core:'
}
# shellcheck source=../../bench/before-after.sh
source "$root/bench/before-after.sh"
before_after "$root" "$base" "$bench"
