#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cross-builds of what the queue touches for arches that kq does not boot
# (series 04's posting touches their mm code): s390x and powerpc64le by
# default ($KQ_CROSS_ARCHES). Per arch: its defconfig + configs/cross/
# common.config + configs/cross/<arch>.config (verified: a dropped option
# is an error), then, with W=1 ($KQ_CROSS_W) and ccache, make of
#   - mm/, fs/proc/ and arch/<karch>/mm/, whole, and
#   - every other .c file the queue's patches touch (series/*/*.patch),
#     as its object, leaving out other arches' code, tools/, scripts/,
#     samples/ and Documentation/ (headers are built through their users)
# into $KQ_OUT/build/cross-<arch>-<kind>/.
#
#   cross.sh base|patched   build the base tree or the patched one
#   cross.sh targets <arch> the make targets for the arch
#   cross.sh packages       the Debian packages of the cross compilers
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

KQ_CROSS_ARCHES=${KQ_CROSS_ARCHES:-"s390x powerpc64le"}
R=$KQ_OUT/results

# cross_get <arch> <field>: karch, prefix, package or defconfig.
cross_get() {
	local a k p g d
	while read -r a k p g d; do
		[ "$a" = "$1" ] || continue
		case $2 in karch) echo "$k" ;; prefix) echo "$p" ;; package) echo "$g" ;;
		defconfig) echo "$d" ;; esac
		return 0
	done <<-EOF
	s390x		s390	s390x-linux-gnu-	gcc-s390x-linux-gnu		defconfig
	powerpc64le	powerpc	powerpc64le-linux-gnu-	gcc-powerpc64le-linux-gnu	ppc64le_defconfig
	EOF
	die "cross: unknown arch '$1' (known: s390x powerpc64le)"
}

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
	local a=$1 k p O frags t0=$SECONDS rc=0
	k=$(cross_get "$a" karch) p=$(cross_get "$a" prefix)
	O=$KQ_OUT/build/cross-$a-$kind
	local kmake=(make -C "$KQ_TREE" O="$O" ARCH="$k" CROSS_COMPILE="$p"
		     CC="ccache ${p}gcc" HOSTCC="ccache gcc" -j"$KQ_JOBS")
	frags=("$KQ_ROOT/configs/cross/common.config")
	[ ! -f "$KQ_ROOT/configs/cross/$a.config" ] || frags+=("$KQ_ROOT/configs/cross/$a.config")
	mkdir -p "$O"
	"${kmake[@]}" -s "$(cross_get "$a" defconfig)" >"$O/config.log" 2>&1 &&
		(cd "$O" && "$KQ_TREE/scripts/kconfig/merge_config.sh" -m -O "$O" .config "${frags[@]}") \
		>>"$O/config.log" 2>&1 &&
		"${kmake[@]}" -s olddefconfig >>"$O/config.log" 2>&1 ||
		{ echo "fail $((SECONDS - t0)) configuring failed (see $O/config.log)"; return; }
	config_verify "$O/.config" "cross: $a" "${frags[@]}" 2>>"$O/config.log" ||
		{ echo "fail $((SECONDS - t0)) $(grep -m1 'was dropped' "$O/config.log")"; return; }
	mapfile -t tg < <(targets "$k")
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
targets) targets "$(cross_get "${2:?arch}" karch)"; exit 0 ;;
packages) for a in $KQ_CROSS_ARCHES; do cross_get "$a" package; done; exit 0 ;;
warnings) warnings "${2:?log}"; exit 0 ;;
record) shift; record "$@"; exit 0 ;;
base|patched) kind=$1 KQ_TREE=$(tree_of "$1") ;;
*) die "usage: cross.sh base|patched | targets <arch> | packages" ;;
esac

need_tool make make
need_tool ccache ccache
export CCACHE_DIR=${CCACHE_DIR:-$KQ_OUT/ccache}
export CCACHE_BASEDIR=$KQ_OUT CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
for a in $KQ_CROSS_ARCHES; do
	need_tool "$(cross_get "$a" prefix)gcc" "$(cross_get "$a" package)"
done
for a in $KQ_CROSS_ARCHES; do
	say "cross: $a-$kind: configuring and building"
	read -r res secs detail < <(build "$a")
	record "$kind" "$a" "$res" "$secs" "$detail"
done
