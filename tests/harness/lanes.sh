#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VM lanes (arch/<arch>-<lane>.conf with lane_of=<arch>): a lane's own keys
# replace the arch's, the others come from the arch; arch_of names the
# kernel a lane boots; lanes_of finds the lanes of an arch and nothing
# else, a lane of a lane too (it inherits that lane's keys); vms_of leaves
# out a heavy lane unless asked, or unless named. Then every real lane in
# arch/ resolves and its plan parses.
. "$(dirname "$0")/vmtestlib"

f=$W/root/arch
mkdir -p "$f"
printf 'karch=arm64\nqemu_args=-M a\nappend=\nconsole=ttyX\n' >"$f/a1.conf"
printf 'lane_of=a1\nqemu_args=-M b\n' >"$f/a1-two.conf"
printf 'lane_of=a1\nappend=mode=x\n' >"$f/a1-three.conf"
printf 'lane_of=a1\nheavy=1\n' >"$f/a1-big.conf"
printf 'lane_of=a1-two\nappend=sub\n' >"$f/a1-two-sub.conf"
printf 'karch=arm64\n' >"$f/a1-notalane.conf"
printf 'lane_of=a10\n' >"$f/a10-x.conf"
got=$(
	KQ_ROOT=$W/root
	. "$ROOT/harness/lib.sh"
	echo "$(arch_get a1-two qemu_args)|$(arch_get a1-two console)|$(arch_get a1-three append)"
	echo "$(arch_get a1-three qemu_args)|$(arch_of a1-two)|$(arch_of a1)|$(lanes_of a1 | tr '\n' ' ')"
	echo "$(arch_get a1 lane_of)|$(arch_get a1-two nokey)|"
	echo "$(vms_of a1 0 | tr '\n' ' ')|$(vms_of a1 1 | tr '\n' ' ')|$(vms_of a1-big 0)"
	echo "$(arch_get a1-two-sub qemu_args)|$(arch_get a1-two-sub append)|$(arch_get a1-two-sub console)|$(arch_of a1-two-sub)"
) 2>&1
want='-M b|ttyX|mode=x
-M a|a1|a1|a1-big a1-three a1-two-sub a1-two 
||
a1 a1-three a1-two-sub a1-two |a1 a1-big a1-three a1-two-sub a1-two |a1-big
-M b|sub|ttyX|a1'
[ "$got" = "$want" ] || fail "lane lookup: got '$(echo "$got" | tr '\n' '/')', want '$(echo "$want" | tr '\n' '/')'"

. "$ROOT/harness/lib.sh"
. "$ROOT/harness/plan.sh"
n=0
for c in "$ROOT"/arch/*-*.conf; do
	l=$(basename "$c" .conf) a=$(arch_of "$(basename "$c" .conf)")
	[ "$a" != "$l" ] || continue
	lanes_of "$a" | grep -qx "$l" || fail "$l: not among the lanes of $a"
	[ -n "$(arch_get "$l" qemu)" ] && [ -n "$(arch_get "$l" image)" ] ||
		fail "$l: no qemu or image from $a"
	plan_rows "$ROOT/plans/$l.plan" >/dev/null || fail "$l: plans/$l.plan does not parse"
	n=$((n + 1))
done
[ "$n" -ge 1 ] || fail "no lanes (arch/*-*.conf) checked"
pass "lane keys override the arch's (or the parent lane's), the rest is inherited; heavy lanes only when asked or named; $n lanes in arch/ resolve and their plans parse"
