#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stopping vm.sh (Ctrl-C, a CI limit) stops its QEMU too: nothing is left
# running to eat the machine's cores.
. "$(dirname "$0")/vmtestlib"

vm_setup
printf 'stuck\t600\t@hang\n' >"$W/plan"
"$ROOT/harness/vm.sh" --arch "$ARCH" --kernel "$KERNEL" --plan "$W/plan" \
	--bin "$W/bin" --out "$W/run" >"$W/vm.log" 2>&1 &
vpid=$!
for ((i = 0; i < 60; i++)); do
	grep -q 'kq: begin 1 stuck' "$W/run/console.log" 2>/dev/null && break
	sleep 1
done
pgrep -f "$W/run/initramfs.cpio" >/dev/null || fail "QEMU did not start"
kill -TERM $vpid
wait $vpid
for ((i = 0; i < 10; i++)); do
	pgrep -f "$W/run/initramfs.cpio" >/dev/null || break
	sleep 1
done
if pgrep -f "$W/run/initramfs.cpio" >/dev/null; then
	pkill -KILL -f "$W/run/initramfs.cpio"
	fail "QEMU outlived vm.sh after SIGTERM"
fi
pass "$ARCH: SIGTERM to vm.sh during a test stops its QEMU within ${i}s"
