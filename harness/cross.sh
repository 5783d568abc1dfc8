#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cross-builds of what the queue touches for arches that kq does not boot
# (series 04's posting touches their mm code): the arch/<arch>.conf files
# with boot=no (s390x, powerpc64le), or $KQ_CROSS_ARCHES. Per arch: its
# defconfig= + configs/cross/common.config + configs/cross/<arch>.config
# (harness/kbuild.sh: verified, a dropped option is an error), then, with
# W=1 ($KQ_CROSS_W), make of
#   - mm/, fs/proc/ and arch/<karch>/mm/, whole, and
#   - every other .c file the queue's patches touch (series/*/*.patch),
#     as its object, leaving out other arches' code, tools/, scripts/,
#     samples/ and Documentation/ (headers are built through their users)
# into $KQ_OUT/build/cross-<arch>-<kind>/. Through ccache unless
# KQ_CCACHE=0: these build dirs are outside the trees, so base and
# patched share only ccache's objects.
#
#   cross.sh base|patched   build the base tree or the patched one
#   cross.sh targets <arch> the make targets for the arch
#   cross.sh warnings <log> | record ...   steps, for tests/harness/cross.sh
#
# Rows go to $KQ_OUT/results/cross.tsv: arch kind result warnings new
# seconds detail. Warnings are kept as "file: message" (no line numbers:
# a patch moves them) in cross-<arch>-<kind>.warn; "patched" also writes
# the warnings new in patched to cross-<arch>.new and one row to
# builds.tsv: "cross <arch> pass|fail <why>", which fails if either tree
# does not build or patched has a warning base has not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$KQ_ROOT/harness/kbuild.sh"

KQ_CROSS_ARCHES=${KQ_CROSS_ARCHES:-$(cross_arches)}
R=$KQ_OUT/results

# targets <arch>: the directories and objects to build, one per line.
targets() {
	local k=$1 f
	printf '%s\n' mm/ fs/proc/ "arch/$k/mm/"
	cat "$KQ_ROOT"/series/*/*.patch 2>/dev/null |
		sed -n 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|\1\n\2|p' | sort -u |
		while read -r f; do
			case $f in
			*.c) ;; *) continue ;;
			esac
			case $f in
			mm/*|fs/proc/*|"arch/$k/mm/"*|tools/*|scripts/*|samples/*|Documentation/*) continue ;;
			arch/"$k"/*) ;;
			arch/*) continue ;;
			esac
			# Only what this tree has: a file the queue adds or
			# deletes is built on one side only.
			[ -f "$KQ_TREE/$f" ] || continue
			echo "${f%.c}.o"
		done
}

# warnings <log>: "file: warning: message" lines, sorted, no line numbers.
warnings() {
	sed -n -E "s#^$KQ_TREE/##; s#^(\./|\.\./)+##; s#^([^: ]+):[0-9]+(:[0-9]+)?: (warning|error): #\1: \3: #p" "$1" |
		sort -u
}

# build <arch>: configure and build; prints "result seconds detail".
build() {
	local a=$1 O frags t0=$SECONDS rc=0
	O=$KQ_OUT/build/cross-$a-$kind
	frags=("$KQ_ROOT/configs/cross/common.config")
	[ ! -f "$KQ_ROOT/configs/cross/$a.config" ] || frags+=("$KQ_ROOT/configs/cross/$a.config")
	mkdir -p "$O"
	kbuild_init "$a" "$KQ_TREE" "$O"
	kbuild_config "$(arch_get "$a" defconfig)" "$O/config.log" "cross: $a" "${frags[@]}" \
		2>>"$O/config.log" ||
		{ echo "fail $((SECONDS - t0)) $kbuild_failed failed (see $O/config.log)"; return; }
	mapfile -t tg < <(targets "$(arch_get "$a" karch)")
	say "cross: $a-$kind: ${tg[*]}"
	run_logged "$O/build.log" "cross $a-$kind" "${kmake[@]}" -k W="${KQ_CROSS_W-1}" "${tg[@]}" || rc=$?
	if [ $rc -ne 0 ]; then
		echo "fail $((SECONDS - t0)) build failed (see $O/build.log)"
	else
		echo "pass $((SECONDS - t0))"
	fi
}

# row <arch> <kind>: the result in its cross.tsv row.
row() { awk -F'\t' -v a="$1" -v k="$2" '$1 == a && $2 == k { r = $3 } END { print r }' "$R/cross.tsv"; }

# verdict <arch>: one builds.tsv row for the arch, from both rows of
# cross.tsv and cross-<arch>.new.
verdict() {
	local a=$1 b p new why=
	b=$(row "$a" base) p=$(row "$a" patched)
	new=$(cat "$R/cross-$a.new" 2>/dev/null | wc -l)
	[ "$b" = pass ] || why="base: ${b:-not built}; "
	[ "$p" = pass ] || why="${why}patched: ${p:-not built}; "
	[ "$new" -eq 0 ] || why="${why}$new new warnings, first: $(head -n 1 "$R/cross-$a.new")"
	printf 'cross\t%s\t%s\t%s\n' "$a" "$([ -z "$why" ] && echo pass || echo fail)" "${why%; }" >>"$R/builds.tsv"
}

# record <kind> <arch> <result> <seconds> [detail]: the cross.tsv row of a
# build, from its log; after patched also its new warnings and verdict.
record() {
	local kind=$1 a=$2 log=$KQ_OUT/build/cross-$2-$1/build.log new=- nw
	mkdir -p "$R"
	if [ -f "$log" ]; then warnings "$log"; fi >"$R/cross-$a-$kind.warn"
	nw=$(wc -l <"$R/cross-$a-$kind.warn")
	if [ "$kind" = patched ]; then
		comm -13 "$R/cross-$a-base.warn" "$R/cross-$a-patched.warn" >"$R/cross-$a.new" 2>/dev/null ||
			: >"$R/cross-$a.new"
		new=$(wc -l <"$R/cross-$a.new")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$kind" "$3" "$nw" "$new" "$4" "${5:-}" >>"$R/cross.tsv"
	[ "$kind" = base ] || verdict "$a"
	say "cross: $a-$kind: $3 in ${4}s, $nw warnings$([ "$new" = - ] || echo ", $new new")"
}

case ${1:-} in
targets) targets "$(arch_get "${2:?arch}" karch)"; exit 0 ;;
warnings) warnings "${2:?log}"; exit 0 ;;
record) shift; record "$@"; exit 0 ;;
base|patched) kind=$1 KQ_TREE=$(tree_of "$1") ;;
*) die "usage: cross.sh base|patched | targets <arch>" ;;
esac

export KQ_CCACHE=${KQ_CCACHE:-1}
for a in $KQ_CROSS_ARCHES; do
	[ "$(arch_get "$a" boot)" = no ] ||
		die "cross: '$a' is not a cross-build arch (arch/$a.conf has no boot=no)"
	kbuild_tools "$a"
done
for a in $KQ_CROSS_ARCHES; do
	say "cross: $a-$kind: configuring and building"
	read -r res secs detail < <(build "$a")
	record "$kind" "$a" "$res" "$secs" "$detail"
done
