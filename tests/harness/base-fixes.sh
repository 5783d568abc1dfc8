#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A series with base-fixes/: one fix already in base, one the base lacks,
# then the series' own patch. apply reports the first "already in base",
# applies the second before the series patch; export leaves base-fixes/
# as it was and does not copy the applied fix to the top level; check
# passes every step (round trip included); checkpatch covers base-fixes/.
. "$(dirname "$0")/queuetestlib"

S=$W/series
F=$S/01-fixed/base-fixes
cover "$S/01-fixed"
mkdir -p "$F"
# Fix 1 is in base.
f1=0001-CREDITS-restore-a-line.patch
in_base_patch "$F/$f1"
# Fix 2 is not in base; the series patch is made on top of it.
start
edit COPYING 'NR == 1 { print "kq selftest: base fix" } { print }'
f2=0002-COPYING-selftest-fix.patch
patch_of "$(commit "COPYING: selftest fix")" "$F/$f2"
edit README 'NR == 1 { print "kq selftest: base-fixes" } { print }'
p=0001-README-selftest-change.patch
patch_of "$(commit "README: selftest change")" "$S/01-fixed/$p"

apply_skips 01-fixed "base-fixes/$f1"
st=$(awk -F '\t' '{ printf "%s%s:%s", sep, $2, $3; sep = " " }' "$ST/queue/applied.tsv")
[ "$st" = "base-fixes/$f1:already-in-base base-fixes/$f2:applied $p:applied" ] ||
	fail "applied.tsv (order, names, statuses): '$st'"
[ "$(cut -f 1,2 "$ST/queue/skipped.tsv")" = "01-fixed	base-fixes/$f1" ] ||
	fail "skipped.tsv: '$(cat "$ST/queue/skipped.tsv")'"
[ "$(tg diff --name-only base kq/01-fixed | tr '\n' ' ')" = "COPYING README " ] ||
	fail "kq/01-fixed changes: $(tg diff --name-only base kq/01-fixed | tr '\n' ' ')"

# export into series/ itself: base-fixes/ untouched, no duplicate fix.
sum() { (cd "$F" && sha256sum -- *); }
before=$(sum)
KQ_SERIES=$S run_queue "$W/export" export || fail "export failed: $(tail -n 1 "$W/export")"
[ "$(sum)" = "$before" ] || fail "export changed base-fixes/"
top=$(cd "$S/01-fixed" && ls -- *.patch | tr '\n' ' ')
[ "$top" = "$p " ] || fail "export wrote '$top' at the top level, not just $p"
grep -q '^Subject: \[PATCH 1/1\] README: selftest change$' "$S/01-fixed/$p" ||
	fail "exported $p is not the README patch alone"
KQ_SERIES=$S run_queue "$W/export2" export --to "$W/again" || fail "export --to failed"
d=$(diff -r "$S" "$W/again") || fail "export --to differs: $(printf '%s\n' "$d" | head -n 1)"

KQ_SERIES=$S run_queue "$W/check" check || fail "check failed: $(grep -v '	pass	' "$W/check" | head -n 1)"
grep -q "^apply-alone	01-fixed	pass	2 applied, 1 already in base (base-fixes/$f1)$" "$W/check" ||
	fail "check: apply-alone: $(grep '^apply-alone' "$W/check")"
grep -q "^roundtrip	01-fixed	pass	" "$W/check" ||
	fail "check: roundtrip: $(grep '^roundtrip' "$W/check")"

KQ_SERIES=$S run_queue "$W/cp" checkpatch
n=$(grep -c "^checkpatch	01/base-fixes/" "$W/cp")
[ "$n" = 2 ] || fail "checkpatch ran on $n base fixes, not 2"
grep -q "^checkpatch	01/$p	" "$W/cp" || fail "checkpatch did not run on $p"
pass "base fix in base reported and skipped, the other applied first; export keeps base-fixes/, no duplicate; check and checkpatch cover them"
