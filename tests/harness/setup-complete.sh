#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/tools.tsv is what setup installs, and it is complete enough:
#  1. every listed program or file that is here belongs to the package
#     the list names (dpkg -S), so installing that package brings it;
#  2. the strict PATH (tools.sh strict-path, what ./kq check runs under)
#     built from a list without rsync has no rsync, and "make
#     headers_install" of the kernel tree fails under it as it did on a
#     fresh machine; with the real list it passes;
#  3. ./kq run with a needed program missing stops within a minute with
#     one line naming its package, exit status 2, having made nothing.
. "$(dirname "$0")/baselib"

T=$ROOT/harness/tools.tsv
tree=${KQ_TREE:-${KQ_OUT:-$ROOT/out}/linux}
n=0 absent=0
while IFS=$'\t' read -r what pkg need; do
	case $what in
	'#'*|'') continue ;;
	/*) p=$what ;;
	*) p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$what") || p= ;;
	esac
	if [ -z "$p" ] || [ ! -e "$p" ]; then
		# Only cross/fresh/drift rows may be absent: setup installs the rest.
		case $need in cross|fresh|drift) absent=$((absent + 1)); continue ;; esac
		fail "$what ($pkg, needed by $need) is not installed: run ./kq setup"
	fi
	# The path and where its links end, also as /bin... (merged /usr:
	# packages may list /bin/cpio for /usr/bin/cpio).
	owners=$(for q in "$p" "$(readlink -f "$p")"; do
		dpkg -S "$q" "${q/#\/usr\///}" 2>/dev/null
	done | sed 's/: .*//' | tr ', ' '\n\n')
	# Owned by the package or by one it depends on: installing it brings it.
	deps=$(apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$pkg" 2>/dev/null | sed -n 's/^\([a-z0-9][^ :]*\).*/\1/p')
	printf '%s\n' "$owners" | sed 's/:.*//' | grep -qxF -f <(printf '%s\n' "$pkg" $deps) ||
		fail "$what is $p, owned by '$(printf '%s' "$owners" | tr '\n' ' ')', not by the listed '$pkg' or what it depends on"
	n=$((n + 1))
done <"$T"
[ $n -ge 20 ] || fail "only $n rows checked"

[ -f "$tree/Makefile" ] || fail "no kernel tree at $tree (./kq base makes it)"
grep -v '^rsync	' "$T" >"$W/tools-no-rsync.tsv"
KQ_TOOLS=$W/tools-no-rsync.tsv "$ROOT/harness/tools.sh" strict-path "$W/p-old" x86_64 riscv64 2>/dev/null ||
	fail "strict-path failed"
"$ROOT/harness/tools.sh" strict-path "$W/p-new" x86_64 riscv64 2>/dev/null || fail "strict-path failed"
[ -e "$W/p-old/rsync" ] && fail "the strict PATH from a list without rsync has rsync"
[ -e "$W/p-new/rsync" ] || fail "the strict PATH from the list has no rsync"
hi() { PATH=$1 timeout 300 make -s -C "$tree" O="$W/hdr-o" ARCH=x86_64 headers_install \
	INSTALL_HDR_PATH="$W/hdr" >"$2" 2>&1; }
hi "$W/p-old" "$W/hdr-old.log" && fail "headers_install passed without rsync"
grep -q 'rsync' "$W/hdr-old.log" || fail "headers_install failed, but not for rsync: $(tail -n 1 "$W/hdr-old.log")"
hi "$W/p-new" "$W/hdr-new.log" || fail "headers_install failed under the strict PATH: $(tail -n 2 "$W/hdr-new.log")"

# The real list, one program gone: the run stops before the base step.
mkdir -p "$W/p-cut" && cp -a "$W/p-new/." "$W/p-cut/" && rm -f "$W/p-cut/rsync"
t0=$SECONDS
PATH=$W/p-cut KQ_STRICT_PATH=0 KQ_OUT=$W/out timeout 120 "$ROOT/kq" run --arch riscv64 --series 05 >"$W/run.log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "./kq run without rsync exited $rc, want 2"
[ $((SECONDS - t0)) -le 60 ] || fail "./kq run took $((SECONDS - t0)) s to notice"
err=$(one_error_line "$W/run.log")
[ "$err" = "kq: error: rsync not found: apt-get install rsync" ] || fail "unclear error: $err"
[ -e "$W/out/linux" ] || [ -e "$W/out/build" ] && fail "./kq run made $W/out/linux or build/ before stopping"
rm -rf "$W/hdr" "$W/hdr-o"
pass "$n listed programs owned by their packages ($absent optional absent); no rsync in the list: headers_install fails, with it passes; ./kq run without rsync: '$err', exit 2 in $((SECONDS - t0)) s"
