#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests: tree-wide scripts, no VM, run against the base or the
# patched tree itself.
#
#   hosttests.sh base|patched
#
# Plan in: $KQ_OUT/results/plan-host.tsv (the run's selected rows of
# plans/host.plan). Results out: $KQ_OUT/results/<kind>/host/results.tsv
# and one log per test beside it. A script's exit status 0 is a pass, 4 a
# skip, its time limit a timeout, anything else a fail.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?usage: hosttests.sh base|patched}
R=$KQ_OUT/results
tree=$(tree_of "$kind")
out=$R/$kind/host
[ -f "$R/plan-host.tsv" ] || exit 0
mkdir -p "$out"
: >"$out/results.tsv"
while IFS=$'\t' read -r _ name to eb _ cmd _; do
	[ "$kind/$eb" != base/notrun ] || continue
	t0=$(date +%s%N)
	rc=0
	read -ra words <<<"$cmd"	# a script of this repo and its arguments
	(cd "$tree" && timeout -k 5 "$to" "$KQ_ROOT/${words[0]}" "${words[@]:1}" "$tree") \
		>"$out/$name.log" 2>&1 </dev/null || rc=$?
	case $rc in
	0) res=pass ;; 4) res=skip ;; 124|137) res=timeout ;; *) res=fail ;;
	esac
	printf '%s\t%s\t%d\t0\t%s\n' "$name" "$res" $((($(date +%s%N) - t0) / 1000000)) \
		"$(tail -n 1 "$out/$name.log")" >>"$out/results.tsv"
	say "  host/$kind: $name: $res"
done <"$R/plan-host.tsv"
