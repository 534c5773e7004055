#!/usr/bin/env bash
# Identity resolution on the running hub: a synthetic population of a seed the tests never use, through
# POST /api/v1/events, scored pair by pair (precision, recall, largest profile). See PopulationBenchmark.
# Usage: hub-runtime/bench/population.sh [seed] [people]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.bench.PopulationBenchmark -Dexec.args="${1:-20261206} ${2:-5000}"
