#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh <arch> <out.cpio> <plan-file> [<bindir>]
#
# Build the test initramfs: /init (harness/init/init.c, static, for <arch>),
# /kq/plan, and the <bindir> tree under /kq/bin with its relative paths.
# Tools are cached: $KQ_OUT/tools/gen_init_cpio, $KQ_OUT/init/<arch>/init.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || [ $# -eq 4 ] ||
	die "usage: initramfs.sh <arch> <out.cpio> <plan-file> [<bindir>]"
arch=$1 out=$2 plan=$3 bindir=${4:-}
[ -f "$plan" ] || die "no plan file '$plan'"
[ -z "$bindir" ] || [ -d "$bindir" ] || die "no bin directory '$bindir'"
# The list below is made from inside <bindir>: relative paths must not
# change their meaning there.
case $out in /*) ;; *) out=$PWD/$out ;; esac

# build_if_stale <target> <source> <compiler and flags...>
build_if_stale() {
	local target=$1 src=$2
	shift 2
	[ "$target" -nt "$src" ] && return 0
	mkdir -p "$(dirname "$target")"
	"$@" -o "$target.tmp.$$" "$src" || die "cannot build $target"
	mv -f "$target.tmp.$$" "$target"	# atomic: runs may share it
}

cpio_tool=$KQ_OUT/tools/gen_init_cpio
build_if_stale "$cpio_tool" "$KQ_TREE/usr/gen_init_cpio.c" gcc -O2 -Wall

cc=$(arch_get "$arch" cross)gcc
need_tool "$cc" "$(arch_get "$arch" cross_pkg)"
init=$KQ_OUT/init/$(arch_of "$arch")/init
build_if_stale "$init" "$KQ_ROOT/harness/init/init.c" "$cc" -static -O2 -Wall

list=$(mktemp)
trap 'rm -f "$list"' EXIT
(
	cat <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	dir /tmp 1777 0 0
	dir /kq 0755 0 0
	dir /kq/bin 0755 0 0
	file /init $init 0755 0 0
	file /kq/plan $(realpath "$plan") 0644 0 0
	EOF
	if [ -n "$bindir" ]; then
		cd "$bindir"
		find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
			p=${p#./}
			case $p in
			*[[:space:]]*) die "bin path with white space: '$p'" ;;
			esac
			mode=$(stat -c %a "$p")
			if [ -L "$p" ]; then
				echo "slink /kq/bin/$p $(readlink "$p") $mode 0 0"
			elif [ -d "$p" ]; then
				echo "dir /kq/bin/$p $mode 0 0"
			elif [ -f "$p" ]; then
				echo "file /kq/bin/$p $PWD/$p $mode 0 0"
			fi
		done
	fi
) >"$list" || exit 1

"$cpio_tool" "$list" >"$out.tmp.$$" || die "gen_init_cpio failed"
mv -f "$out.tmp.$$" "$out"
