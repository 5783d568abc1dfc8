#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One VM's tests: boot the base or the patched kernel of the VM's arch
# (harness/vm.sh) with the VM's selected plan rows.
#
#   vmtests.sh base|patched <vm>     (<vm>: an arch or one of its lanes)
#
# Plan in: $KQ_OUT/results/plan-<vm>.tsv. Results out:
# $KQ_OUT/results/<kind>/<vm>/results.tsv (vm.sh's rows, plus "absent"
# for a program the tree does not have), console and KTAP beside it, and
# bench.tsv for benchmark rows. A command "ab/<path>" is the patched
# tree's binary, run on both kernels (an A/B of the kernels, e.g. a
# benchmark the base tree does not build). A base that KQ_NO_BASE leaves
# out is not booted: not-booted says so, and verdict.sh judges the VM's
# rows by the patched kernel alone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
H=$KQ_ROOT/harness
R=$KQ_OUT/results

# stage_ab <patched bin dir> <vm bin dir> <word...>: link each word
# "ab/<path>" to the patched tree's binary under <vm bin dir>/ab/; fails
# if one was not built.
stage_ab() {
	local from=$1 to=$2 w
	shift 2
	for w; do
		case $w in ab/*) ;; *) continue ;; esac
		[ -x "$from/${w#ab/}" ] || return 1
		mkdir -p "$to/$(dirname "$w")" || return 1
		ln -f "$from/${w#ab/}" "$to/$w" 2>/dev/null ||
			cp "$from/${w#ab/}" "$to/$w" || return 1
	done
}

kind=${1:?usage: vmtests.sh base|patched <vm>} a=${2:?vm}
k=$(arch_of "$a")
O=$KQ_OUT/build/$k-$kind out=$R/$kind/$a
ab=$KQ_OUT/build/$k-patched/bin
words=()
mkdir -p "$out"
if [ "$kind" = base ] && no_base "$a"; then
	# verdict.sh reads this: the base column is "notrun" by choice.
	echo "KQ_NO_BASE" >"$out/not-booted"
	: >"$out/results.tsv"
	exit 0
fi
: >"$out/plan"; : >"$out/absent.tsv"
rm -rf "$out/bin"
while IFS=$'\t' read -r _ name to eb _ cmd _; do
	bin=${cmd%% *}
	[ "$kind/$eb" != base/notrun ] || continue
	case $cmd in
	@boot) continue ;;
	@*) ;;
	ab/*) ;;
	*) if [ ! -x "$O/bin/$bin" ]; then
		printf '%s\tabsent\t0\t0\tnot in this tree\n' "$name" >>"$out/absent.tsv"
		continue
	   fi ;;
	esac
	# Every ab/ word: the command, or a wrapper's program argument.
	read -ra words <<<"$cmd"
	if ! stage_ab "$ab" "$out/bin" "${words[@]}"; then
		printf '%s\tabsent\t0\t0\tnot built in the patched tree\n' "$name" >>"$out/absent.tsv"
		continue
	fi
	printf '%s\t%s\t%s\n' "$name" "$to" "$cmd" >>"$out/plan"
done <"$R/plan-$a.tsv"
# The VM's bin dir: this tree's binaries, plus ab/ if any (hard links).
vmbin=$O/bin
if [ -d "$out/bin/ab" ]; then
	cp -al "$O/bin/." "$out/bin/" 2>/dev/null || cp -a "$O/bin/." "$out/bin/"
	vmbin=$out/bin
fi
kb=$(build_of "$a" "$kind")
if ! grep -q "^$k-$kind	pass" <(cut -f2- "$R/builds.tsv") ||
   ! grep -q "^$kb	pass" <(cut -f2- "$R/builds.tsv"); then
	warn "vm: $a $kind: $kb not built, its tests are not run"
	exit 0
fi
say "== vm: $a $kind: $(wc -l <"$out/plan") tests"
"$H/vm.sh" --arch "$a" --label "$a $kind" \
	--kernel "$(kernel_of "$a" "$kind")" --plan "$out/plan" \
	--bin "$vmbin" --out "$out" || warn "vm: $a $kind: the VM run reported an error"
cat "$out/absent.tsv" >>"$out/results.tsv"
[ ! -s "$out/ktap.log" ] ||
	awk -f "$H/vmplan.awk" -f "$H/bench.awk" "$out/plan" "$out/ktap.log" >"$out/bench.tsv" ||
	warn "vm: $a $kind: harness/bench.awk could not read the benchmark figures"
