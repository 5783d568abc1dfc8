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
# The rows whose program is here: "what pkg need path".
: >"$W/rows"
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
	printf '%s\t%s\t%s\t%s\n' "$what" "$pkg" "$need" "$p" >>"$W/rows"
done <"$T"
# One dpkg -S for every path, where its links end, and both as /bin...
# (merged /usr: packages may list /bin/cpio for /usr/bin/cpio); one
# apt-cache depends for every package (the graph of what each depends on).
mapfile -t paths < <(cut -f4 "$W/rows" | while read -r q; do
	r=$(readlink -f "$q")
	printf '%s\n' "$q" "${q/#\/usr\///}" "$r" "${r/#\/usr\///}"
done | sort -u)
dpkg -S "${paths[@]}" 2>/dev/null >"$W/owners"
# shellcheck disable=SC2046
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances $(cut -f2 "$W/rows" | sort -u) >"$W/deps" 2>/dev/null ||
	fail "apt-cache depends failed"
while IFS=$'\t' read -r what pkg need p; do
	owners=$(for q in "$p" "$(readlink -f "$p")"; do
		awk -v a="$q" -v b="${q/#\/usr\///}" '{ i = index($0, ": ") }
			i && (substr($0, i + 2) == a || substr($0, i + 2) == b) { print substr($0, 1, i - 1) }' "$W/owners"
	done | tr ', ' '\n\n' | sed 's/:.*//' | sed '/^$/d')
	# Owned by the package or by one it depends on: installing it brings it.
	awk -v want="$pkg" -v owners="$(printf '%s ' $owners)" '
		/^[^ ]/ { cur = $1; next }
		/^  [ |]?[A-Za-z]*Depends: / { dep = $NF; edge[cur] = edge[cur] " " dep; last = dep; next }
		/^    [^ ]/ { edge[last] = edge[last] " " $1 }
		END {
			n = split(owners, o, " "); for (i = 1; i <= n; i++) own[o[i]] = 1
			q[1] = want; seen[want] = 1; h = 1; t = 1
			while (h <= t) {
				x = q[h++]; if (x in own) exit 0
				m = split(edge[x], e, " ")
				for (i = 1; i <= m; i++) if (!(e[i] in seen)) { seen[e[i]] = 1; q[++t] = e[i] }
			}
			exit 1
		}' "$W/deps" ||
		fail "$what is $p, owned by '$(printf '%s' "$owners" | tr '\n' ' ')', not by the listed '$pkg' or what it depends on"
	n=$((n + 1))
done <"$W/rows"
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
PATH=$W/p-cut KQ_STRICT_PATH=0 KQ_MIN_FREE_GB=0 KQ_OUT=$W/out timeout 120 "$ROOT/kq" run --arch riscv64 --series 05 >"$W/run.log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "./kq run without rsync exited $rc, want 2"
[ $((SECONDS - t0)) -le 60 ] || fail "./kq run took $((SECONDS - t0)) s to notice"
err=$(one_error_line "$W/run.log")
[ "$err" = "kq: error: rsync not found: apt-get install rsync" ] || fail "unclear error: $err"
[ -e "$W/out/linux" ] || [ -e "$W/out/build" ] && fail "./kq run made $W/out/linux or build/ before stopping"
rm -rf "$W/hdr" "$W/hdr-o"
pass "$n listed programs owned by their packages ($absent optional absent); no rsync in the list: headers_install fails, with it passes; ./kq run without rsync: '$err', exit 2 in $((SECONDS - t0)) s"
