#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a real kernel and run one test of each kind: init reports pass,
# exit status, SKIP with its reason, death by signal, nested relative
# paths (argv[0] absolute, cwd /tmp), a left-behind child that must not
# stall it, a burst of output, a missing binary and @kunit; the VM stops
# by itself.
. "$(dirname "$0")/vmtestlib"

vm_setup
mkdir -p "$W/bin/sub/dir" && cp "$W/bin/kqtest" "$W/bin/sub/dir/" || fail "cannot copy kqtest"
vm_run "pass	20	kqtest pass
fail	20	kqtest fail 3
skip	20	kqtest skip
signal	20	kqtest signal
nested	20	sub/dir/kqtest pass
orphan	20	kqtest orphan
spam	20	kqtest spam 500
noexec	20	missing-binary
kunit	60	@kunit"
expect boot 'pass;[0-9]+;0;'
expect pass 'pass;[0-9]+;0;'
expect fail 'fail;[0-9]+;0;exit status 3'
expect skip 'skip;[0-9]+;0;needs a feature this VM lacks'
expect signal 'fail;[0-9]+;0;killed by signal 11'
expect nested 'pass;[0-9]+;0;'
expect orphan 'pass;[0-9]{1,4};0;'
expect spam 'pass;[0-9]+;0;'
expect noexec 'fail;[0-9]+;0;exit status 127'
expect kunit '(pass;[0-9]+;0;|skip;[0-9]+;0;no KUnit suites)'
[ $RC = 0 ] || fail "vm.sh exit status $RC, want 0"
c=$W/run/console.log
grep -q '^# kqtest pass: stdout, cwd /tmp, argv0 /kq/bin/kqtest' "$c" ||
	fail "no stdout line with cwd /tmp and the absolute argv[0]"
grep -q '^# kqtest pass: stdout, cwd /tmp, argv0 /kq/bin/sub/dir/kqtest' "$c" ||
	fail "nested: no absolute argv[0]"
grep -q '^# kqtest pass: stderr' "$c" || fail "no stderr line"
[ "$(grep -c '^# line [0-9]* of the spam' "$c")" = 500 ] || fail "spam lines lost"
grep -q '^# kq: duration 1 pass [0-9]*ms' "$c" || fail "no duration line"
grep -q '\] kq: begin 1 pass' "$c" && grep -q '\] kq: end 1 pass pass [0-9]*ms' "$c" ||
	fail "no kq: begin/end markers in the kernel log"
grep -q '^# kq: done' "$c" || fail "no '# kq: done'"
grep -q 'VM killed' "$W/vm.log" && fail "the VM did not stop by itself"
grep -q 'kunit.py parse reads' "$W/vm.log" && fail "kunit.py disagrees: $(grep 'kunit.py parse reads' "$W/vm.log")"
pass "$ARCH VM: pass, fail, skip+reason, signal, nested path, orphan, 500 lines, no binary, @kunit; stopped by itself in ${SECS}s"
