#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./kq bisect on a tiny tree whose Makefile compiles the C files of a
# directory target (a stand-in for kbuild): series 02 of three patches,
# the second of which breaks the build and the third mends. Rows pass,
# fail (its log named), pass; exit 1. Series 01 (before it) is not
# walked. No series: one error line, exit 2.
. "$(dirname "$0")/baselib"

T=$W/linux P=$W/patched S=$W/series
g() { git -C "$T" -c user.name=kq -c user.email=kq@localhost "$@"; }
mkdir -p "$T/drv" "$S/01-a" "$S/02-b" "$W/out/build/x86_64-patched" &&
	printf 'all:\nolddefconfig:\n\t@test -f $(O)/.config\n%%/: FORCE\n\t@for f in $(CURDIR)/$@*.c; do $(CC) -c $$f -o /dev/null || exit 1; done\nFORCE:\n' \
		>"$T/Makefile" &&
	printf 'int a(void) { return 0; }\n' >"$T/drv/a.c" &&
	echo "CONFIG_X=y" >"$W/out/build/x86_64-patched/.config" &&
	g init -q && g add -A && g commit -qm base && g tag base &&
	g worktree add -q -b queue "$P" base ||
	fail "cannot make the trees"
pg() { git -C "$P" -c user.name=kq -c user.email=kq@localhost "$@"; }
step() { printf '%s\n' "$2" >"$P/drv/$1" && pg add -A && pg commit -qm "$3"; }
step a.c 'int a(void) { return 1; }' "01: one" && pg branch kq/01-a &&
	step b.c 'int b(void) { return 2; }' "02: add b" &&
	step b.c 'int b(void) { return 2 }' "02: break b" &&
	step b.c 'int b(void) { return 3; }' "02: mend b" && pg branch kq/02-b ||
	fail "cannot make the series"

# bisect.sh reads the series names from $KQ_ROOT/series: a root of its own.
R=$W/root
mkdir -p "$R" && cp -r "$ROOT/harness" "$ROOT/kq" "$ROOT/arch" "$R/" && cp -r "$S" "$R/series" ||
	fail "cannot copy the harness"
KQ_ROOT=$R KQ_OUT=$W/out KQ_TREE=$T KQ_PTREE=$P "$R/kq" bisect --series 02 --arch x86_64 >"$W/log" 2>&1
rc=$?
[ $rc = 1 ] || fail "a series with a broken patch: exit $rc, not 1: $(tail -n 3 "$W/log" | tr '\n' '|')"
got=$(cut -f 1,2 "$W/out/bisect/02-b-x86_64.tsv" | tr '\t\n' ' |')
[ "$got" = "0001-02-add-b pass|0002-02-break-b fail|0003-02-mend-b pass|" ] || fail "rows: $got"
grep -q "0002-02-break-b: does not build .*log: $W/out/bisect/02-b-x86_64-0002.log" "$W/log" ||
	fail "the broken patch is not named with its log: $(grep bisect: "$W/log" | tr '\n' '|')"
KQ_ROOT=$R KQ_OUT=$W/out KQ_TREE=$T KQ_PTREE=$P "$R/kq" bisect --series 07 --arch x86_64 >"$W/log2" 2>&1
rc=$?
err=$(one_error_line "$W/log2")
[ $rc = 2 ] && [[ $err == *"no series '07'"* ]] || fail "no such series: exit $rc, '$err'"
pass "3 patches of series 02 walked (01 not): pass, fail (log named), pass, exit 1; no such series: '$err', exit 2"
