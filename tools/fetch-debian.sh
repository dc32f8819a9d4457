#!/usr/bin/env bash
# Fetches Debian packages we use as oracles and guest libraries into the ignored cache, without touching the
# machine's apt configuration: arm64 busybox-static (a real binary nobody here wrote), arm64 musl-dev (static
# musl for our guest programs) and the amd64 busybox-static of the same version (native reference output).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache/debian"
mkdir -p "$cache"

fetch() { # arch package dest
  local arch=$1 pkg=$2 dest=$3
  if [ -e "$dest/.done" ]; then return 0; fi
  local lists="$cache/lists-$arch"
  local o=(-oAPT::Architecture="$arch" -oAPT::Architectures="$arch" -oDir::State::Lists="$lists"
           -oDir::Cache="$cache/apt-cache-$arch" -oDebug::NoLocking=1)
  mkdir -p "$lists/partial" "$cache/apt-cache-$arch/archives/partial" "$cache/debs"
  if [ ! -e "$lists/.updated" ]; then
    apt-get "${o[@]}" update -qq >/dev/null || { echo "fetch-debian: apt-get update for $arch failed" >&2; exit 1; }
    touch "$lists/.updated"
  fi
  (cd "$cache/debs" && apt-get "${o[@]}" download "$pkg:$arch" >/dev/null 2>&1) \
    || { echo "fetch-debian: cannot download $pkg:$arch" >&2; exit 1; }
  rm -rf "$dest" && mkdir -p "$dest"
  dpkg -x "$(ls -t "$cache/debs/${pkg}_"*"_$arch.deb" | head -1)" "$dest"
  touch "$dest/.done"
  echo "fetch-debian: $pkg ($arch) -> ${dest#$top/}"
}

fetch arm64 busybox-static "$cache/busybox-arm64"
fetch amd64 busybox-static "$cache/busybox-amd64"
fetch arm64 musl-dev "$cache/musl-arm64"
fetch arm64 musl "$cache/musl-arm64-rt"
