#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A base the run did not boot by choice (KQ_NO_BASE: run.sh leaves
# results/base/<vm>/not-booted) is "notrun" in the report, and its rows are
# judged by the patched kernel alone: a pass is "pass", never "proven", and
# nothing fails for the missing base. Without the marker, the same missing
# base results fail the rows that expect a base result.
. "$(dirname "$0")/vmtestlib"
. "$ROOT/harness/plan.sh"

mkdir -p "$W/plans"
printf -- '04  t1  60  skip/pass  @kunit t1 # base has no such suite\n-   t2  60  pass  kvm/t2\n-   t3  60  fail  kvm/t3 # fails on both\n' \
	>"$W/plans/x.plan"
git init -q "$W/tree" && git -C "$W/tree" -c user.name=t -c user.email=t@t commit -q --allow-empty -m t &&
	git -C "$W/tree" tag base || fail "git"
mkdir -p "$W/out"
printf 'kernel=6.12.0\nsha256=0\n' >"$W/out/base.info"

# report <marker: 1|0>: report.tsv rows "test base patched verdict".
report() {
	local R=$W/out/results
	rm -rf "$R"
	mkdir -p "$R/base/x86_64" "$R/patched/x86_64"
	plan_rows "$W/plans/x.plan" >"$R/plan-x86_64.tsv" || fail "plan does not parse"
	printf 't1\tpass\t10\t0\t\nt2\tpass\t10\t0\t\nt3\tfail\t10\t0\texit 1\n' >"$R/patched/x86_64/results.tsv"
	: >"$R/base/x86_64/results.tsv"
	[ "$1" = 0 ] || echo KQ_NO_BASE >"$R/base/x86_64/not-booted"
	(export KQ_OUT=$W/out KQ_TREE=$W/tree KQ_ARCHES=x86_64; "$ROOT/harness/verdict.sh" && "$ROOT/harness/report.sh") >"$W/report-$1" 2>&1 ||
		fail "report.sh failed: $(tail -n 3 "$W/report-$1" | tr '\n' '|')"
	awk -F'\t' '{ printf "%s %s %s %s;", $3, $5, $7, $8 }' "$W/out/report.tsv"
}
got=$(report 1)
[ "$got" = "t1 notrun pass pass;t2 notrun pass pass;t3 notrun fail skip;" ] ||
	fail "with the marker: '$got'"
grep -q '^No base kernel for: x86_64 (KQ_NO_BASE' "$W/report-1" ||
	fail "report.txt does not say which base was not booted"
got=$(report 0)
[ "$got" = "t1 notrun pass FAIL;t2 notrun pass FAIL;t3 notrun fail FAIL;" ] ||
	fail "without the marker: '$got'"
grep -q 'No base kernel for' "$W/report-0" && fail "report.txt names a base as not booted without the marker"
pass "a base not booted by choice: base notrun, rows judged by patched alone (pass, not proven; fail/fail a skip), said in report.txt; without the marker missing base results fail"
