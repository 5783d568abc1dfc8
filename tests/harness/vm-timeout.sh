#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A test that hangs past its timeout (in user space, and in a sleeping
# program) is killed and reported as timeout; the tests after it still run
# and the VM stops by itself well before the host's limit.
. "$(dirname "$0")/vmtestlib"

vm_setup
vm_run "before	20	kqtest pass
hang	3	@hang
sleeper	3	kqtest sleep 1000
after	20	kqtest pass"
expect before 'pass;[0-9]+;0;'
expect hang 'timeout;3[0-9]{3};0;timeout after 3s'
expect sleeper 'timeout;3[0-9]{3};0;timeout after 3s'
expect after 'pass;[0-9]+;0;'
grep -q '^# kq: done' "$W/run/console.log" || fail "the VM did not finish the plan"
grep -q 'VM killed' "$W/vm.log" && fail "the host had to kill the VM"
[ $RC = 0 ] || fail "vm.sh exit status $RC, want 0"
pass "$ARCH VM: two tests past their 3 s timeout are killed and reported, the next one runs, VM done in ${SECS}s"
