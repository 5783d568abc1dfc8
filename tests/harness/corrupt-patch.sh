#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply with a corrupt patch (not a patch at all; a truncated diff): one
# error line naming series and patch, and the tree is a clean base.
. "$(dirname "$0")/queuetestlib"

start
edit README 'NR == 1 { print "kq selftest: corrupt-patch" } { print }'
good=$(commit "README: selftest change")
S=$W/series
cover "$S/01-good"
patch_of "$good" "$S/01-good/0001-README-selftest-change.patch"
edit Makefile '{ print } NR == 1 { print "# kq selftest" }'
mk=$(commit "Makefile: selftest change")

# Not a patch at all.
cover "$S/02-corrupt"
printf 'This is not a patch.\nJust some text.\n' >"$S/02-corrupt/0001-garbage.patch"
KQ_SERIES=$S run_queue "$W/log1" apply && fail "apply succeeded on a non-patch"
e=$(one_error "$W/log1")
case $e in *02-corrupt*0001-garbage.patch*"not a patch"*) ;; *) fail "unclear error: $e" ;; esac
why=$(bad_base) && [ -z "$why" ] || fail "after the non-patch: $why"

# A real patch cut off in the middle of its hunk.
rm "$S/02-corrupt/0001-garbage.patch"
patch_of "$mk" "$W/full.patch"
awk '/^@@ / { hunk = 1 } hunk && ++n == 3 { exit } { print }' "$W/full.patch" \
	>"$S/02-corrupt/0001-Makefile-cut.patch"
KQ_SERIES=$S run_queue "$W/log2" apply && fail "apply succeeded on a truncated patch"
e2=$(one_error "$W/log2")
case $e2 in *02-corrupt*0001-Makefile-cut.patch*corrupt*) ;; *) fail "unclear error: $e2" ;; esac
why=$(bad_base) && [ -z "$why" ] || fail "after the truncated patch: $why"
pass "non-patch and truncated patch: one error line naming series and patch, tree at a clean base"
