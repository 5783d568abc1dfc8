#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./kq fresh-check: the README's commands on a machine with nothing
# installed. A minimal Debian 12 root (debootstrap --variant=minbase, from
# the archive this machine uses), a clone of this repo's HEAD in it, then,
# inside it (chroot in a private mount namespace, as root):
#   ./kq setup && ./kq run <args> && ./kq lava
# (default args: --arch riscv64 --series 05; ./kq lava checks the run's
# VMs as LAVA jobs with LAVA's schema). Heavy: a cold kernel build
# per kind; not part of ./kq check.
#
#   fresh.sh [--keep] [run args...]
#
# The root is $KQ_OUT/fresh/root (removed first, and after a pass unless
# --keep); the log of the run inside is $KQ_OUT/fresh/run.log. Exit status
# that of the run inside (setup failing: 2).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

keep=0
[ "${1:-}" = --keep ] && { keep=1; shift; }
[ $# -gt 0 ] || set -- --arch riscv64 --series 05
[ "$(id -u)" -eq 0 ] || die "fresh-check: needs root (debootstrap, chroot, mounts)"
"$KQ_ROOT/harness/tools.sh" check fresh || exit 2
need_tool unshare util-linux

F=$KQ_OUT/fresh
root=$F/root
src=/etc/apt/sources.list.d/debian.sources
if [ -f "$src" ]; then
	mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' "$src" | head -n 1)
else
	mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || die "fresh-check: no Debian mirror in $src or /etc/apt/sources.list"

# No mount may be left behind in the root before it is removed.
mounted() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { n++ } END { exit !n }' /proc/mounts; }
mounted && die "fresh-check: something is still mounted under $root"
rm -rf "$F"
mkdir -p "$F"
t0=$SECONDS
say "fresh-check: debootstrap --variant=minbase bookworm from $mirror"
run_logged "$F/debootstrap.log" "debootstrap" \
	timeout 900 debootstrap --variant=minbase bookworm "$root" "$mirror" ||
	die "fresh-check: debootstrap failed (see $F/debootstrap.log)"
t_boot=$((SECONDS - t0))
# The same archive as this machine (bookworm-security carries
# linux-source-6.12 and llvm-22), and its name service.
if [ -f "$src" ]; then
	cp "$src" "$root/etc/apt/sources.list.d/" && rm -f "$root/etc/apt/sources.list"
else
	cp /etc/apt/sources.list "$root/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
git clone -q --no-hardlinks "$KQ_ROOT" "$root/kq"
say "fresh-check: root ready in ${t_boot}s ($(du -sm "$root" | cut -f1) MB); in it: which of git make gcc rsync: $(chroot "$root" sh -c 'for c in git make gcc rsync; do command -v $c; done' | wc -l) found"

# In the namespace: /proc, /sys, /dev for QEMU and the builds; the
# mounts end with it.
inner=$(printf '%q ' "$@")
rc=0
t1=$SECONDS
run_logged "$F/run.log" "fresh-check: ./kq setup && ./kq run $* && ./kq lava" \
	unshare --mount --propagation private sh -euc '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount -t sysfs sys "$r/sys"
		mount --rbind /dev "$r/dev"
		mount -t tmpfs tmp "$r/tmp"
		exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/bash -c "cd /kq && apt-get update -q && ./kq setup && ./kq run $0 && ./kq lava"
	' "$inner" "$root" || rc=$?
t_run=$((SECONDS - t1))
# A run that exits 0 must also have built everything and have no verdict
# FAIL (columns as harness/check.sh reads them).
o=$root/kq/out
if [ $rc -eq 0 ]; then
	if [ ! -s "$o/verdict.tsv" ] || awk -F'\t' 'NR > 1 && $8 == "FAIL" { bad = 1 } END { exit !bad }' "$o/verdict.tsv" ||
	   awk -F'\t' '$3 == "fail" { bad = 1 } END { exit !bad }' "$o/results/builds.tsv" 2>/dev/null; then
		warn "fresh-check: ./kq run exited 0 but its report has a FAIL or a failed build"
		rc=1
	fi
fi
grep -E '^kq: error:|WARNING' "$F/run.log" | head -n 5 >&2 || true
[ -f "$root/kq/out/report.txt" ] && cp "$root/kq/out/report.txt" "$F/report.txt"
printf 'debootstrap\t%s\nsetup+run\t%s\nstatus\t%s\nargs\t%s\n' "$t_boot" "$t_run" "$rc" "$*" >"$F/times.tsv"
if [ $rc -eq 0 ]; then
	say "fresh-check: pass: root ${t_boot}s, ./kq setup + ./kq run $* + ./kq lava ${t_run}s (report: $F/report.txt)"
	[ $keep = 1 ] || rm -rf "$root"
else
	say "fresh-check: FAIL (exit $rc) after ${t_run}s: see $F/run.log (root kept: $root)"
fi
exit $rc
