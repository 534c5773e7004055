#!/usr/bin/env bash
# The throughput acceptance run: every figure the hub's throughput is judged by, measured one after
# the other on this machine in one run, with the hand-written peer in the same run:
#   1. the peer's three modes and the hub's webhook benchmark (versus-peer.sh): end to end and ingress
#      against the peer, and against the peer's HTTP floor;
#   2. identity cost at 100 thousand and at 10 million identifiers (crm-core/bench/identity-scale.sh;
#      the large graph is loaded once and kept under crm-core/target for later runs);
#   3. a 双11 burst at FACTOR × the sustained end-to-end rate measured in 1, for 60 s (burst.sh);
#   4. start to healthy and the heap at steady load (start.sh).
# Usage: hub-runtime/bench/acceptance.sh [seconds-per-phase] [clients] [burst-factor]
# Every step's full output is kept in target/acceptance-<time>/; the summary comes last.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-15}
clients=${2:-32}
factor=${3:-10}
out="$root/target/acceptance-$(date -u +%Y%m%dT%H%M)"
mkdir -p "$out"
cd "$root"
echo "acceptance run of $(git log -1 --format='%h %s' | cut -c1-80) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"

step() { # name command...
  local name=$1; shift
  echo "== $name ($(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$@" > "$out/$name.txt" 2>&1
  echo "   exit $? ($(date -u +%H:%M:%S))" >&2
}

step peer hub-runtime/bench/versus-peer.sh "$secs" "$clients"
sustained=$(sed -nE 's/^\| hub: WeChat webhook.*\| [0-9.]+ \| ([0-9.]+) \|$/\1/p' "$out/peer.txt" | tail -1)
step identity crm-core/bench/identity-scale.sh
BURST_SKIP_BUILD=1 step burst hub-runtime/bench/burst.sh "${sustained:-measure}" 60 "$factor"
step start hub-runtime/bench/start.sh 1 60 "$clients"

{
  echo
  echo "### End to end and ingress, beside the hand-written peer"
  sed -n '/beside the hand-written peer/,$p' "$out/peer.txt"
  echo
  echo "### Identity cost"
  grep -E '^identity-scale: ([0-9.]+[kM]? identifiers: .*ratio|round )' "$out/identity.txt" || tail -5 "$out/identity.txt"
  echo
  echo "### Burst: $factor × the sustained rate above (${sustained:-measured again}/s) for 60 s"
  sed -n '/^| figure | value |/,$p' "$out/burst.txt"
  echo
  echo "### Start and footprint"
  grep -E '^(start to healthy|single JAR|heap at steady load|webhooks:|events applied)' "$out/start.txt" || tail -5 "$out/start.txt"
} | tee -a "$out/summary.txt"
echo
echo "full output: $out"
