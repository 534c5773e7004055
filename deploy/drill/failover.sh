#!/usr/bin/env bash
# The failover drill (docs/operations.md): the Artemis distribution from Maven Central as a
# primary/backup pair configured by deploy/artemis, a standalone PostgreSQL server (the embedded
# binaries the hub ships, as their own server), and two hub nodes (java -jar omnihub.jar). Checks
# that the nodes act as one, measures throughput with one and two nodes, then sends webhook load
# through both while it SIGKILLs the primary broker and later one hub node; every acknowledged
# webhook must be applied exactly once and every due timer fire once. Prints its figures; exits
# non-zero when anything was lost or applied twice. Everything listens on 127.0.0.1, on free ports.
#
# Usage: deploy/drill/failover.sh [seconds-of-failover-load]     (default 90; ARTEMIS_VERSION=2.40.0)
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${ARTEMIS_VERSION:-2.40.0}"
./mvnw -B -q -DskipTests install
./mvnw -B -q dependency:copy -Dartifact="org.apache.activemq:apache-artemis:${version}:tar.gz:bin" \
  -DoutputDirectory=target/drill
work="$PWD/target/drill/run-$(date +%Y%m%d-%H%M%S)"
./mvnw -B -q -pl hub-runtime exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.omnihub.hub.e2e.FailoverDrill \
  -Dexec.args="$work $PWD/target/drill/apache-artemis-${version}-bin.tar.gz $PWD/hub-runtime/target/omnihub.jar $PWD ${1:-90}"
