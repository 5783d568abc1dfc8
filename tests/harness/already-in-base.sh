#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply with a patch whose change is already in base, between two that
# apply: it is reported and skipped, the others are applied, applied.tsv
# and skipped.tsv record it, and check reports its round trip as skip.
. "$(dirname "$0")/queuetestlib"

S=$W/series
cover "$S/01-mixed"
start
edit README 'NR == 1 { print "kq selftest: already-in-base" } { print }'
patch_of "$(commit "README: selftest change")" "$S/01-mixed/0001-README-selftest-change.patch"
p=0002-CREDITS-restore-a-line.patch
in_base_patch "$S/01-mixed/$p"
start
edit COPYING 'NR == 1 { print "kq selftest" } { print }'
patch_of "$(commit "COPYING: selftest change")" "$S/01-mixed/0003-COPYING-selftest-change.patch"

apply_skips 01-mixed "$p"
st=$(awk -F '\t' '{ printf "%s%s", sep, $3; sep = " " }' "$ST/queue/applied.tsv")
[ "$st" = "applied already-in-base applied" ] || fail "applied.tsv statuses: '$st'"
[ "$(cut -f 1,2 "$ST/queue/skipped.tsv")" = "01-mixed	$p" ] ||
	fail "skipped.tsv: '$(cat "$ST/queue/skipped.tsv")'"
[ "$(tg rev-list --count base..kq/01-mixed)" = 2 ] || fail "kq/01-mixed does not hold 2 commits"
[ "$(tg diff --name-only base kq/01-mixed | tr '\n' ' ')" = "COPYING README " ] ||
	fail "kq/01-mixed changes: $(tg diff --name-only base kq/01-mixed | tr '\n' ' ')"

KQ_SERIES=$S run_queue "$W/check" check || fail "check failed: $(grep -v pass "$W/check" | head -n 1)"
grep -q "^apply-alone	01-mixed	pass	2 applied, 1 already in base" "$W/check" || fail "check: no apply-alone pass"
grep -q "^roundtrip	01-mixed	skip	.*$p" "$W/check" || fail "check: roundtrip not skipped with the reason"
pass "a patch already in base is reported, skipped and recorded; the rest applied; check skips its round trip"
