#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel panic in a test (@panic) fails that test with "kernel panic",
# the later tests are not run, and QEMU exits at once instead of waiting
# for the host's limit.
. "$(dirname "$0")/vmtestlib"

vm_setup
vm_run "before	20	kqtest pass
crash	20	@panic
after	20	kqtest pass"
expect before 'pass;[0-9]+;0;'
expect crash 'fail;;1;kernel panic: .*'
expect after 'notrun;;0;not reached: kernel panic'
grep -q 'VM killed' "$W/vm.log" && fail "QEMU did not exit after the panic"
[ $SECS -lt 100 ] || fail "took ${SECS}s"
[ $RC = 0 ] || fail "vm.sh exit status $RC, want 0"
pass "$ARCH VM: panic in a test is its FAIL ($(row crash | cut -d';' -f5)), the rest not run, QEMU gone after ${SECS}s"
