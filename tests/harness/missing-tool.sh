#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A missing cross compiler or QEMU is one error line naming the Debian
# package to install, before anything is created.
. "$(dirname "$0")/baselib"

# A copy of the harness with an arch whose tools do not exist.
mkdir -p "$W/root" && cp -r "$ROOT/harness" "$ROOT/arch" "$ROOT/configs" "$W/root/" || fail "copy"
sed -e 's/^cross=.*/cross=kq-nonexistent-/' -e 's/^cross_pkg=.*/cross_pkg=gcc-kq-nonexistent/' \
    -e 's/^qemu=.*/qemu=qemu-system-kq-nonexistent/' -e 's/^qemu_pkg=.*/qemu_pkg=qemu-system-kq/' \
	"$ROOT/arch/arm64.conf" >"$W/root/arch/fake.conf"
KQ_ROOT=$W/root KQ_OUT=$W/out "$W/root/harness/build.sh" kernel fake base >"$W/log" 2>&1 &&
	fail "build.sh ran without a compiler"
err=$(one_error_line "$W/log")
[[ $err == *"kq-nonexistent-gcc"*"'gcc-kq-nonexistent'"* ]] || fail "error does not name the package: $err"
[ -e "$W/out/build/fake-base" ] && fail "build.sh created $W/out/build/fake-base before failing"
printf 'x\t10\tkqtest\n' >"$W/plan"
: >"$W/kernel"
KQ_ROOT=$W/root KQ_OUT=$W/out "$W/root/harness/vm.sh" --arch fake --kernel "$W/kernel" \
	--plan "$W/plan" --out "$W/vm" >"$W/log2" 2>&1 && fail "vm.sh ran without QEMU"
err2=$(one_error_line "$W/log2")
[[ $err2 == *"qemu-system-kq-nonexistent"*"'qemu-system-kq'"* ]] || fail "vm.sh error does not name the package: $err2"
pass "compiler: '$err'; QEMU: '$err2'"
