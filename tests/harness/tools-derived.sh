#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The list of set-up is derived from the code, not from memory: every word
# of the harness's scripts (comments left out) that names a program on
# this machine must also be in the strict PATH made from harness/tools.tsv
# (tools.sh strict-path: essential packages plus setup's, with their
# dependencies). A script that starts calling a program no listed package
# brings (rsync, pkill) fails here, on a machine that happens to have it.
# Words that name a program but are not calls are listed below with why.
. "$(dirname "$0")/baselib"

# Not calls: words of messages, paths and other languages.
#   init          harness/init, the VM's /init (built, not run, on the host)
#   llvm-objdump  in messages; 03-arm64-lsui.sh calls llvm-objdump-22
#   openssl       /usr/include/openssl/ssl.h
#   patch         "*.patch", "patch-id", "patch does not apply"
#   zip           python's zip() in 03-arm64-lsui.sh
not_calls=" init llvm-objdump openssl patch zip "

SYS=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
"$ROOT/harness/tools.sh" strict-path "$W/p" x86_64 arm64 riscv64 cross fresh drift lava 2>/dev/null ||
	fail "tools.sh strict-path failed"

# The scripts the host runs: the harness, its tests, the host plan's.
mapfile -t files < <(cd "$ROOT" && {
	echo kq; echo .ci/run
	ls harness/*.sh harness/*.awk tests/harness/*.sh tests/harness/*lib
	find tests/series -name '*.sh' 2>/dev/null
	find harness tests -name Makefile 2>/dev/null
} | sort -u)
[ ${#files[@]} -ge 30 ] || fail "only ${#files[@]} scripts found"

# Words, comments dropped (a whole-line "#..." and a " # ..." tail).
words=$(cd "$ROOT" && sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#[[:space:]].*//' "${files[@]}" |
	grep -oE '[A-Za-z][A-Za-z0-9_.+-]*' | sort -u)
n=0 bad=()
for w in $words; do
	case $(type -t "$w" 2>/dev/null) in builtin|keyword) continue ;; esac
	PATH=$SYS type -P "$w" >/dev/null 2>&1 || continue
	n=$((n + 1))
	[ -e "$W/p/$w" ] && continue
	[[ $not_calls == *" $w "* ]] && continue
	bad+=("$w ($(dpkg -S "$(PATH=$SYS type -P "$w")" 2>/dev/null | cut -d: -f1 | head -n 1))")
done
[ $n -ge 40 ] || fail "only $n words name programs: the scan is broken"
[ ${#bad[@]} -eq 0 ] ||
	fail "called but brought by no package of harness/tools.tsv: ${bad[*]}"
pass "${#files[@]} scripts, $n program names, all brought by setup's packages or essential ones"
