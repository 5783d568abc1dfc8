#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# export round trip: series made with export (changed, new, renamed and
# removed files) apply, and export gives them back byte-identical, both
# through check and through apply + export --to.
. "$(dirname "$0")/queuetestlib"

start
edit README 'NR == 1 { print "kq selftest: roundtrip" } { print }'
commit "README: selftest note" >/dev/null
printf 'kq selftest\n===========\n\nA new file.\n' >"$T/Documentation/kq-selftest.rst"
commit "Documentation: add kq-selftest.rst" >/dev/null
tg update-ref refs/heads/kq/01-docs HEAD
edit kernel/sys.c '{ print } /^#include <linux\/export.h>$/ { print "/* kq selftest */" }'
commit "kernel/sys.c: selftest comment" >/dev/null
tg mv scripts/ver_linux scripts/ver_linux.kq && tg rm -q scripts/extract-ikconfig
commit "scripts: rename ver_linux, remove extract-ikconfig" >/dev/null
tg update-ref refs/heads/kq/02-code HEAD

S=$W/series
cover "$S/01-docs"
cover "$S/02-code"
printf 'FILE_PATH_CHANGES  selftest: a new file without MAINTAINERS entry\n' >"$S/01-docs/checkpatch-ignore"
KQ_SERIES=$S run_queue "$W/log" export || fail "export failed: $(tail -n 1 "$W/log")"
[ "$(ls "$S"/*/*.patch | wc -l)" = 4 ] || fail "export wrote $(ls "$S"/*/*.patch | wc -l) patches, not 4"

KQ_SERIES=$S run_queue "$W/check" check || fail "check failed: $(grep -v '	pass	' "$W/check" | head -n 1)"
for s in 01-docs 02-code; do
	for c in apply-alone apply-stacked roundtrip; do
		grep -q "^$c	$s	pass	" "$W/check" || fail "check: no '$c $s pass'"
	done
done

KQ_SERIES=$S run_queue "$W/apply" apply || fail "apply failed: $(tail -n 1 "$W/apply")"
KQ_SERIES=$S run_queue "$W/export" export --to "$W/again" || fail "export --to failed"
d=$(diff -r "$S" "$W/again") || fail "apply + export --to differs: $(printf '%s\n' "$d" | head -n 1)"
pass "2 series, 4 patches (M, A, R, D): check passes and apply + export gives series/ back byte-identical"
