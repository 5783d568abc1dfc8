#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/series/03-lsui/ktapcase (plan row aarch64.set_id_regs.isar3) passes
# only on "ok N CASE": not on a longer name, "not ok", a SKIP of the case
# (either spelling), a case never reached, and a program that skipped as a
# whole is a skip. Built for the host; fed scripted KTAP.
. "$(dirname "$0")/vmtestlib"

gcc -O2 -Wall -Werror -I"$ROOT/tests/series/lib" -o "$W/ktapcase" "$ROOT/tests/series/03-lsui/ktapcase.c" \
	>"$W/cc.log" 2>&1 || fail "gcc: $(head -n 3 "$W/cc.log" | tr '\n' '|')"

# prog <name> <exit status> <KTAP lines...>
prog() {
	local f=$W/$1 rc=$2
	shift 2
	{ echo '#!/bin/sh'; printf 'echo "%s"\n' "$@"; echo "exit $rc"; } >"$f"
	chmod +x "$f"
}
prog passed-then-died 1 'TAP version 13' 'ok 1 A_B' 'ok 2 A_B_C' 'not ok 3 D'
prog dash 0 'ok 1 - A_B_C'
prog notok 0 'not ok 1 A_B_C'
prog skip-after 0 'ok 1 A_B_C # SKIP no field'
prog skip-before 0 'ok 1 # SKIP A_B_C'
prog died-before 254 'ok 1 A_B' '# ==== Test Assertion Failure ===='
prog skipped-all 4 '1..0 # SKIP no /dev/kvm'

# check <program> <expected exit status> <expected verdict>
check() {
	local rc
	"$W/ktapcase" A_B_C "$W/$1" >"$W/$1.out" 2>&1
	rc=$?
	[ "$rc" = "$2" ] || fail "$1: exit $rc, expected $2 ($(tail -n 1 "$W/$1.out"))"
	grep -q "^ktapcase: A_B_C: $3" "$W/$1.out" ||
		fail "$1: verdict '$(tail -n 1 "$W/$1.out")', expected 'ktapcase: A_B_C: $3'"
}
check passed-then-died 0 'ok'
check dash 0 'ok'
check notok 1 'not ok or skipped'
check skip-after 1 'not ok or skipped'
check skip-before 1 'not ok or skipped'
check died-before 1 'never reported'
check skipped-all 4 'never reached'
"$W/ktapcase" A_B "$W/passed-then-died" >/dev/null || fail "A_B (a prefix of A_B_C) not found"
pass "ok N CASE passes whatever the exit status; not ok, SKIP (both spellings), never reached: fail; a program skipped as a whole: skip"
