#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pinned package version with a tarball of another sha256 is one clear
# error, and leaves no tree behind.
. "$(dirname "$0")/baselib"

pin=$ROOT/base/pin
pkg=$(sed -n 's/^package=//p' "$pin")
ver=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) || skip "$pkg not installed"
fake_tarball "$W/linux.tar.xz" 6.12.117 || fail "cannot make a tarball"
printf 'package=%s\nversion=%s\ntarball=%s\nsha256=%064d\n' "$pkg" "$ver" "$W/linux.tar.xz" 0 >"$W/pin"
KQ_OUT=$W/out KQ_PIN=$W/pin "$ROOT/harness/base.sh" >"$W/log" 2>&1 && fail "base.sh accepted a wrong sha256"
err=$(one_error_line "$W/log")
[[ $err == *"sha256 mismatch"*"$ver"* ]] || fail "error does not say sha256 mismatch for $ver: $err"
[ -e "$W/out/linux" ] || [ -e "$W/out/linux.new" ] && fail "a tree was left in $W/out"
pass "wrong sha256 for $pkg $ver: '$err', nothing left behind"
