#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM plan has one reader (harness/vmplan.awk): comments and blank
# lines are not tests; a line without a command, with a timeout of 0 or
# with a name init cannot echo is reported as PLAN:line and makes every
# program that reads the plan (vm.sh, console.awk, bench.awk) fail.
. "$(dirname "$0")/vmtestlib"

printf '# a comment\n\nt1\t10\tkvm/a -x 1\nt.2\t600\t@kunit leafops\n' >"$W/good"
got=$(awk -v vp_list=1 -f "$ROOT/harness/vmplan.awk" "$W/good" | tr '\t\n' ' |')
[ "$got" = "t1 10|t.2 600|" ] || fail "good plan read as '$got'"
n=0
for bad in 't1\t10\n' 't1\t0\tkvm/a\n' 't1\tx\tkvm/a\n' 'a b\t10\tkvm/a\n' 't1\t10\t \n'; do
	n=$((n + 1))
	printf "ok\t5\tkvm/b\n$bad" >"$W/bad$n"
	for prog in vp_list=1 console bench; do
		case $prog in
		vp_list=1) awk -v vp_list=1 -f "$ROOT/harness/vmplan.awk" "$W/bad$n" ;;
		*) awk -f "$ROOT/harness/vmplan.awk" -f "$ROOT/harness/$prog.awk" "$W/bad$n" /dev/null ;;
		esac >/dev/null 2>"$W/err" && fail "$prog accepted plan line '$bad'"
		grep -q "^$W/bad$n:2: want name" "$W/err" ||
			fail "$prog: no PLAN:line error for '$bad': $(head -n 1 "$W/err")"
	done
done
: >"$W/Image"
"$ROOT/harness/vm.sh" --arch x86_64 --kernel "$W/Image" --plan "$W/bad2" --out "$W/vm" >"$W/log" 2>&1 &&
	fail "vm.sh ran a plan with a timeout of 0"
grep -q "bad plan" "$W/log" || fail "vm.sh: no 'bad plan' error: $(tail -n 1 "$W/log")"
[ -e "$W/vm/console.log" ] && fail "vm.sh booted a bad plan"
pass "a plan of 2 tests (comments, blank line) read; $n kinds of bad line (no command, timeout 0 or not a number, bad name, blank command) rejected with PLAN:line by vmplan.awk, console.awk, bench.awk and vm.sh"
