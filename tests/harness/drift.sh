#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./kq drift on two fake bases (--tarball, --no-build). On 6.12.1 every
# series applies. On 6.12.2 series 01's base fix is already in base and
# series 02's second patch conflicts: drift.tsv and the table name the
# series, patch, file and hunk, alone and stacked, and the exit status
# is 1; 6.12.1 alone (--version) is 0, --newer-than-pin keeps 6.12.2
# only; an unknown version or a missing tool is one error line, exit 2.
. "$(dirname "$0")/baselib"

S=$W/series
# mk_base <version> [sed script for mm/a.c] [for fs/b.c]: $W/<version>.tar.xz
mk_base() {
	local d=$W/src/linux-x
	fake_tarball "$W/$1.tar.xz" "$1" && mkdir -p "$W/src" &&
		tar -C "$W/src" -xf "$W/$1.tar.xz" && mkdir -p "$d/mm" "$d/fs" &&
		seq -f 'line %g' 20 | sed "${2:-}" >"$d/mm/a.c" &&
		seq -f 'b %g' 5 | sed "${3:-}" >"$d/fs/b.c" &&
		tar -C "$W/src" -cJf "$W/$1.tar.xz" linux-x && rm -rf "$W/src" || fail "cannot make $1"
}
mk_base 6.12.1
mk_base 6.12.2 's/^line 10$/line ten/' 's/^b 3$/b three/'

# The series, as commits on 6.12.1: mkpatch <sed script> <file> <subject> <patch>
P=$W/p
pg() { git -C "$P" -c user.name=kq -c user.email=kq@localhost "$@"; }
mkdir -p "$P" && tar -C "$P" --strip-components=1 -xf "$W/6.12.1.tar.xz" &&
	pg init -q && pg add -A && pg commit -q -m base || fail "cannot make the patch repo"
mkpatch() {
	mkdir -p "$(dirname "$S/$4")" && sed -i "$1" "$P/$2" && pg commit -q -a -m "$3" &&
		pg format-patch -q --stdout -1 HEAD >"$S/$4" || fail "cannot make $4"
}
fix=base-fixes/0001-fs-b-three.patch
bad=0002-mm-a-line-eleven.patch
mkpatch 's/^b 3$/b three/' fs/b.c "fs: b three" "01-fix/$fix"
mkpatch 's/^b 5$/b five/' fs/b.c "fs: b five" 01-fix/0001-fs-b-five.patch
mkpatch 's/^line 3$/line three/' mm/a.c "mm: a line three" 02-mm/0001-mm-a-line-three.patch
mkpatch 's/^line 11$/line eleven/' mm/a.c "mm: a line eleven" "02-mm/$bad"
echo x >"$P/new.txt" && pg add new.txt || fail "git add"
mkpatch 's/^x$/y/' new.txt "new file" 03-new/0001-new-file.patch

export KQ_SERIES=$S
drift() { KQ_OUT=$W/out "$ROOT/harness/drift.sh" --no-build "$@"; }
both=(--tarball "6.12.1=$W/6.12.1.tar.xz" --tarball "6.12.2=$W/6.12.2.tar.xz")

drift "${both[@]}" >"$W/table" 2>"$W/log"; rc=$?
[ $rc = 1 ] || fail "exit status $rc with a conflict, not 1: $(tail -n 3 "$W/log" | tr '\n' '|')"
got=$(cut -f 1-6 "$W/out/drift/drift.tsv")
want="6.12.1	01-fix	applies	-	-	-
6.12.1	02-mm	applies	-	-	-
6.12.1	03-new	applies	-	-	-
6.12.1	stacked	applies	-	-	-
6.12.2	01-fix	already-in-base	$fix	-	-
6.12.2	02-mm	conflicts	$bad	mm/a.c	8
6.12.2	03-new	applies	-	-	-
6.12.2	stacked	conflicts	02-mm/$bad	mm/a.c	8"
[ "$got" = "$want" ] || fail "drift.tsv: got '$(printf '%s' "$got" | tr '\t\n' ' |')'"
grep -q "^6.12.1	stacked	applies	-	-	-	5 applied$" "$W/out/drift/drift.tsv" &&
	grep -q "^6.12.2	01-fix	.*	1 applied, 1 already in base ($fix)$" "$W/out/drift/drift.tsv" ||
	fail "drift.tsv details: $(cut -f 7 "$W/out/drift/drift.tsv" | tr '\n' '|')"
grep -Eq "^  6\.12\.2 +02-mm +conflicts +$bad: mm/a\.c, hunk at line 8$" "$W/table" ||
	fail "no conflict line in the table: $(tr '\n' '|' <"$W/table")"

drift "${both[@]}" --version 6.12.1 >"$W/table1" 2>"$W/log1"; rc=$?
[ $rc = 0 ] || fail "exit status $rc for 6.12.1 alone, not 0: $(tail -n 3 "$W/log1" | tr '\n' '|')"
[ "$(cut -f 1,3 "$W/out/drift/drift.tsv" | sort -u)" = "6.12.1	applies" ] ||
	fail "6.12.1 alone: $(cut -f 1-3 "$W/out/drift/drift.tsv" | tr '\t\n' ' |')"
grep -q 'base: reusing' "$W/out/drift/6.12.1/base.log" || fail "the 6.12.1 tree was not reused"

printf 'package=linux-source-6.12\nversion=6.12.1\ntarball=/nonexistent.tar.xz\n' >"$W/pin"
KQ_PIN=$W/pin drift "${both[@]}" --newer-than-pin >/dev/null 2>"$W/log2"; rc=$?
[ $rc = 1 ] && [ "$(cut -f 1 "$W/out/drift/drift.tsv" | sort -u)" = 6.12.2 ] ||
	fail "--newer-than-pin 6.12.1: exit $rc, versions $(cut -f 1 "$W/out/drift/drift.tsv" | sort -u | tr '\n' ' ')"

drift "${both[@]}" --version 6.12.9 >/dev/null 2>"$W/log3"; rc=$?
err=$(one_error_line "$W/log3")
[ $rc = 2 ] && [[ $err == *"'6.12.9' not found"* ]] || fail "unknown version: exit $rc, '$err'"

printf 'kq-no-such-tool\tkq-fake-package\tdrift\n' >"$W/tools.tsv"
KQ_TOOLS=$W/tools.tsv drift "${both[@]}" >/dev/null 2>"$W/log4"; rc=$?
err2=$(one_error_line "$W/log4")
[ $rc = 2 ] && [[ $err2 == *kq-no-such-tool*kq-fake-package* ]] || fail "missing tool: exit $rc, '$err2'"
pass "applies / already-in-base / conflicts (patch, file, hunk) alone and stacked, exit 1/0; '$err'; '$err2'"
