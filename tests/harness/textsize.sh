#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/textsize.sh on two made-up builds whose objects have known text
# sizes: per directory it sums the objects of the thin built-in.a, leaves
# KUnit suites out, takes every object from its own build dir even when
# the patched archive names the base's objects (a patched build starts as
# a copy of the base one), and sizes vmlinux.o; the report shows the rows
# with delta and ratio; a missing build is one error line.
. "$(dirname "$0")/vmtestlib"

command -v size >/dev/null && command -v ar >/dev/null || skip "no binutils"
B=$W/out/build/x86_64-base P=$W/out/build/x86_64-patched
# obj <file> <bytes of text>
obj() {
	mkdir -p "$(dirname "$1")"
	printf '.text\n.skip %d\n' "$2" | gcc -c -x assembler -o "$1" - || fail "cannot assemble $1"
}
obj "$B/mm/a.o" 100; obj "$B/mm/b.o" 20; obj "$B/mm/tests/x_kunit.o" 1000
obj "$B/fs/proc/c.o" 30; obj "$B/vmlinux.o" 500
obj "$P/mm/a.o" 140; obj "$P/mm/b.o" 20; obj "$P/mm/tests/x_kunit.o" 5000
obj "$P/fs/proc/c.o" 35; obj "$P/vmlinux.o" 600
(cd "$B" && ar rcST mm/built-in.a "$B/mm/a.o" "$B/mm/b.o" "$B/mm/tests/x_kunit.o" &&
	ar rcST fs/proc/built-in.a "$B/fs/proc/c.o") || fail "ar"
(cd "$P" && ar rcST mm/built-in.a "$P/mm/a.o" "$P/mm/b.o" "$P/mm/tests/x_kunit.o") || fail "ar"
cp "$B/fs/proc/built-in.a" "$P/fs/proc/built-in.a"	# still names the base's c.o

got=$(KQ_OUT=$W/out KQ_TREE=$W/none "$ROOT/harness/textsize.sh" x86_64 2>&1)
want=$(printf 'x86_64\tmm/\t120\t160\nx86_64\tfs/proc/\t30\t35\nx86_64\tvmlinux.o\t500\t600')
[ "$got" = "$want" ] ||
	fail "got '$(echo "$got" | tr '\t\n' ' |')', want '$(echo "$want" | tr '\t\n' ' |')'"

# The report prints the rows with their delta and ratio.
R=$W/out/results
mkdir -p "$R" && printf '%s\n' "$got" >"$R/textsize.tsv"
git init -q "$W/tree" && git -C "$W/tree" -c user.name=t -c user.email=t@t commit -q --allow-empty -m t &&
	git -C "$W/tree" tag base || fail "git"
printf 'kernel=6.12.0\nsha256=0\n' >"$W/out/base.info"
(export KQ_OUT=$W/out KQ_TREE=$W/tree KQ_ARCHES=x86_64; "$ROOT/harness/verdict.sh" && "$ROOT/harness/report.sh") >"$W/report" 2>&1 ||
	fail "report.sh failed: $(tail -n 3 "$W/report" | tr '\n' '|')"
grep -Eq '^  x86_64 +mm/ +120 +160 +\+40 +1\.3333$' "$W/report" &&
	grep -Eq '^  x86_64 +vmlinux\.o +500 +600 +\+100 +1\.2000$' "$W/report" ||
	fail "no text size rows in the report: $(grep -A4 '^Text size' "$W/report" | tr '\n' '|')"
cmp -s "$R/textsize.tsv" "$W/out/report-size.tsv" || fail "report-size.tsv differs from the rows"

rm "$P/vmlinux.o"
got=$(KQ_OUT=$W/out KQ_TREE=$W/none "$ROOT/harness/textsize.sh" x86_64 2>&1) &&
	fail "no error without a patched build"
[ "$(echo "$got" | wc -l)" = 1 ] && [[ $got == "kq: error: textsize: x86_64: no kernel in $P"* ]] ||
	fail "want one error line naming $P, got '$(echo "$got" | tr '\n' '|')'"
pass "text of mm/ (KUnit suite left out), fs/proc/ (patched objects via the base's archive) and vmlinux.o, in the report with ratios; a missing build is one error line"
