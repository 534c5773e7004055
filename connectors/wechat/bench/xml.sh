#!/usr/bin/env bash
# WeChat XML parsing benchmark: messages per second through SafeXml.parse, one thread, what the
# webhook handler and the normalizer each do per push. See XmlParseBenchmark.
# Usage: connectors/wechat/bench/xml.sh [BASE_REF] [parses] [warm-up]
# With BASE_REF, the same benchmark file runs first on that commit (a temporary git worktree), then
# on this tree, one after the other on this machine, so the change shows as a before/after pair.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
base=${1:-}
args="${2:-1000000} ${3:-500000}"
bench=connectors/wechat/src/test/java/io/omnihub/connectors/wechat/bench/XmlParseBenchmark.java

run() { # dir
  (cd "$1" && ./mvnw -B -q -pl connectors/wechat -am install -DskipTests \
     && ./mvnw -B -q -pl connectors/wechat test-compile exec:java -Dexec.classpathScope=test \
          -Dexec.mainClass=io.omnihub.connectors.wechat.bench.XmlParseBenchmark -Dexec.args="$args") | grep '^xml:'
}
# shellcheck source=../../../bench/before-after.sh
source "$root/bench/before-after.sh"
before_after "$root" "$base" "$bench"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
