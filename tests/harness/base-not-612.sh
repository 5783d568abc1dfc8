#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A tarball that is not Linux 6.12.y is one clear error, leaving nothing
# half-made; a missing tarball too.
. "$(dirname "$0")/baselib"

fake_tarball "$W/linux-6.13.tar.xz" 6.13.2 || fail "cannot make a tarball"
KQ_OUT=$W/out "$ROOT/harness/base.sh" --tarball "$W/linux-6.13.tar.xz" >"$W/log" 2>&1 &&
	fail "base.sh accepted a 6.13 tree"
err=$(one_error_line "$W/log")
[[ $err == *"unsupported kernel version '6.13.2'"* ]] || fail "unclear error: $err"
[ -e "$W/out/linux" ] || [ -e "$W/out/linux.new" ] && fail "a tree was left in $W/out"
KQ_OUT=$W/out "$ROOT/harness/base.sh" --tarball "$W/nonexistent.tar.xz" >"$W/log2" 2>&1 &&
	fail "base.sh accepted a missing tarball"
err2=$(one_error_line "$W/log2")
[[ $err2 == *"not found"* ]] || fail "unclear error for a missing tarball: $err2"
pass "6.13 tarball: '$err'; missing tarball: '$err2'; nothing left behind"
