#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An option that merge_config.sh silently drops (its dependencies are off)
# stops the build with an error naming the option and the fragment.
. "$(dirname "$0")/baselib"

tree=${KQ_OUT:-$ROOT/out}/linux
[ -f "$tree/Makefile" ] || skip "no base tree $tree (./kq base)"
mkdir -p "$W/root" && cp -r "$ROOT/harness" "$ROOT/arch" "$ROOT/configs" "$W/root/" || fail "copy"
mkdir -p "$W/root/configs/series"
# KVM_AMD exists only on x86: on arm64 it cannot be set.
echo CONFIG_KVM_AMD=y >"$W/root/configs/series/zz-selftest.config"
# Its own build dir in the tree (build dirs live in their tree), removed
# after: the run's own arm64-base build dir must not be touched.
trap 'rm -rf "$tree/kq-selftest-build-arm64"' EXIT
KQ_ROOT=$W/root KQ_OUT=$W/out KQ_TREE=$tree KQ_BUILD_NAME=kq-selftest-build \
	"$W/root/harness/build.sh" kernel arm64 base >"$W/log" 2>&1 &&
	fail "build.sh accepted a dropped option"
grep -q "zz-selftest.config: CONFIG_KVM_AMD=y was dropped" "$W/log" ||
	fail "no error naming the dropped option: $(tr '\n' '|' <"$W/log")"
grep -q "the kernel config check (requested options dropped" "$W/log" || fail "no final error line"
[ -e "$W/out/build/arm64-base/vmlinux" ] && fail "it went on to build"
pass "CONFIG_KVM_AMD=y on arm64 dropped by merge_config.sh: build stopped, option and fragment named"
