#!/usr/bin/env bash
# Makes the hub image's base from Debian packages, for machines that reach no container registry:
# Debian bookworm (minbase) with OpenJDK 17's headless JRE, saved as an image tarball (docker-save
# format) that Jib takes as its base (tar://...). About 45 s and 480 MB. A real deployment names a
# registry base image instead (-Domnihub.image.base=<registry>/<java-17-jre-image>).
#
# Usage: deploy/image/base-image.sh [--with-artemis apache-artemis-<v>-bin.tar.gz] [output.tar]
#   default output: target/base-image/omnihub-base-bookworm-jre17.tar (where hub-runtime's Jib looks)
#   --with-artemis: the broker image of deploy/kubernetes/artemis.yaml instead: the same base with the
#   Artemis distribution under /opt/artemis, tagged omnihub-artemis:<v>
#   (default output target/base-image/omnihub-artemis-<v>.tar)
#   DEBIAN_MIRROR: the Debian mirror to use (default: debootstrap's own default)
# Needs root (debootstrap); installs Debian's debootstrap package when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
artemis=""
if [[ ${1:-} == --with-artemis ]]; then
  artemis="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  shift 2
fi
if [[ -n $artemis ]]; then
  artemis_version="$(basename "$artemis" | sed -E 's/^apache-artemis-(.*)-bin\.tar\.gz$/\1/')"
  tag="omnihub-artemis:$artemis_version"
  out="${1:-target/base-image/omnihub-artemis-$artemis_version.tar}"
else
  tag="omnihub-base:bookworm-jre17"
  out="${1:-target/base-image/omnihub-base-bookworm-jre17.tar}"
fi
arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"

if ! command -v debootstrap >/dev/null 2>&1; then
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q debootstrap || { $sudo apt-get update -q && $sudo apt-get install -y -q debootstrap; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "base-image: debootstrap bookworm ($arch) with openjdk-17-jre-headless into $rootfs"
debootstrap --variant=minbase --arch="$arch" --include=openjdk-17-jre-headless,ca-certificates \
  bookworm "$rootfs" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"}
# What an image does not need: package caches and lists, logs, documentation.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/tmp/*

if [[ -n $artemis ]]; then
  mkdir -p "$rootfs/opt/artemis"
  tar -xzf "$artemis" -C "$rootfs/opt/artemis" --strip-components=1
fi

image="$work/image"
mkdir -p "$image"
tar --numeric-owner --sort=name -C "$rootfs" -cf "$image/layer.tar" .
diff_id="sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)"
java_home="/usr/lib/jvm/java-17-openjdk-$arch"
cat > "$image/config.json" <<JSON
{"architecture":"$arch","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "Entrypoint":["java"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created_by":"deploy/image/base-image.sh: debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm"}]}
JSON
cat > "$image/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["$tag"],"Layers":["layer.tar"]}]
JSON
mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out" manifest.json config.json layer.tar
echo "base-image: $out ($(du -h "$out" | cut -f1)), layer $diff_id"
