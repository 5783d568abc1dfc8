#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# console.awk on the recorded console logs in tests/data/console: each
# <case>.log with <case>.plan (and awk options from <case>.args) must give
# exactly <case>.tsv. The cases are real captures; warning.log and
# bootsplat.log have splat reports pasted into a real capture;
# riscv-ubsan.log is untouched, from a kernel with UBSAN_ALIGNMENT noise
# (reports of two CPUs interleaved, one at shutdown counted against the
# last test).
. "$(dirname "$0")/vmtestlib"

n=0
for log in "$DATA"/*.log; do
	c=${log%.log}
	args=$(cat "$c.args" 2>/dev/null)
	awk -f "$ROOT/harness/vmplan.awk" -f "$ROOT/harness/console.awk" $args "$c.plan" "$log" >"$W/out.tsv" ||
		fail "console.awk failed on $log"
	diff -u "$c.tsv" "$W/out.tsv" >"$W/diff" ||
		fail "$(basename "$c"): results differ: $(grep '^[-+][^-+]' "$W/diff" | head -n 4 | tr '\t\n' ' |' | tr -cd '[:print:]')"
	n=$((n + 1))
done
[ $n -ge 6 ] || fail "only $n recorded logs in $DATA"
pass "console.awk turns $n recorded console logs (clean, splats in tests and at boot, per-test timeouts, panic, VM hang, empty plan, real riscv64 UBSAN noise) into their expected results.tsv"
