#!/usr/bin/env bash
# Per-event encoding benchmark: events per second through CanonicalEventCodec.encode (validation and
# CloudEvents JSON bytes) and decode, one thread, no broker. See CodecThroughputBenchmark.
# Usage: routes/bench/codec.sh [BASE_REF] [events] [warm-up]
# With BASE_REF, the same benchmark file runs first on that commit (a temporary git worktree), then
# on this tree, one after the other on this machine, so the change shows as a before/after pair.
# Each side installs its own connector-api, connector-schema and routes (and what they need).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:-}
args="${2:-400000} ${3:-200000}"
bench=routes/src/test/java/io/omnihub/routes/bench/CodecThroughputBenchmark.java

run() { # dir
  (cd "$1" && ./mvnw -B -q -pl routes -am install -DskipTests \
     && ./mvnw -B -q -pl routes test-compile exec:java -Dexec.classpathScope=test \
          -Dexec.mainClass=io.omnihub.routes.bench.CodecThroughputBenchmark -Dexec.args="$args") | grep '^codec:'
}
# shellcheck source=../../bench/before-after.sh
source "$root/bench/before-after.sh"
before_after "$root" "$base" "$bench"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
