#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/init/init.c builds as a static binary with no warnings (-Wall
# -Werror) with the native and every installed cross compiler of arch/.
. "$(dirname "$0")/vmtestlib"

built=
for conf in "$ROOT"/arch/*.conf; do
	cc=$(sed -n 's/^cross=//p' "$conf")gcc
	command -v "$cc" >/dev/null || continue
	"$cc" -static -O2 -Wall -Werror -o "$W/init" "$ROOT/harness/init/init.c" \
		>"$W/cc.log" 2>&1 || fail "$cc: $(head -n 3 "$W/cc.log" | tr '\n' '|')"
	[ -s "$W/cc.log" ] && fail "$cc: output: $(head -n 1 "$W/cc.log")"
	file -b "$W/init" 2>/dev/null | grep -q dynamic && fail "$cc: init is not static"
	built="$built $cc"
done
[ -n "$built" ] || skip "no compiler"
pass "init.c builds static and warning-free with$built"
