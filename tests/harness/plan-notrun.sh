#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A plan row may expect "notrun" on the base (a costly test that proves
# nothing there), with a reason; not on the patched tree. In the report
# such a row, not run on base and passing patched, is a plain pass, not
# "proven", and the base's pass/fail/skip counts leave it out.
. "$(dirname "$0")/vmtestlib"
. "$ROOT/harness/plan.sh"

p=$W/plans
mkdir -p "$p"
printf -- '05  t1  60  notrun/pass  kvm/t1 # too slow for base\n05  t2  60  pass  kvm/t2\n' >"$p/ok.plan"
printf -- '05  t1  60  notrun/pass  kvm/t1\n' >"$p/noreason.plan"
printf -- '05  t1  60  pass/notrun  kvm/t1 # patched cannot be skipped\n' >"$p/patched.plan"
rows=$(plan_rows "$p/ok.plan") || fail "notrun/pass with a reason does not parse"
[ "$(echo "$rows" | head -n 1 | cut -f 4,5)" = "notrun	pass" ] ||
	fail "row: '$(echo "$rows" | head -n 1 | tr '\t' ' ')'"
for f in noreason patched; do
	plan_rows "$p/$f.plan" >/dev/null 2>&1 && fail "$f.plan parsed"
done

R=$W/out/results
mkdir -p "$R/base/x86_64" "$R/patched/x86_64"
echo "$rows" >"$R/plan-x86_64.tsv"
printf 't2\tpass\t10\t0\t\n' >"$R/base/x86_64/results.tsv"
printf 't1\tpass\t20\t0\t\nt2\tpass\t10\t0\t\n' >"$R/patched/x86_64/results.tsv"
git init -q "$W/tree" && git -C "$W/tree" -c user.name=t -c user.email=t@t commit -q --allow-empty -m t &&
	git -C "$W/tree" tag base || fail "git"
printf 'kernel=6.12.0\nsha256=0\n' >"$W/out/base.info"
(export KQ_OUT=$W/out KQ_TREE=$W/tree KQ_ARCHES=x86_64; "$ROOT/harness/verdict.sh" && "$ROOT/harness/report.sh") >"$W/report" 2>&1 ||
	fail "report.sh failed: $(tail -n 3 "$W/report" | tr '\n' '|')"
row=$(awk -F'\t' '$3 == "t1" { print $4, $5, $6, $7, $8 }' "$W/out/report.tsv")
[ "$row" = "notrun notrun pass pass pass" ] || fail "report.tsv t1: '$row'"
grep -Eq '^  05 +x86_64 +2  1/0/0 +2/0/0 ' "$W/report" ||
	fail "summary: $(grep -E '^  05 ' "$W/report" | tr '\n' '|')"
pass "notrun/pass parses only with a reason and only for the base; reported as a pass, left out of the base's counts"
