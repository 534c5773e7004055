#!/usr/bin/env bash
# The test command. Installs what the tests need that Maven cannot fetch (Debian's chromium and
# chromium-driver, which the console's browser tests drive), then runs the whole suite with the
# Maven wrapper. Arguments go to Maven; -Domnihub.browser-tests.skip=true (or the environment
# variable OMNIHUB_SKIP_BROWSER_TESTS=true) skips the browser tests and the browser install.
set -euo pipefail
cd "$(dirname "$0")"

browser_tests=true
[[ ${OMNIHUB_SKIP_BROWSER_TESTS:-} == true ]] && browser_tests=false
for arg in "$@"; do
  [[ $arg == -Domnihub.browser-tests.skip=true ]] && browser_tests=false
done

if $browser_tests && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: the console's browser tests need chromium and chromedriver on the PATH;" >&2
    echo "         install them, or run ./test.sh -Domnihub.browser-tests.skip=true" >&2
    exit 1
  fi
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  echo "test.sh: installing Debian's chromium and chromium-driver for the console's browser tests"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; a machine that has them does not need a refresh.
  $sudo apt-get install -y -q chromium chromium-driver \
    || { $sudo apt-get update -q && $sudo apt-get install -y -q chromium chromium-driver; }
fi

export MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g}"
exec ./mvnw -B install "$@"
