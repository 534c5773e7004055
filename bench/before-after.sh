# Sourced by the single-module benchmark scripts (crm-core/bench/core.sh, routes/bench/codec.sh,
# connectors/wechat/bench/xml.sh) to compare a base commit with this tree on the same machine.
# before_after ROOT BASE_REF BENCH_FILE calls the script's `run DIR`: first, when BASE_REF is given,
# on that commit checked out in a temporary git worktree with this tree's BENCH_FILE copied in (so
# both sides run the same benchmark), then on ROOT.
before_after() {
  local root=$1 base=$2 bench=$3
  if [[ -n $base ]]; then
    before_after_work=$(mktemp -d)
    trap 'git -C "'"$root"'" worktree remove --force "$before_after_work/base" >/dev/null 2>&1 || true; rm -rf "$before_after_work"' EXIT
    git -C "$root" worktree add --detach "$before_after_work/base" "$base" >/dev/null 2>&1
    mkdir -p "$(dirname "$before_after_work/base/$bench")" && cp "$root/$bench" "$before_after_work/base/$bench"
    echo "base $(git -C "$before_after_work/base" log -1 --format=%h) ($base):"
    run "$before_after_work/base"
  fi
  echo "this tree $(git -C "$root" log -1 --format=%h)$([[ -n $(git -C "$root" status --porcelain) ]] && echo ' + changes'):"
  run "$root"
}
