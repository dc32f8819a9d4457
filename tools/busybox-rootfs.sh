#!/usr/bin/env bash
# Assembles two busybox root filesystems in the ignored cache, one per architecture, from Debian's busybox-static
# (tools/fetch-debian.sh):
#   .cache/rootfs/busybox-arm64   the guest's / for `levitate run --root`
#   .cache/rootfs/busybox-amd64   the same tree around the native binary (the oracle of tests/process/ash.test.ts)
# Each holds bin/busybox, a relative symlink for every applet where `busybox --list-full` puts it (the amd64
# binary is asked: same Debian version, same applets), an empty /tmp (1777), /root, /etc/passwd and /etc/group
# with a root entry, /etc/hostname, and /etc/inittab for `levitate boot --root`: busybox init names the system,
# runs a login shell on the console and powers off when it ends. /dev and /proc are empty mount points: the
# kernel provides their files.
# Idempotent: a .done marker records the layout, the version and the checksum of the binary; nothing is redone
# while they match.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
deb="$top/.cache/debian"
out="$top/.cache/rootfs"

if [ ! -e "$deb/busybox-arm64/.done" ] || [ ! -e "$deb/busybox-amd64/.done" ]; then
  bash "$top/tools/fetch-debian.sh" >&2
fi
native="$deb/busybox-amd64/bin/busybox"
version=$("$native" 2>/dev/null | head -1 || true)
[ -n "$version" ] || { echo "busybox-rootfs: cannot run $native" >&2; exit 1; }
list=$("$native" --list-full)

build() { # arch
  local arch=$1 src="$deb/busybox-$1/bin/busybox" dest="$out/busybox-$1"
  local stamp
  stamp="layout 3 $version $(sha256sum "$src" | cut -d' ' -f1)"
  if [ -e "$dest/.done" ] && [ "$(cat "$dest/.done")" = "$stamp" ]; then return 1; fi
  local tmp="$dest.new.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,dev,proc}
  chmod 1777 "$tmp/tmp"
  chmod 700 "$tmp/root"
  cp "$src" "$tmp/bin/busybox"
  chmod 755 "$tmp/bin/busybox"
  local path dir up
  while IFS= read -r path; do
    [ -n "$path" ] && [ "$path" != bin/busybox ] || continue
    if [[ $path == */* ]]; then dir=${path%/*}; else dir=.; fi
    # bin/x -> busybox, sbin/x -> ../bin/busybox, usr/bin/x -> ../../bin/busybox, linuxrc -> bin/busybox
    case "$dir" in
      .) up=bin/busybox ;;
      bin) up=busybox ;;
      sbin | usr) up=../bin/busybox ;;
      usr/bin | usr/sbin) up=../../bin/busybox ;;
      *) echo "busybox-rootfs: unexpected applet path $path" >&2; exit 1 ;;
    esac
    ln -s "$up" "$tmp/$path"
  done <<<"$list"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$tmp/etc/passwd"
  printf 'root:x:0:\n' >"$tmp/etc/group"
  echo levitate >"$tmp/etc/hostname"
  cat >"$tmp/etc/inittab" <<'EOF'
# levitate boot: a login shell on the console; when it exits, the system powers off.
::sysinit:/bin/hostname -F /etc/hostname
::wait:-/bin/sh
::wait:/sbin/poweroff -f
EOF
  echo "$stamp" >"$tmp/.done"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  return 0
}

made=()
for arch in arm64 amd64; do
  if build "$arch"; then made+=("$arch"); fi
done
n=$(grep -c . <<<"$list")
if [ ${#made[@]} -gt 0 ]; then
  echo "busybox-rootfs: ${version%% multi-call*}, $n applets -> .cache/rootfs/busybox-{arm64,amd64} (built ${made[*]})"
else
  echo "busybox-rootfs: ${version%% multi-call*}, $n applets: up to date"
fi
