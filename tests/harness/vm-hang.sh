#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# When the whole VM outlives the host's limit (here a test whose own
# timeout is longer than --limit), QEMU is killed and the run is still
# parsed: the running test fails with "hang", the later ones are not run.
. "$(dirname "$0")/vmtestlib"

vm_setup
vm_run "before	20	kqtest pass
stuck	600	@hang
after	20	kqtest pass" --limit 20
expect before 'pass;[0-9]+;0;'
expect stuck 'fail;;0;hang'
expect after 'notrun;;0;not reached: hang'
grep -q 'VM killed after 20s' "$W/vm.log" || fail "no 'VM killed' report"
[ $SECS -lt 40 ] || fail "took ${SECS}s for a 20 s limit"
pgrep -f "$W/run/initramfs.cpio" >/dev/null && fail "QEMU still running"
[ $RC = 0 ] || fail "vm.sh exit status $RC, want 0"
pass "$ARCH VM killed at its 20 s limit, the run parsed: stuck test FAIL hang, next not run"
