#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The KTAP that console.awk extracts from each recorded console log is
# accepted by the kernel's own parser (kunit.py parse), which counts the
# same passed/failed/crashed/skipped tests as console.awk does.
. "$(dirname "$0")/vmtestlib"

kunit=${KQ_OUT:-$ROOT/out}/linux/tools/testing/kunit/kunit.py
[ -f "$kunit" ] || skip "no $kunit"
command -v python3 >/dev/null || skip "no python3"
n=0
for log in "$DATA"/*.log; do
	c=${log%.log}
	awk -f "$ROOT/harness/vmplan.awk" -f "$ROOT/harness/console.awk" -v ktap="$W/ktap.log" \
		-v counts="$W/counts" "$c.plan" "$log" >/dev/null ||
		fail "console.awk failed on $log"
	head -n 1 "$W/ktap.log" | grep -qx 'KTAP version 1' ||
		fail "$(basename "$c"): ktap.log does not start with 'KTAP version 1'"
	! grep -q '^\[ *[0-9]*\.[0-9]*\]' "$W/ktap.log" ||
		fail "$(basename "$c"): kernel lines in ktap.log"
	python3 "$kunit" parse "$W/ktap.log" >"$W/parse.log" 2>&1
	theirs=$(sed 's/\x1b\[[0-9;]*m//g' "$W/parse.log" | awk '/Testing complete/ {
		for (i = 1; i <= NF; i++)
			c[$i] = $(i + 1) + 0
		printf "passed %d failed %d crashed %d skipped %d",
		       c["passed:"], c["failed:"], c["crashed:"], c["skipped:"] }')
	[ "$theirs" = "$(cat "$W/counts")" ] ||
		fail "$(basename "$c"): kunit.py reads '$theirs', console.awk '$(cat "$W/counts")'"
	n=$((n + 1))
done
[ $n -ge 1 ] || fail "no recorded console logs in $DATA"
pass "kunit.py parse accepts the KTAP of $n recorded runs and counts them as console.awk does"
