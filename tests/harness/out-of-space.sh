#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No room under out/: ./kq run stops before writing anything, with one
# error line and exit status 2. A worktree whose checkout fails half way
# (a file size limit stands in for a full disk) is removed, with one error
# line: left there, the next run would take it for a good one.
. "$(dirname "$0")/baselib"

O=$W/out
KQ_OUT=$O KQ_MIN_FREE_GB=100000000 timeout 60 "$ROOT/kq" run --arch riscv64 --series 05 \
	>"$W/log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "a run without room exited $rc, want 2: $(tr '\n' '|' <"$W/log")"
err1=$(one_error_line "$W/log")
case $err1 in *"GB free on the file system of $O, a run needs 100000000 GB"*) ;;
*) fail "unclear error: $err1" ;; esac
[ -z "$(ls "$O" | grep -v '^run.lock$')" ] || fail "it made $(ls "$O" | tr '\n' ' ')"

# A base tree with a file larger than the limit (ulimit -f counts 1 KiB).
T=$W/linux
mkdir -p "$T/a" && seq 1 100000 >"$T/a/big" && echo small >"$T/small" &&
	git -C "$T" init -q && git -C "$T" add -A &&
	git -C "$T" -c user.name=t -c user.email=t@t commit -q -m base && git -C "$T" tag base ||
	fail "cannot make $T"
wt=$W/patched
(ulimit -f 64 && KQ_OUT=$W KQ_TREE=$T "$ROOT/harness/queue.sh" worktree "$wt") >"$W/log2" 2>&1
rc=$?
[ $rc -ne 0 ] || fail "a worktree checkout past the file size limit passed"
err=$(one_error_line "$W/log2")
case $err in *"cannot check out $wt"*"free on its file system)") ;; *) fail "unclear error: $err" ;; esac
[ ! -e "$wt" ] || fail "the half checked-out worktree $wt was left behind"
[ "$(git -C "$T" worktree list | wc -l)" = 1 ] || fail "git still lists the worktree: $(git -C "$T" worktree list | tr '\n' '|')"
KQ_OUT=$W KQ_TREE=$T "$ROOT/harness/queue.sh" worktree "$wt" >"$W/log3" 2>&1 &&
	cmp -s "$wt/a/big" "$T/a/big" || fail "no worktree with room: $(tr '\n' '|' <"$W/log3")"
pass "no room: '$err1', exit 2, nothing written; a worktree cut short by the disk is removed (one error line), made whole next time"
