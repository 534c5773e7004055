#!/usr/bin/env bash
# Runs the webhook load benchmark (load.sh) on another commit and then on this working tree, one
# after the other on this machine, and prints both in one table, so a regression shows.
# Usage: hub-runtime/bench/compare.sh BASE_REF [seconds-per-phase] [concurrent-clients]
# The base is checked out in a temporary git worktree; each side builds and installs itself before
# it runs, so the local Maven repository holds this tree's modules again at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:?usage: compare.sh BASE_REF [seconds] [clients]}
secs=${2:-20}
clients=${3:-32}
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null 2>&1

run() { # dir output
  echo "== $(git -C "$1" log -1 --format='%h %s' | cut -c1-90)" >&2
  (cd "$1" && hub-runtime/bench/load.sh "$secs" "$clients") | tee "$2" >&2
}
run "$work/base" "$work/base.out"
run "$root" "$work/head.out"

row() { # output label
  local out=$1 label=$2 floor hook p50 p99 applied
  floor=$(awk -F'|' '/bare HTTP floor/{gsub(/ /,"",$5); print $5}' "$out")
  hook=$(awk -F'|' '/WeChat webhook, durable before ack/{gsub(/ /,"",$5); print $5; exit}' "$out")
  p50=$(awk -F'|' '/WeChat webhook, durable before ack/{gsub(/ /,"",$6); print $6; exit}' "$out")
  p99=$(awk -F'|' '/WeChat webhook, durable before ack/{gsub(/ /,"",$7); print $7; exit}' "$out")
  applied=$(sed -nE 's/.*= ([0-9.]+) events\/s.*/\1/p' "$out" | head -1)
  echo "| $label | $floor | $hook | $p50 | $p99 | $applied |"
}
echo
echo "webhook benchmark, $secs s phases, $clients clients, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| build | HTTP floor req/s | webhook req/s (pipeline running) | p50 ms | p99 ms | applied events/s |"
echo "|---|---|---|---|---|---|"
row "$work/base.out" "$(git -C "$work/base" log -1 --format=%h) (base: $base)"
row "$work/head.out" "$(git -C "$root" log -1 --format=%h)$([[ -n $(git -C "$root" status --porcelain) ]] && echo ' + changes') (this tree)"
