#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# export is stable: two apply + export runs give identical series although
# the second has a hostile user git config (format.*, diff.*, core.abbrev,
# am.*), another TZ and terminal width, and a base commit with the same
# tree but another id (as on another machine). The output also has what
# no single machine shows: zero From ids, no signature, full index lines.
. "$(dirname "$0")/queuetestlib"

start
edit README 'NR == 1 { print "kq selftest: export-stable" } { print }'
commit "README: selftest note" >/dev/null
tg update-ref refs/heads/kq/01-one HEAD
edit kernel/sys.c '{ print } /^#include <linux\/export.h>$/ { print "/* kq selftest */" }'
commit "kernel/sys.c: selftest comment" >/dev/null
tg mv scripts/ver_linux scripts/ver_linux.kq
commit "scripts: rename ver_linux" >/dev/null
tg update-ref refs/heads/kq/02-two HEAD
S=$W/series
cover "$S/01-one"
cover "$S/02-two"
KQ_SERIES=$S run_queue "$W/log0" export || fail "export failed: $(tail -n 1 "$W/log0")"

KQ_SERIES=$S run_queue "$W/log1" apply && KQ_SERIES=$S run_queue "$W/log2" export --to "$W/one" ||
	fail "first apply + export failed"

mkdir -p "$W/home"
cat >"$W/home/.gitconfig" <<'CONF'
[format]
	signature = hostile
	numbered = false
	subjectPrefix = RFC
	thread = shallow
	coverLetter = true
	signOff = true
	useAutoBase = true
	suffix = .diff
	headers = "X-Kq: hostile"
[diff]
	noprefix = true
	algorithm = histogram
	context = 5
	renames = false
[core]
	abbrev = 7
[am]
	threeWay = true
	keepcr = true
[apply]
	whitespace = fix
CONF
[ "$(env -u GIT_CONFIG_GLOBAL HOME="$W/home" git config --global format.signature)" = hostile ] ||
	fail "cannot set up the hostile git config"
orig=$(tg rev-parse base)
alt=$(tg commit-tree -m "base, another commit id" 'base^{tree}')
trap 'tg tag -f base "$orig" >/dev/null 2>&1' EXIT
tg tag -f base "$alt" >/dev/null
(
	unset GIT_CONFIG_GLOBAL
	export HOME=$W/home XDG_CONFIG_HOME=$W/home/.config TZ=Pacific/Kiritimati COLUMNS=33 KQ_SERIES=$S
	run_queue "$W/log3" apply && run_queue "$W/log4" export --to "$W/two"
) || fail "second apply + export failed: $(tail -n 1 "$W/log3" "$W/log4" 2>/dev/null | grep error)"
tg tag -f base "$orig" >/dev/null

d=$(diff -r "$W/one" "$W/two") || fail "the two exports differ: $(printf '%s\n' "$d" | head -n 1)"
set -- "$W"/one/*/*.patch
[ $# = 3 ] || fail "expected 3 patches, got $#"
! grep -q -m 1 -v '^From 0000000000000000000000000000000000000000 ' <(grep -h '^From [0-9a-f]\{40\} ' "$@") ||
	fail "a From line carries a commit id (not --zero-commit)"
! grep -q -x -- '-- ' "$@" || fail "a patch ends with a signature"
! grep -q '^index [0-9a-f]\{1,39\}\.\.' "$@" || fail "abbreviated index line (not --full-index)"
pass "two runs (second: hostile git config, other TZ, other base commit id) export identical series"
