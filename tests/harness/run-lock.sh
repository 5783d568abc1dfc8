#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One ./kq run per out dir: a second one, while the first holds the lock,
# stops at once with one error line and exit status 2, having removed or
# made nothing; a stale report of an earlier run goes when a run starts.
. "$(dirname "$0")/baselib"

O=$W/out
mkdir -p "$O"
echo old >"$O/report.txt"
(exec 8>"$O/run.lock" && flock 8 && exec sleep 30) &
holder=$!
trap 'kill $holder 2>/dev/null' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do
	flock -n "$O/run.lock" true 2>/dev/null || break
	sleep 0.2
done
t0=$SECONDS
KQ_OUT=$O timeout 60 "$ROOT/kq" run --arch riscv64 --series 05 >"$W/log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "second run exited $rc, want 2: $(tr '\n' '|' <"$W/log")"
[ $((SECONDS - t0)) -le 10 ] || fail "it took $((SECONDS - t0)) s to stop"
err=$(one_error_line "$W/log")
case $err in *"is using $O"*) ;; *) fail "unclear error: $err" ;; esac
[ "$(cat "$O/report.txt")" = old ] || fail "the locked-out run touched the first run's report"
[ -z "$(ls "$O" | grep -v '^run.lock$\|^report.txt$')" ] || fail "it made $(ls "$O" | tr '\n' ' ')"
kill $holder; wait $holder 2>/dev/null
# Unlocked, a run that stops early (its base tarball is missing) leaves no
# old report.
KQ_OUT=$O KQ_MIN_FREE_GB=0 timeout 120 "$ROOT/kq" run --arch riscv64 --series 05 --base-tarball "$W/none.tar.xz" \
	>"$W/log2" 2>&1 && fail "a run without its base tarball passed"
grep -q "tarball '$W/none.tar.xz' not found" "$W/log2" || fail "not stopped by the base: $(tail -n 2 "$W/log2")"
[ -e "$O/report.txt" ] && [ "$(cat "$O/report.txt")" = old ] &&
	fail "the old report.txt survived a run that stopped"
pass "locked out: '$err', exit 2 in $((SECONDS - t0)) s, nothing touched; a run that stops early leaves no old report"
