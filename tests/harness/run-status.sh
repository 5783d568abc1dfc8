#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The exit status of ./kq run (harness/status.sh, run.sh's last step) from
# what a run wrote: 0 every row as expected, 1 a queue check or a verdict
# FAIL, 2 a failed build or no report at all.
. "$(dirname "$0")/baselib"

O=$W/out
mkdir -p "$O/queue" "$O/results"
st() { KQ_OUT=$O "$ROOT/harness/status.sh" 2>"$W/log"; echo $?; }
row() { printf 'x\tarm64\tt%s\tpass\tpass\tpass\tpass\t%s\t0\t0\t0\t0\t\t\n' "$1" "$2"; }

[ "$(st)" = 2 ] || fail "no report: not 2"
printf 'apply-alone\t01-x\tpass\t1 applied\n' >"$O/queue/check.tsv"
printf 'build\tarm64-base\tpass\t\nbuild\tarm64-patched\tpass\t\n' >"$O/results/builds.tsv"
{ printf 'series\tarch\ttest\texpect_base\tbase\texpect_patched\tpatched\tverdict\n'
  row 1 pass; row 2 proven; row 3 skip; } >"$O/verdict.tsv"
[ "$(st)" = 0 ] || fail "all as expected: not 0 ($(cat "$W/log"))"
row 4 FAIL >>"$O/verdict.tsv"
[ "$(st)" = 1 ] || fail "a FAIL verdict: not 1"
grep -q '1 of 4 test rows FAIL' "$W/log" || fail "no count: $(cat "$W/log")"
sed -i '$d' "$O/verdict.tsv"
printf 'checkpatch\t01/0001-x.patch\tfail\tWARNING\n' >>"$O/queue/check.tsv"
[ "$(st)" = 1 ] || fail "a failed queue check: not 1"
printf 'build\tarm64-base\tfail\tbuild: arm64-base: headers_install failed: rsync not found: apt-get install rsync\n' \
	>>"$O/results/builds.tsv"
[ "$(st)" = 2 ] || fail "a failed build: not 2"
grep -q 'arm64-base' "$W/log" || fail "the failed build is not named: $(cat "$W/log")"
sed -i '$d' "$O/results/builds.tsv"
printf -- '-\tarm64-gicv2\tboot\tpass\tpass\tpass\tfail\tFAIL\t0\t0\t0\t0\t\tinit did not start\n' >>"$O/verdict.tsv"
[ "$(st)" = 2 ] || fail "a VM that did not boot: not 2"
grep -q 'did not boot.*arm64-gicv2' "$W/log" || fail "the VM is not named: $(cat "$W/log")"
pass "no report 2, as expected 0, FAIL verdict 1, failed queue check 1, failed build 2 (named), a VM that did not boot 2 (named)"
