#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An apply after a patch edit keeps the series before the edited one and
# applies the rest: the tree and the kq/* refs are those of an apply from
# base. check --series NN gives NN's rows only, and keeps the series
# before it from the last check; an edit that breaks NN is still found.
. "$(dirname "$0")/queuetestlib"

S=$W/series
start
for x in 01-a:README 02-b:CREDITS 03-c:COPYING; do
	edit "${x#*:}" "{ print } NR == 1 { print \"kq resume ${x%%:*}\" }"
	commit "${x#*:}: kq resume" >/dev/null
	tg update-ref "refs/heads/kq/${x%%:*}" HEAD
	cover "$S/${x%%:*}"
done
KQ_SERIES=$S run_queue "$W/log0" export || fail "export failed: $(tail -n 1 "$W/log0")"
start
KQ_SERIES=$S run_queue "$W/log1" apply || fail "first apply failed: $(tail -n 1 "$W/log1")"

# Edit 02's patch: its commit message (export gives it back as it is).
sed -i "s/^Synthetic change made by $NAME\.$/& Edited./" "$S"/02-b/*.patch
KQ_SERIES=$S run_queue "$W/log2" apply || fail "apply after the edit failed: $(tail -n 1 "$W/log2")"
grep -q "apply: 01-a: unchanged since the last apply, kept" "$W/log2" ||
	fail "01-a was not kept: $(grep apply: "$W/log2" | head -n 2 | tr '\n' '|')"
grep -q "apply: 02-b: 1 applied" "$W/log2" && grep -q "apply: 03-c: 1 applied" "$W/log2" ||
	fail "02-b and 03-c were not applied again"
got=$(tg rev-parse HEAD^{tree} kq/01-a kq/02-b kq/03-c | tr '\n' ' ')
tg log -1 --format=%B kq/02-b | grep -q "Edited" || fail "the edit is not in kq/02-b"

# The same from base: no chain, every series applied.
rm -f "$ST/queue/chain.tsv"
start
KQ_SERIES=$S run_queue "$W/log3" apply || fail "apply from base failed"
grep -q "kept" "$W/log3" && fail "an apply without a chain kept something"
want=$(tg rev-parse HEAD^{tree} kq/01-a kq/02-b kq/03-c | tr '\n' ' ')
[ "$got" = "$want" ] || fail "resumed apply: tree and refs '$got', from base '$want'"
[ "$(wc -l <"$ST/queue/applied.tsv")" = 3 ] || fail "applied.tsv has $(wc -l <"$ST/queue/applied.tsv") rows, not 3"

# check --series 02: its rows only; then a broken 02 fails there.
KQ_SERIES=$S run_queue "$W/c1" check || fail "check failed: $(cut -f1-4 "$W/c1" | head -n 3 | tr '\n\t' '| ')"
KQ_SERIES=$S "$Q" check --series 02 >"$W/c2" 2>"$W/c2.err" || fail "check --series 02 failed: $(head -n 2 "$W/c2" "$W/c2.err" | tr '\n\t' '| ')"
[ "$(cut -f1-3 "$W/c2" | tr '\n\t' '| ')" = "dates 02-b pass|apply-alone 02-b pass|apply-stacked 02-b pass|roundtrip 02-b pass|" ] ||
	fail "check --series 02 rows: $(cut -f1-4 "$W/c2" | tr '\n\t' '| ')"
grep -q "unchanged since the last check" "$W/c2" ||
	fail "02-b was checked stacked again though nothing changed"
# A second patch dated before the first: the dates row fails, naming it.
f=$(echo "$S"/02-b/*.patch)
awk '/^Date: / && !d { $0 = "Date: Fri, 1 Jan 1999 00:00:00 +0000"; d = 1 } { print }' "$f" \
	>"$S/02-b/0002-earlier.patch" || fail "cannot make a second patch"
KQ_SERIES=$S "$Q" check --series 02 >"$W/c4" 2>/dev/null && fail "check --series 02 passed a patch dated before the one it follows"
grep -q "^dates	02-b	fail	0002-earlier.patch is dated 1999-01-01 00:00:00, before 0001-" "$W/c4" ||
	fail "no dates fail row naming 0002-earlier.patch: $(grep '^dates' "$W/c4")"
grep -v '^Date: ' "$S/02-b/0002-earlier.patch" >"$W/p" && mv "$W/p" "$S/02-b/0002-earlier.patch" || fail "cannot drop the Date: line"
KQ_SERIES=$S "$Q" check --series 02 >"$W/c5" 2>/dev/null
grep -q "^dates	02-b	fail	0002-earlier.patch: no Date: header" "$W/c5" ||
	fail "no dates fail row for a patch without a Date: header: $(grep '^dates' "$W/c5")"
rm -f "$S/02-b/0002-earlier.patch"
awk '/^@@/ { h = 1 } h == 1 && /^ / { $0 = " no such context line"; h = 2 } { print }' "$f" >"$W/p" &&
	mv "$W/p" "$f" || fail "cannot break the patch"
KQ_SERIES=$S "$Q" check --series 02 >"$W/c3" 2>/dev/null && fail "check --series 02 passed a broken patch"
grep -q "^apply-stacked	02-b	fail	" "$W/c3" || fail "no apply-stacked fail row: $(cut -f1-3 "$W/c3" | tr '\n\t' '| ')"
pass "an edit of series 02: 01 kept, 02 and 03 applied again, tree and refs as from base; check --series 02: its 4 rows, 01 kept, a patch dated out of order or not at all and a broken edit found"
