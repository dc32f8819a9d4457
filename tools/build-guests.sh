#!/usr/bin/env bash
# Builds our C programs (samples/, userspace/) for AArch64, statically, with both libcs:
#   X.musl  — Debian's arm64 musl (tools/fetch-debian.sh unpacks it into .cache/debian/musl-arm64)
#   X.glibc — aarch64-linux-gnu-gcc -static
# and X.native for x86-64 when a host gcc exists (the expected output of portable tests; never committed).
# The AArch64 builds are committed as fixtures so `npm test` runs without a cross compiler;
# `--check` rebuilds into a temporary directory and fails if a committed fixture is stale.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
check=0
[ "${1:-}" = "--check" ] && check=1

CC=aarch64-linux-gnu-gcc
command -v $CC >/dev/null || { echo "build-guests: $CC not found (apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }
musl="$top/.cache/debian/musl-arm64/usr"
[ -f "$musl/lib/aarch64-linux-musl/libc.a" ] || bash tools/fetch-debian.sh
mlib="$musl/lib/aarch64-linux-musl"
gccinc=$($CC -print-file-name=include)
libgcc=$($CC -print-libgcc-file-name)
# Reproducible output: no build id, fixed paths and dates.
common=(-O2 -g0 -Wall -ffile-prefix-map="$top"=. -Wl,--build-id=none)
export SOURCE_DATE_EPOCH=0

# Sources: every samples/*/*.c and userspace/**/*.c that is a whole program (has main).
mapfile -t sources < <(ls samples/*/*.c userspace/*.c userspace/*/*.c 2>/dev/null | xargs -r grep -l 'main(' | sort)

out_dir() { if [ $check = 1 ]; then echo "$tmp/$(dirname "$1")"; else dirname "$1"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stale=0
for src in "${sources[@]}"; do
  base=$(basename "$src" .c)
  dir=$(out_dir "$src")
  mkdir -p "$dir"
  $CC "${common[@]}" -static -nostdlib -nostdinc -isystem "$musl/include/aarch64-linux-musl" -isystem "$gccinc" \
    "$mlib/crt1.o" "$mlib/crti.o" "$src" "$mlib/libc.a" "$libgcc" "$mlib/crtn.o" -o "$dir/$base.musl"
  $CC "${common[@]}" -static "$src" -o "$dir/$base.glibc" -lm
  # The default sample also as a static PIE (ET_DYN, loaded at a base of our choosing).
  if [ "$src" = samples/hello/hello.c ]; then $CC "${common[@]}" -static-pie "$src" -o "$dir/$base.pie" -lm; fi
  # A program whose source says it has no native build (AArch64 assembly throughout) is checked against qemu.
  if command -v gcc >/dev/null && [ $check = 0 ] && ! grep -q 'no native build' "$src"; then
    gcc -O2 "$src" -o "$(dirname "$src")/$base.native" -lm
  fi
  # Benchmark binaries are built on demand (npm run bench), not committed.
  if [ $check = 1 ] && [ "${src#samples/bench/}" = "$src" ]; then
    for k in musl glibc $([ "$src" = samples/hello/hello.c ] && echo pie); do
      if ! cmp -s "$dir/$base.$k" "$(dirname "$src")/$base.$k"; then
        echo "build-guests: $(dirname "$src")/$base.$k is stale or missing: run tools/build-guests.sh and commit" >&2
        stale=1
      fi
    done
  fi
done
[ $stale = 0 ] || exit 1
echo "build-guests: ${#sources[@]} program(s) $([ $check = 1 ] && echo checked || echo built)"
