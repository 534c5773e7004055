#!/usr/bin/env bash
# Identity cost at scale: events applied per second by CrmCore.apply on a graph of 100 thousand
# identifiers and on one of 10 million (bulk-loaded, same event mix, batches of 500, one thread,
# embedded PostgreSQL 17 with the hub's settings). See IdentityScaleBenchmark.
# Usage: crm-core/bench/identity-scale.sh [large identifiers] [small identifiers] [events] [warm-up] [--reload] [--statements] [--shared-buffers=SIZE] [--cold] [--rounds=N] [--prewarm] [--setting=name=value ...]
# Defaults: 10000000 100000 60000 20000. The large graph is kept in crm-core/target/identity-scale/large
# (about 12 GB at 10 million) and reused by the next run unless a migration of this tree is newer;
# --reload loads it again. --statements also loads pg_stat_statements and prints the statements that
# took the most time at each size (a diagnosis: the server then differs from the hub's by that module).
# --shared-buffers=SIZE gives both servers another shared_buffers than the hub's embedded server's
# (a sixteenth of the machine's memory, between 128MB and 1GB).
# Each graph's files are read once before measuring (a running database is in memory); --cold skips that.
# Both servers run at once; the events are applied in --rounds (4) alternating between the graphs, medians reported.
# The whole output goes to crm-core/target/identity-scale/last-run.log; its end is printed if the run fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
flags=""
plain=()
for a in "$@"; do [[ $a == --* ]] && flags="$flags $a" || plain+=("$a"); done
args="${plain[0]:-10000000} ${plain[1]:-100000} ${plain[2]:-60000} ${plain[3]:-20000}$flags"
cd "$root"
echo "identity-scale: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
./mvnw -B -q -pl connector-api,crm-core install -DskipTests
# The whole output is kept: the lines below are only the benchmark's figures, and a failure would
# otherwise show nothing but a missing last line.
log="$root/crm-core/target/identity-scale/last-run.log"
mkdir -p "$(dirname "$log")"
if ! ./mvnw -B -q -pl crm-core test-compile exec:java -Dexec.classpathScope=test \
  -Didentity-scale.dir="$root/crm-core/target/identity-scale" -Dexec.mainClass=io.omnihub.crm.bench.IdentityScaleBenchmark -Dexec.args="$args" 2>&1 \
  | tee "$log" | grep --line-buffered -E '^(identity-scale:|  [0-9]+ calls)'; then
  echo "identity-scale: the benchmark failed; the end of its output (all of it in $log):" >&2
  tail -40 "$log" >&2
  exit 1
fi
echo "identity-scale: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
