#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Series 01's base fix against the real base (tag base of $KQ_OUT/linux,
# or $KQ_SELFTEST_TREE): the base carries the SVI fix (6.12.94 and later),
# the fix reverse-applies there and apply reports it "already in base"
# and applies the selftest alone. On the same base with the fix taken
# out, apply applies the fix first, and export leaves it out of the top
# level. Skips (4) without a base tree.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NAME=$(basename "$0" .sh)
SRC=${KQ_SELFTEST_TREE:-${KQ_OUT:-$ROOT/out}/linux}
W=${KQ_SELFTEST_OUT:-${KQ_OUT:-$ROOT/out}/selftest}/$NAME
S=$ROOT/series/01-vmx-svi

pass() { echo "PASS $NAME: $*"; exit 0; }
fail() { echo "FAIL $NAME: $*"; exit 1; }
skip() { echo "SKIP $NAME: $*"; exit 4; }

. "$ROOT/harness/lib.sh"
g() {
	kq_git_fixed "$@"
}

g -C "$SRC" rev-parse -q --verify 'base^{commit}' >/dev/null 2>&1 ||
	skip "no base tree with tag base at $SRC (run ./kq base)"
fix=$(ls "$S"/base-fixes/*.patch 2>/dev/null)
[ "$(printf '%s\n' "$fix" | grep -c .)" = 1 ] || fail "expected one patch in $S/base-fixes, got: $fix"
own=$(cd "$S" && ls -- *.patch)
f=base-fixes/$(basename "$fix")

# The base must have the fix for this test to say anything.
g -C "$SRC" show base:arch/x86/kvm/x86.c |
	awk '/^void __kvm_vcpu_update_apicv\(/ { in_f = 1 } in_f && /^}/ { exit }
	     in_f && /kvm_apic_update_hwapic_isr\(vcpu\);/ { found = 1 } END { exit !found }' ||
	skip "the base at $SRC predates 6.12.94: __kvm_vcpu_update_apicv() does not set SVI"

rm -rf "$W"
mkdir -p "$W"
idx=$W/index
GIT_INDEX_FILE=$idx g -C "$SRC" read-tree base || fail "cannot read tag base of $SRC"
GIT_INDEX_FILE=$idx g -C "$SRC" apply --cached --check -R "$fix" 2>"$W/rev.err" ||
	fail "the fix does not reverse-apply on the base: $(head -n 1 "$W/rev.err")"

# A scratch clone sharing $SRC's objects, with only the paths the series
# touches checked out; $SRC itself is not changed.
T=$W/linux
g clone -q --shared --sparse "$SRC" "$T" || fail "cannot clone $SRC"
g -C "$T" sparse-checkout set arch/x86/kvm tools/testing/selftests/kvm ||
	fail "cannot set up a sparse checkout in $T"
g -C "$T" tag -f base "$(g -C "$SRC" rev-parse 'base^{commit}')" >/dev/null
mkdir -p "$W/series"
cp -R "$S" "$W/series/"
q() { KQ_OUT=$W KQ_TREE=$T KQ_SERIES=$W/series "$ROOT/harness/queue.sh" "$@"; }

q apply >"$W/apply.log" 2>&1 || fail "apply on the base failed: $(grep 'kq: error' "$W/apply.log")"
grep -q "01-vmx-svi: $f: already in base, skipped" "$W/apply.log" ||
	fail "apply did not report $f already in base: $(tail -n 2 "$W/apply.log" | tr '\n' ' ')"
[ "$(cut -f 2,3 "$W/queue/skipped.tsv")" = "$f	already in base" ] ||
	fail "skipped.tsv: $(cat "$W/queue/skipped.tsv")"
[ "$(g -C "$T" rev-list --count base..kq/01-vmx-svi)" = "$(printf '%s\n' "$own" | wc -l)" ] ||
	fail "kq/01-vmx-svi does not hold just the series' own patches"

# The base without the fix: apply must apply it first, export leave it out.
GIT_INDEX_FILE=$idx g -C "$T" read-tree base &&
	GIT_INDEX_FILE=$idx g -C "$T" apply --cached -R "$fix" &&
	tree=$(GIT_INDEX_FILE=$idx g -C "$T" write-tree) &&
	c=$(g -C "$T" commit-tree -p base -m "base minus the SVI fix" "$tree") &&
	g -C "$T" tag -f base "$c" >/dev/null || fail "cannot make base minus the fix"
q apply >"$W/apply2.log" 2>&1 || fail "apply on base minus the fix failed: $(grep 'kq: error' "$W/apply2.log")"
st=$(awk -F '\t' '{ printf "%s%s:%s", sep, $2, $3; sep = " " }' "$W/queue/applied.tsv")
case $st in "$f:applied "*) ;; *) fail "on base minus the fix, applied.tsv: $st" ;; esac
[ ! -s "$W/queue/skipped.tsv" ] || fail "on base minus the fix, skipped: $(cat "$W/queue/skipped.tsv")"
q export --to "$W/out" >"$W/export.log" 2>&1 || fail "export failed: $(tail -n 1 "$W/export.log")"
d=$(diff -r "$S" "$W/out/01-vmx-svi") || fail "export differs from series/01-vmx-svi: $(printf '%s\n' "$d" | head -n 1)"
pass "$f reverse-applies on the real base and is reported already in base; without it in the base it is applied first and export keeps it out of the top level"
