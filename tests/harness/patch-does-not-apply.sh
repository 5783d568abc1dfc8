#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply with a patch that does not apply (context changed; file missing),
# second in its series after one that applies: one error line naming
# series, patch and file, and the tree is a clean base.
. "$(dirname "$0")/queuetestlib"

start
edit README 'NR == 1 { print "kq selftest: does-not-apply" } { print }'
c1=$(commit "README: selftest change")
edit MAINTAINERS '{ print } /^R:\tNicholas Piggin <npiggin@gmail.com>$/ && !done { print "R:\tKq Selftest <kq@localhost>"; done = 1 }'
c2=$(commit "MAINTAINERS: selftest reviewer")
S=$W/series
cover "$S/01-good"
cover "$S/02-stale"
start
edit COPYING 'NR == 1 { print "kq selftest" } { print }'
patch_of "$(commit "COPYING: selftest change")" "$S/01-good/0001-COPYING-selftest-change.patch"
patch_of "$c1" "$S/02-stale/0001-README-selftest-change.patch"

# Context that is not in the tree: the line after the new one is changed.
patch_of "$c2" "$W/c2.patch"
awk '/^\+R:\tKq Selftest/ { seen = 1; print; next }
     seen && /^ / && !done { sub(/^ /, " KQ-STALE "); done = 1 } { print }' "$W/c2.patch" \
	>"$S/02-stale/0002-MAINTAINERS-selftest-reviewer.patch"
KQ_SERIES=$S run_queue "$W/log1" apply && fail "apply succeeded with a stale patch"
e=$(one_error "$W/log1")
case $e in *02-stale*0002-MAINTAINERS-selftest-reviewer.patch*"does not apply to MAINTAINERS"*) ;;
*) fail "unclear error: $e" ;; esac
why=$(bad_base) && [ -z "$why" ] || fail "after the stale patch: $why"

# A file the tree does not have.
sed 's#\([ab]\)/MAINTAINERS#\1/MAINTAINERS.kq-missing#g' "$W/c2.patch" \
	>"$S/02-stale/0002-MAINTAINERS-selftest-reviewer.patch"
KQ_SERIES=$S run_queue "$W/log2" apply && fail "apply succeeded with a patch to a missing file"
e2=$(one_error "$W/log2")
case $e2 in *02-stale*0002-MAINTAINERS-selftest-reviewer.patch*"MAINTAINERS.kq-missing (no such file)"*) ;;
*) fail "unclear error: $e2" ;; esac
why=$(bad_base) && [ -z "$why" ] || fail "after the patch to a missing file: $why"
pass "stale context and missing file: one error line naming series, patch and file, tree at a clean base"
