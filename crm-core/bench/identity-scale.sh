#!/usr/bin/env bash
# Identity cost at scale: events applied per second by CrmCore.apply on a graph of 100 thousand
# identifiers and on one of 10 million (bulk-loaded, same event mix, batches of 500, one thread,
# embedded PostgreSQL 17 with the hub's settings). See IdentityScaleBenchmark.
# Usage: crm-core/bench/identity-scale.sh [large identifiers] [small identifiers] [events] [warm-up] [--reload]
# The large graph is kept in crm-core/target/identity-scale/large (about 9 GB at 10 million) and
# reused by the next run; --reload loads it again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
reload=""
plain=()
for a in "$@"; do [[ $a == --reload ]] && reload=--reload || plain+=("$a"); done
args="${plain[0]:-10000000} ${plain[1]:-100000} ${plain[2]:-60000} ${plain[3]:-20000} $reload"
cd "$root"
echo "identity-scale: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
./mvnw -B -q -pl connector-api,crm-core install -DskipTests
./mvnw -B -q -pl crm-core test-compile exec:java -Dexec.classpathScope=test \
  -Didentity-scale.dir="$root/crm-core/target/identity-scale" -Dexec.mainClass=io.omnihub.crm.bench.IdentityScaleBenchmark -Dexec.args="$args" | grep --line-buffered '^identity-scale:'
echo "identity-scale: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
