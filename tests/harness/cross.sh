#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/cross.sh without a compiler: the make targets it derives from
# the queue's patches (mm/, fs/proc/, arch/<karch>/mm/ whole; other .c
# files of this arch or of no arch as objects; not other arches, tools/,
# headers or files the tree lacks); warnings without line numbers, so a
# moved warning is not new; a warning only patched has, or a patched
# build that fails, is a fail row for ./kq check's count and a FAIL in
# the report's Cross-builds section; the same warnings on both pass.
. "$(dirname "$0")/vmtestlib"

r=$W/root t=$W/out/linux
mkdir -p "$r/series/99-x" "$t" && cp -r "$ROOT/harness" "$ROOT/arch" "$r/" || fail "copy"
for f in mm/a.c mm/tests/b.c fs/proc/c.c arch/s390/mm/d.c arch/x86/mm/e.c arch/s390/kernel/f.c \
	fs/userfaultfd.c include/linux/g.h tools/testing/h.c arch/s390/include/asm/i.h; do
	mkdir -p "$t/$(dirname "$f")" && : >"$t/$f"
	printf 'diff --git a/%s b/%s\n' "$f" "$f"
done >"$r/series/99-x/0001-x.patch"
printf 'diff --git a/kernel/gone.c b/kernel/gone.c\n' >"$r/series/99-x/0002-x.patch"
got=$(KQ_ROOT=$r KQ_OUT=$W/out "$r/harness/cross.sh" targets s390x 2>&1 | tr '\n' ' ')
want="mm/ fs/proc/ arch/s390/mm/ arch/s390/kernel/f.o fs/userfaultfd.o "
[ "$got" = "$want" ] || fail "targets s390x: got '$got', want '$want'"

# build <kind> <result> <log lines>: a made-up build and its record.
build() {
	local d=$W/out/build/cross-s390x-$1
	mkdir -p "$d" && printf '%s\n' "$3" >"$d/build.log"
	KQ_ROOT=$r KQ_OUT=$W/out KQ_TREE=$t "$r/harness/cross.sh" record "$1" s390x "$2" 10 >>"$W/log" 2>&1 ||
		fail "record $1: $(tail -n 2 "$W/log" | tr '\n' '|')"
}
report() {
	printf 'kernel=6.12.0\nsha256=0\n' >"$W/out/base.info"
	git init -q "$t" && git -C "$t" -c user.name=t -c user.email=t@t commit -q --allow-empty -m t &&
		git -C "$t" tag -f base >/dev/null || fail "git"
	(export KQ_OUT=$W/out KQ_TREE=$t KQ_ARCHES=x86_64; "$r/harness/verdict.sh" && "$r/harness/report.sh") >"$W/report" 2>&1 ||
		fail "report.sh failed: $(tail -n 3 "$W/report" | tr '\n' '|')"
}
w1="$t/mm/a.c:12:5: warning: no previous prototype for 'f' [-Wmissing-prototypes]"
w2="$t/fs/proc/c.c:30:1: warning: 'x' defined but not used [-Wunused-function]"
build base pass "  CC mm/a.o
$w1
$w2"
build patched pass "${w1/:12:5:/:14:5:}
  CC mm/a.o
$w2"
R=$W/out/results
[ "$(cut -f3 "$R/builds.tsv")" = pass ] || fail "moved warning counted as new: $(cat "$R/builds.tsv")"
grep -Fxq "mm/a.c: warning: no previous prototype for 'f' [-Wmissing-prototypes]" "$R/cross-s390x-base.warn" ||
	fail "warning not normalized: $(tr '\n' '|' <"$R/cross-s390x-base.warn")"
report
grep -Eq '^  s390x +pass +pass +2/2 +0  +10s/10s +pass$' "$W/report" ||
	fail "no passing Cross-builds row: $(grep -A3 '^Cross-builds' "$W/report" | tr '\n' '|')"

# A new warning in patched: a fail row, FAIL in the report, the warning shown.
rm -rf "$R"
build base pass "$w1"
build patched pass "$w1
$t/mm/a.c:40:2: warning: unused variable 'y' [-Wunused-variable]"
grep -q "^cross	s390x	fail	1 new warnings, first: mm/a.c: warning: unused variable 'y'" "$R/builds.tsv" ||
	fail "new warning not a fail row: $(cat "$R/builds.tsv")"
report
grep -Eq '^  s390x +pass +pass +1/2 +1  +10s/10s +FAIL$' "$W/report" &&
	grep -q "new: mm/a.c: warning: unused variable 'y'" "$W/report" ||
	fail "no FAIL row with the new warning: $(grep -A4 '^Cross-builds' "$W/report" | tr '\n' '|')"

# A patched build that fails is a fail row, whatever its warnings.
rm -rf "$R"
build base pass "$w1"
build patched fail "$w1"
grep -q "^cross	s390x	fail	patched: fail" "$R/builds.tsv" || fail "failed build not a fail row: $(cat "$R/builds.tsv")"
pass "targets from the patches (s390x: 3 dirs, 2 objects), moved warnings not new, a new warning or a failed patched build a fail row and a FAIL in the report"
