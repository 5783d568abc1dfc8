#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/verdict.sh judges every pair of expectation and result as the
# README says, and harness/status.sh exits on its table: 1 with a FAIL
# row, 0 without. One VM, one row per case, both kernels' results.
. "$(dirname "$0")/baselib"

O=$W/out R=$W/out/results
mkdir -p "$R/base/vm" "$R/patched/vm" "$O/queue"
: >"$O/queue/check.tsv"
printf 'build\tvm-base\tpass\t\nbuild\tvm-patched\tpass\t\n' >"$R/builds.tsv"
# case: expect_base expect_patched base_result patched_result -> verdict
cases='pp	pass	pass	pass	pass	pass
proven_fail	fail	pass	fail	pass	proven
proven_skip	skip	pass	skip	pass	proven
proven_absent	absent	pass	absent	pass	proven
notrun_base	notrun	pass	-	pass	pass
base_broke	pass	pass	fail	pass	FAIL
patched_timeout	pass	pass	pass	timeout	FAIL
both_fail	fail	fail	fail	fail	skip
both_skip	skip	skip	skip	skip	skip
never_ran	pass	pass	-	-	FAIL
proof_gone	fail	pass	pass	pass	FAIL
patched_absent	absent	pass	absent	absent	FAIL'
while IFS=$'\t' read -r n eb ep rb rp want; do
	printf 'x\t%s\t60\t%s\t%s\tcmd\treason %s\n' "$n" "$eb" "$ep" "$n" >>"$R/plan-vm.tsv"
	[ "$rb" = - ] || printf '%s\t%s\t10\t0\t\n' "$n" "$rb" >>"$R/base/vm/results.tsv"
	[ "$rp" = - ] || printf '%s\t%s\t10\t0\t\n' "$n" "$rp" >>"$R/patched/vm/results.tsv"
done <<<"$cases"
KQ_OUT=$O "$ROOT/harness/verdict.sh" 2>"$W/log" || fail "verdict.sh failed: $(cat "$W/log")"
[ "$(head -n 1 "$O/verdict.tsv" | cut -f 1,3,8)" = "series	test	verdict" ] ||
	fail "no header line: $(head -n 1 "$O/verdict.tsv")"
n=0
while IFS=$'\t' read -r name eb ep rb rp want; do
	got=$(awk -F'\t' -v n="$name" '$3 == n { print $8 }' "$O/verdict.tsv")
	[ "$got" = "$want" ] || fail "$name ($eb/$ep, got $rb/$rp): verdict '$got', want '$want'"
	n=$((n + 1))
done <<<"$cases"
[ $n -ge 12 ] || fail "only $n cases"
KQ_OUT=$O "$ROOT/harness/status.sh" 2>"$W/log"; rc=$?
[ $rc -eq 1 ] || fail "status with FAIL rows: exit $rc, want 1"
grep -q ' 5 of 12 test rows FAIL' "$W/log" || fail "status counts: $(cat "$W/log")"
awk -F'\t' -v OFS='\t' 'NR == 1 || $8 != "FAIL"' "$O/verdict.tsv" >"$W/ok.tsv" && mv "$W/ok.tsv" "$O/verdict.tsv"
KQ_OUT=$O "$ROOT/harness/status.sh" 2>"$W/log"; rc=$?
[ $rc -eq 0 ] || fail "status without FAIL rows: exit $rc, want 0 ($(cat "$W/log"))"
pass "$n expectation/result pairs judged as documented (pass, proven, skip, FAIL); status exits 1 with FAIL rows, 0 without"
