#!/usr/bin/env bash
# Builds the sample ports from the Debian sources that tools/fetch-sources.sh unpacked into .cache/sources, twice
# each: statically for AArch64 (aarch64-linux-gnu-gcc -O2 -static on Debian's arm64 musl, linked as
# tools/build-guests.sh does: images a third the size of glibc's, translated twice as fast) and natively for x86-64
# (gcc -O2, the oracle). Only the files a program needs are compiled, straight from the tree, with no configure step
# (except for SQLite's amalgamation, which its own makefile generates). Outputs: .cache/ports/<name>/{arm64,native}/.
#   bash samples/ports/build.sh [name…]        (default: zlib lua sqlite bzip2)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/samples/ports"
src="$top/.cache/sources"
out="$top/.cache/ports"
ports=("$@")
[ ${#ports[@]} -gt 0 ] || ports=(zlib lua sqlite bzip2)

die() { echo "ports: $*" >&2; exit 1; }
for c in aarch64-linux-gnu-gcc gcc; do
  command -v $c >/dev/null || die "$c not found (apt-get install gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
done
musl="$top/.cache/debian/musl-arm64/usr"
[ -f "$musl/lib/aarch64-linux-musl/libc.a" ] || bash "$top/tools/fetch-debian.sh"
mlib="$musl/lib/aarch64-linux-musl"
XCC=aarch64-linux-gnu-gcc
xcc=($XCC -static -nostdlib -nostdinc -isystem "$musl/include/aarch64-linux-musl" -isystem "$($XCC -print-file-name=include)")
xlibs=("$mlib/libc.a" "$($XCC -print-libgcc-file-name)" "$mlib/crtn.o")

# cc ARCH OUT FLAGS… : compile and link one program for arm64 or native.
cc() {
  local arch=$1 exe=$2; shift 2
  mkdir -p "$(dirname "$exe")"
  if [ "$arch" = arm64 ]; then
    local a args=()
    for a in "$@"; do [ "$a" = -lm ] || args+=("$a"); done # musl's libc.a has libm in it
    "${xcc[@]}" -O2 -g0 -w "$mlib/crt1.o" "$mlib/crti.o" "${args[@]}" "${xlibs[@]}" -o "$exe"
  else gcc -O2 -g0 -w "$@" -o "$exe"; fi
}
# both NAME PROGRAM FLAGS… : the arm64 and native builds of one program, side by side.
both() {
  local name=$1 prog=$2; shift 2
  cc arm64 "$out/$name/arm64/$prog" "$@" & local a=$!
  cc native "$out/$name/native/$prog" "$@" & local b=$!
  wait $a && wait $b
}

zlib() { # minigzip and example (zlib's own test programs) and our roundtrip.c
  local s="$src/zlib" lib=(adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil)
  local libsrc=("${lib[@]/#/$s/}"); libsrc=("${libsrc[@]/%/.c}")
  local f=(-I"$s" -D_LARGEFILE64_SOURCE=1 -DHAVE_HIDDEN "${libsrc[@]}")
  both zlib minigzip "${f[@]}" "$s/test/minigzip.c"
  both zlib example "${f[@]}" "$s/test/example.c"
  both zlib roundtrip "${f[@]}" "$here/zlib/roundtrip.c"
}

lua() { # the lua interpreter (everything in src/ but the luac compiler), POSIX features, no dlopen
  local s="$src/lua5.4/src" g="$out/lua/gen"
  # Debian's luaconf.h includes a header its rules generate; one path for both builds keeps package.cpath equal.
  mkdir -p "$g" && echo '#define DEB_HOST_MULTIARCH "aarch64-linux-gnu"' >"$g/lua5.4-deb-multiarch.h"
  both lua lua -I"$g" -DLUA_USE_POSIX $(ls "$s"/*.c | grep -v '/luac\.c$') -lm
}

sqlite() { # the sqlite3 shell on the amalgamation that `make sqlite3.c shell.c` generates (needs tclsh)
  local s="$src/sqlite3" g="$out/sqlite/gen"
  command -v tclsh >/dev/null || die "tclsh not found: SQLite generates its amalgamation with it (apt-get install tcl)"
  if [ ! -e "$g/sqlite3.c" ] || [ ! -e "$g/shell.c" ]; then
    mkdir -p "$g"
    (cd "$g" && "$s/configure" --disable-tcl >configure.log 2>&1 && make -j2 sqlite3.c shell.c >make.log 2>&1) \
      || die "generating the SQLite amalgamation failed (see ${g#$top/}/*.log)"
  fi
  both sqlite sqlite3 -I"$g" -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_MATH_FUNCTIONS \
    "$g/sqlite3.c" "$g/shell.c" -lm
}

bzip2() { # the bzip2 program and our roundtrip.c on libbz2
  local s="$src/bzip2" lib=(blocksort huffman crctable randtable compress decompress bzlib)
  local libsrc=("${lib[@]/#/$s/}"); libsrc=("${libsrc[@]/%/.c}")
  local f=(-I"$s" -D_FILE_OFFSET_BITS=64 "${libsrc[@]}")
  both bzip2 bzip2 "${f[@]}" "$s/bzip2.c"
  both bzip2 roundtrip "${f[@]}" "$here/bzip2/roundtrip.c"
}

declare -A pkg=([zlib]=zlib [lua]=lua5.4 [sqlite]=sqlite3 [bzip2]=bzip2)
for p in "${ports[@]}"; do
  [ -n "${pkg[$p]:-}" ] || die "unknown port $p (known: ${!pkg[*]})"
  [ -e "$src/${pkg[$p]}/.done" ] || die "no source for $p: run bash tools/fetch-sources.sh first"
  # Up to date: built after this script and the port's own sources last changed.
  stamp="$out/$p/.done"
  if [ -e "$stamp" ] && [ -z "$(find "$0" "$here/$p" "$src/${pkg[$p]}/.done" -newer "$stamp" -type f 2>/dev/null)" ]; then continue; fi
  t0=$(date +%s)
  rm -rf "$out/$p/arm64" "$out/$p/native"
  "$p"
  touch "$stamp"
  echo "ports: $p built in $(( $(date +%s) - t0 )) s -> ${out#$top/}/$p/{arm64,native}"
done
