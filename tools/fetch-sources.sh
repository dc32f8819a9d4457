#!/usr/bin/env bash
# Fetches the Debian (bookworm) source packages of the sample ports (samples/ports/) into the ignored cache and
# unpacks them: .cache/sources/<package>/ holds the upstream tree with Debian's patches applied. apt runs with a
# deb-src list, lists and archive directory of its own in .cache/sources: the machine's apt configuration is never
# read or changed. Idempotent: a package unpacked once (its .done marker) is not fetched again.
#   bash tools/fetch-sources.sh [package…]     (default: every port's package)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache/sources"
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(zlib lua5.4 sqlite3 bzip2)

die() { echo "fetch-sources: $*" >&2; exit 1; }
command -v apt-get >/dev/null || die "apt-get not found (a Debian-like system is needed)"
command -v dpkg-source >/dev/null || die "dpkg-source not found (apt-get install dpkg-dev)"

todo=()
for p in "${pkgs[@]}"; do [ -e "$cache/$p/.done" ] || todo+=("$p"); done
[ ${#todo[@]} -gt 0 ] || exit 0

mkdir -p "$cache/lists/partial" "$cache/apt-cache/archives/partial" "$cache/parts" "$cache/dl"
cat >"$cache/sources.list" <<'EOF'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
EOF
o=(-oDir::Etc::SourceList="$cache/sources.list" -oDir::Etc::SourceParts="$cache/parts"
   -oDir::State::Lists="$cache/lists" -oDir::Cache="$cache/apt-cache" -oDebug::NoLocking=1)
if [ ! -e "$cache/lists/.updated" ]; then
  apt-get "${o[@]}" update -qq >/dev/null || die "apt-get update of the deb-src list failed (is Debian's archive reachable?)"
  touch "$cache/lists/.updated"
fi

for p in "${todo[@]}"; do
  # .dsc, orig and debian tarballs into dl/ (apt checks them against the signed Sources index).
  (cd "$cache/dl" && apt-get "${o[@]}" source --download-only -qq "$p" >/dev/null 2>"$cache/dl/$p.log") \
    || die "cannot download the source package $p (see ${cache#$top/}/dl/$p.log)"
  dsc=$(ls -t "$cache/dl/${p}_"*.dsc 2>/dev/null | head -1)
  [ -n "$dsc" ] || die "no .dsc for $p in ${cache#$top/}/dl"
  rm -rf "$cache/$p"
  dpkg-source --no-check --no-copy -x "$dsc" "$cache/$p" >/dev/null || die "dpkg-source could not unpack $dsc"
  touch "$cache/$p/.done"; rm -f "$cache/dl/$p.log"
  echo "fetch-sources: $p -> ${cache#$top/}/$p ($(basename "$dsc" .dsc))"
done
