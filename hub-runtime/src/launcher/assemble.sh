#!/usr/bin/env bash
# Lays the packaged hub out as target/omnihub/ (omnihub.jar beside lib/, the launchers) and records
# a class data sharing archive of its start there (omnihub.jsa): the hub is started once from that
# folder with embedded defaults in a scratch folder, until it reports ready, and stopped; the JVM
# writes the classes it loaded on the way out. Run by the build at package time (hub-runtime's pom).
# Usage: assemble.sh <target-dir> <plugins-dir> [java]
set -euo pipefail
target=$(cd "$1" && pwd)
plugins=$2
java=${3:-java}
out="$target/omnihub"
scratch="$target/cds-training"
timeout_s=${OMNIHUB_CDS_TIMEOUT:-300}

rm -rf "$out" "$scratch"
"$java" -Djarmode=tools -jar "$target/omnihub.jar" extract --destination "$out" > /dev/null
cp "$(dirname "$0")/omnihub" "$out/"
chmod +x "$out/omnihub"

# The training start: the bundled plugins if built, a port of the system's choosing, and the
# archive written when the JVM exits after a SIGTERM (what a Ctrl-C or a service stop sends).
mkdir -p "$scratch/plugins"
cp "$plugins"/*.jar "$scratch/plugins/" 2> /dev/null || true
cd "$scratch"
"$java" -XX:ArchiveClassesAtExit="$out/omnihub.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$out/omnihub.jar" --server.port=0 > start.log 2>&1 &
hub=$!
waited=0
until grep -q "OmniHub is ready" start.log; do
  if ! kill -0 "$hub" 2> /dev/null || [ "$waited" -ge $((timeout_s * 10)) ]; then
    kill -9 "$hub" 2> /dev/null || true
    echo "The hub did not become ready in its training start for the class data sharing archive; its log ends:" >&2
    tail -40 start.log >&2
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
done
# One health request, as the first thing a start is asked, so the classes it loads are in the archive.
port=$(sed -n 's|.*Listening *: http://localhost:\([0-9]*\)/.*|\1|p' start.log | head -1)
if [ -n "$port" ] && exec 3<> "/dev/tcp/127.0.0.1/$port"; then
  printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  cat <&3 > /dev/null || true
  exec 3<&-
fi
kill -TERM "$hub"
wait "$hub" || true
if [ ! -s "$out/omnihub.jsa" ]; then
  echo "The training start ended without writing $out/omnihub.jsa; its log ends:" >&2
  tail -40 start.log >&2
  exit 1
fi
cd "$target"
rm -rf "$scratch"
echo "Laid out $out (start with $out/omnihub), class data sharing archive $(du -h "$out/omnihub.jsa" | cut -f1)"
