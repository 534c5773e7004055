#!/usr/bin/env bash
# Runs the hand-written peer (a Spring Boot + Camel platform-http + embedded Artemis + PostgreSQL
# stack an integrator would write without the hub, in ../shared/bench/naive-stack or NAIVE_STACK)
# and then the hub's webhook benchmark (load.sh), one after the other on this machine, and prints
# one table with the ratios the hub is judged by: hub end to end / peer end to end, hub end to end /
# peer HTTP floor, hub ingress / peer blocking send.
# The hub is measured once its JIT has settled (load.sh warms it up until then). The peer is
# measured twice per mode: by its own run.sh (8 s of warm-up) and by peer-settled.sh (warmed up
# until its JIT has settled too, by the same rule and limit, WARMUP_MAX). Each ratio divides by the
# better of the two peer figures.
# Usage: hub-runtime/bench/versus-peer.sh [seconds-per-phase] [concurrent-clients]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
clients=${2:-32}
peer=${NAIVE_STACK:-$root/../shared/bench/naive-stack}
[[ -x $peer/run.sh ]] || { echo "the hand-written peer is not at $peer (set NAIVE_STACK)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for mode in http enqueue full; do
  echo "== peer: $mode (run.sh)" >&2
  MVN="$root/mvnw" "$peer/run.sh" "$mode" "$secs" "$clients" | tee "$work/shipped-$mode.out" >&2
  echo "== peer: $mode (settled)" >&2
  # A second opinion: when it fails, the ratios take run.sh's figure alone.
  NAIVE_STACK="$peer" "$root/hub-runtime/bench/peer-settled.sh" "$mode" "$secs" "$clients" | tee "$work/settled-$mode.out" >&2 \
    || echo "the settled run of the peer's $mode mode failed" >&2
done
echo "== hub: $(git -C "$root" log -1 --format='%h %s' | cut -c1-90)" >&2
"$root/hub-runtime/bench/load.sh" "$secs" "$clients" | tee "$work/hub.out" >&2

field() { grep -oE "(^| )$2=[0-9.]+" "$work/$1.out" | tail -1 | sed -E 's/.*=//'; }
larger() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a + 0 >= b + 0) ? a : b }'; }
# The better of the peer's two runs of a mode.
peer_field() { larger "$(field "shipped-$1" "$2")" "$(field "settled-$1" "$2")"; }
hub_column() { awk -F'|' -v path="$1" -v col="$2" 'index($0, path) {gsub(/ /, "", $col); print $col; exit}' "$work/hub.out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

floor=$(peer_field http rps); send=$(peer_field enqueue rps)
naive_applied=$(peer_field full 'applied/s')
hub_floor=$(hub_column 'bare HTTP floor' 5)
hub_ingress=$(hub_column 'WeChat webhook, durable before ack' 5)
hub_p50=$(hub_column 'WeChat webhook, durable before ack' 6)
hub_p99=$(hub_column 'WeChat webhook, durable before ack' 7)
hub_applied=$(sed -nE 's/.*= ([0-9.]+) events\/s.*/\1/p' "$work/hub.out" | head -1)

echo
echo "hub $(git -C "$root" log -1 --format=%h) beside the hand-written peer, $secs s phases, $clients clients, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
row() { # label mode
  local settled="—"
  [[ -s $work/settled-$2.out ]] && settled="$(field "settled-$2" rps) (warm-up $(field "settled-$2" warmup) s, JIT $(grep -oE 'settled=(yes|no)' "$work/settled-$2.out" | sed 's/settled=yes/settled/; s/settled=no/not settled/'))"
  echo "| hand-written: $1 | $(field "shipped-$2" rps) | $settled | $(field "shipped-$2" 'applied/s') / $(field "settled-$2" 'applied/s') |"
}
echo "| path | req/s, run.sh (8 s warm-up) | req/s, JIT settled | applied/s (run.sh / settled) |"
echo "|---|---|---|---|"
row "HTTP floor with signature check" http
row "+ blocking durable send" enqueue
row "+ naive consumer" full
echo
echo "| path | req/s | applied/s |"
echo "|---|---|---|"
echo "| hub: bare HTTP floor (same server, no work) | $hub_floor | — |"
echo "| hub: WeChat webhook, durable before ack, pipeline running (p50 $hub_p50 ms, p99 $hub_p99 ms) | $hub_ingress | $hub_applied |"
echo
echo "Each ratio divides by the better of the peer's two figures: HTTP floor $floor req/s, blocking send $send req/s, naive consumer $naive_applied applied/s."
echo
echo "| ratio | value | target |"
echo "|---|---|---|"
echo "| hub end to end / hand-written end to end (applied/s) | $(ratio "$hub_applied" "$naive_applied") | ≥ 5 |"
echo "| hub end to end / hand-written HTTP floor | $(ratio "$hub_applied" "$floor") | ≥ 0.4 |"
echo "| hub ingress / hand-written blocking send | $(ratio "$hub_ingress" "$send") | ≥ 3 |"
