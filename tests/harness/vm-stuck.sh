#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A guest that makes no progress at all (here: QEMU started with its CPUs
# stopped, -S) is stopped by vm.sh's watchdog after the boot margin, long
# before the global limit; the run is still parsed, every test not run.
. "$(dirname "$0")/vmtestlib"

vm_setup
vm_run "first	20	kqtest pass
second	600	kqtest pass" --margin 15 --qemu-extra "-S"
grep -q 'no progress at boot' "$W/vm.log" || fail "no watchdog report: $(tail -n 2 "$W/vm.log" | tr '\n' '|')"
[ $SECS -lt 60 ] || fail "took ${SECS}s, the watchdog should stop QEMU after ~15 s"
pgrep -f "$W/run/initramfs.cpio" >/dev/null && fail "QEMU still running"
expect first 'notrun;;0;.*'
pass "$ARCH guest stuck at boot: watchdog stopped QEMU after ${SECS}s (limit was 635 s), tests not run"
