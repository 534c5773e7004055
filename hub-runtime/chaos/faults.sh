#!/usr/bin/env bash
# Full-length fault runs (docs/faults.md): the scenarios of FaultToleranceTest at the lengths the
# acceptance asks for. The hub runs as its own JVM on a PostgreSQL server and an Artemis broker that
# each run as processes of their own; the test hangs PostgreSQL (SIGSTOP), kills it (SIGKILL) and
# starts it again, kills Artemis and starts it again, under steady WeChat webhook load, and sends
# parallel oversized uploads while it samples the hub's VmRSS. About 15 minutes.
#
# Usage: hub-runtime/chaos/faults.sh        (lengths below; override with the environment)
#   DB_HANG=60s DB_OUTAGE=6m BROKER_OUTAGE=60s UPLOADS=20 UPLOAD_MB=400 LOAD_THREADS=4 LOAD_PACE=50ms
# Figures: appended to hub-runtime/target/faults-report.md (and printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
rm -f hub-runtime/target/faults-report.md
./mvnw -B -pl hub-runtime test -Dtest=FaultToleranceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Domnihub.faults.db-hang="${DB_HANG:-60s}" \
  -Domnihub.faults.db-outage="${DB_OUTAGE:-6m}" \
  -Domnihub.faults.broker-outage="${BROKER_OUTAGE:-60s}" \
  -Domnihub.faults.uploads="${UPLOADS:-20}" \
  -Domnihub.faults.upload-megabytes="${UPLOAD_MB:-400}" \
  -Domnihub.faults.load-threads="${LOAD_THREADS:-4}" \
  -Domnihub.faults.load-pace="${LOAD_PACE:-50ms}" \
  -Domnihub.faults.catch-up=10m
cat hub-runtime/target/faults-report.md
