#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a test kernel or the KVM selftests of the base tree ($KQ_TREE) or
# the patched one ($KQ_PTREE) into $KQ_OUT/build/<arch>-<kind>/ (kind:
# base or patched), a link to kq-build-<arch>/ inside that tree.
#
#   build.sh kernel <arch> <kind>     tinyconfig + configs/*.config, verified
#   build.sh selftests <arch> <kind>  static KVM selftests + headers
#   build.sh lane <lane> patched      the patched kernel + the lane's
#                                     test_patch (arch/<lane>.conf), see
#                                     lane_kernel()
#
# KQ_CCACHE=1 compiles through ccache (harness/kbuild.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$KQ_ROOT/harness/plan.sh"
. "$KQ_ROOT/harness/kbuild.sh"

what=${1:?usage: build.sh kernel|selftests <arch> <kind> | lane <lane> patched}
arch=${2:?arch}
kind=${3:?kind}
# A lane's kernel: its arch's, in a tree of its own (see lane_kernel()).
lane=
if [ "$what" = lane ]; then
	[ "$kind" = patched ] || die "build: lane $arch: only a patched kernel takes a test_patch"
	lane=$arch arch=$(arch_of "$arch")
	[ "$lane" != "$arch" ] || die "build: $lane is an arch, not a lane (arch/$lane.conf has no lane_of=)"
fi
name=${lane:-$arch}	# what messages and the build row call it
karch=$(arch_get "$arch" karch)
cross=$(arch_get "$arch" cross)
kbuild_tools "$arch"
src=$(tree_of "$kind")
[ -e "$src/.git" ] || die "build: $name-$kind: no tree at $src (./kq run makes it)"
pbdir=
if [ -n "$lane" ]; then
	pbdir=$src/${KQ_BUILD_NAME:-kq-build}-$arch
	src=$KQ_OUT/lanes/$lane
fi
# The build dir is a direct subdirectory of its tree, so kbuild names the
# sources "../<path>" and a copy of the base's build dir is valid for the
# patched tree (see kernel()). $KQ_OUT/build/<arch>-<kind> links to it.
# KQ_BUILD_NAME: another name, for the harness's own tests.
bdir=$src/${KQ_BUILD_NAME:-kq-build}-$arch
O=$KQ_OUT/build/$name-$kind
mkdir -p "$bdir" "$KQ_OUT/build"
[ -L "$O" ] || rm -rf "$O"
ln -sfn "$bdir" "$O"

kbuild_init "$arch" "$src" "$O"
nice=(nice -n 10)
rm -f "$O/failed"

# failed <log> <what>: the step's error line, naming the package to
# install when the log shows a missing program or header, else the log;
# also in $O/failed for the run's report.
failed() {
	local why
	why=$(missing_in "$1")
	why="build: $name-$kind: $2 failed: ${why:-see $1}"
	printf '%s\n' "$why" >"$O/failed"
	die "$why"
}

# The fragments for an arch, in merge order.
fragments() {
	local f
	echo "$KQ_ROOT/configs/common.config"
	echo "$KQ_ROOT/configs/debug.config"
	[ "${KQ_KASAN:-$(arch_get "$arch" kasan)}" = yes ] && echo "$KQ_ROOT/configs/kasan.config"
	echo "$KQ_ROOT/configs/$arch.config"
	for f in "$KQ_ROOT"/configs/series/*.config; do
		[ -f "$f" ] && echo "$f"
	done
	return 0
}

# A series fragment may ask for a symbol that its series adds: the base
# tree defines it nowhere, so config_verify (lib.sh) skips it there.
config_skip() {
	[ "$kind" = base ] && [[ $1 == */configs/series/* ]] &&
		! grep -rqE "^\s*(menu)?config ${2#CONFIG_}\s*$" --include='Kconfig*' "$src"
}

# seed <from build dir> <changed file list>: $bdir becomes a copy of
# <from> in which every target that depends on a listed file (its .cmd
# file names "../<file>") is made older than anything: make then rebuilds
# just those. Not the copy's selftests, headers or kernel image: this
# build makes its own, and a failed one must not leave <from>'s behind.
seed() {
	rm -rf "$bdir" && cp -a "$1" "$bdir" &&
		rm -rf "$bdir/kselftest" "$bdir/bin" "$bdir/hdr" "$bdir/vmlinux" \
			"$bdir/$(arch_get "$arch" image)" "$bdir/.kq-head" &&
		sed 's|^|../|' "$2" >"$bdir/.kq-changed" &&
		{ grep -rlF -f "$bdir/.kq-changed" --include='.*.cmd' "$bdir" || true; } |
		while IFS= read -r c; do
			c=${c%.cmd} && c=${c%/*}/${c##*/.}
			[ ! -e "$c" ] || touch -h -d @0 "$c"
		done
}

kernel() {
	local frags base=$KQ_TREE/${KQ_BUILD_NAME:-kq-build}-$arch
	mapfile -t frags < <(fragments)
	# A first patched build starts from a copy of the base build, rebuilt
	# where the queue changed it. The tree's files keep their mtimes,
	# which the other arches' patched builds rely on.
	if [ "$kind" = patched ] && [ -z "$lane" ] && [ ! -f "$O/.config" ] && [ -f "$base/vmlinux" ]; then
		say "build: $name-$kind: seeding from $arch-base"
		kq_git -C "$src" diff --name-only base HEAD -- >"$O.changed" && seed "$base" "$O.changed" ||
			die "build: $name-$kind: cannot seed from $base"
	fi
	say "build: $name-$kind: configuring (tinyconfig + ${#frags[@]} fragments)"
	kbuild_config tinyconfig "$O/config.log" "$arch" "${frags[@]}" || {
		[ "$kbuild_failed" != tinyconfig ] || tail -n 20 "$O/config.log" >&2
		failed "$O/config.log" "$kbuild_failed"; }
	say "build: $name-$kind: compiling kernel ($KQ_JOBS jobs$([ "${KQ_CCACHE:-0}" = 1 ] && echo ", ccache"))"
	local t0=$SECONDS
	run_logged "$O/build.log" "kernel $name-$kind" "${kmake[@]}" \
		"$(basename "$(arch_get "$arch" image)")" ||
		failed "$O/build.log" "the kernel build"
	# The commit it was built from: a lane's build checks it (lane_kernel).
	kq_git -C "$src" rev-parse HEAD >"$bdir/.kq-head"
	say "build: $name-$kind: kernel done in $((SECONDS - t0))s"
}

selftests() {
	local sarch t0=$SECONDS
	sarch=$(arch_get "$arch" selftest_arch)
	say "build: $name-$kind: headers + KVM selftests (static)"
	"${kmake[@]}" -s headers_install INSTALL_HDR_PATH="$O/hdr" >"$O/headers.log" 2>&1 ||
		failed "$O/headers.log" headers_install
	rm -rf "$O/kselftest"
	run_logged "$O/selftests.log" "selftests $name-$kind" \
		"${nice[@]}" make -C "$src/tools/testing/selftests/kvm" ARCH="$karch" \
		CROSS_COMPILE="$cross" CC="$cc" \
		OUTPUT="$O/kselftest/kvm" KHDR_INCLUDES="-isystem $O/hdr/include" \
		EXTRA_CFLAGS=-static -j"$KQ_JOBS" ||
		failed "$O/selftests.log" "the KVM selftests build"
	# Keep only the test binaries: the VM's /kq/bin/kvm/...
	rm -rf "$O/bin"
	mkdir -p "$O/bin/kvm"
	(cd "$O/kselftest/kvm" && find . -type f -perm -u+x ! -name '*.o' ! -name '*.sh' |
		cpio -pdm --quiet "$O/bin/kvm")
	extra_bins
	say "build: $name-$kind: $(find "$O/bin" -type f | wc -l) test programs in $((SECONDS - t0))s"
}

# More programs for the VM, listed in arch/<arch>.conf:
#   selftest_dirs=  tools/testing/selftests/<dir>s of the tree, built
#                   static like the KVM ones, into bin/<dir>/ (skipped
#                   if the tree has no such dir): only the programs that
#                   the plans of the arch and its lanes run (plan_progs)
#                   and this tree has (<prog>.c), or the whole dir if the
#                   plans run none of it
#   test_dirs=      dirs of this repo whose Makefile takes
#                   CROSS_COMPILE, OUT and KERNEL_BUILD (this build dir),
#                   into bin/<basename>/ (a failure is a warning: its
#                   tests are then "absent")
extra_bins() {
	local d out targets all p
	for d in $(arch_get "$arch" selftest_dirs); do
		[ -d "$src/tools/testing/selftests/$d" ] || continue
		mkdir -p "$O/kselftest/$d" "$O/bin/$d"
		# Full paths: what kselftest Makefiles take for single programs.
		# A program the tree lacks (no <prog>.c: a series adds it) is
		# left out; if the plans name only such, there is nothing to do.
		all=$(plan_progs "$arch" "$d")
		mapfile -t targets < <(for p in $all; do
			[ -f "$src/tools/testing/selftests/$d/$p.c" ] && echo "$O/kselftest/$d/$p"
		done)
		[ -n "$all" ] && [ ${#targets[@]} -eq 0 ] && continue
		run_logged "$O/selftests-${d//\//-}.log" "selftests $d $name-$kind" \
			"${nice[@]}" make -C "$src/tools/testing/selftests/$d" ARCH="$karch" \
			CROSS_COMPILE="$cross" CC="$cc" LDFLAGS=-static \
			OUTPUT="$O/kselftest/$d" KHDR_INCLUDES="-isystem $O/hdr/include" \
			-j"$KQ_JOBS" "${targets[@]}" || failed "$O/selftests-${d//\//-}.log" "selftests $d"
		(cd "$O/kselftest/$d" && find . -type f -perm -u+x ! -name '*.o' ! -name '*.sh' |
			cpio -pdm --quiet "$O/bin/$d")
	done
	for d in $(arch_get "$arch" test_dirs); do
		out=$O/bin/$(basename "$d")
		run_logged "$O/tests-$(basename "$d").log" "$d $name-$kind" \
			"${nice[@]}" make -C "$KQ_ROOT/$d" CROSS_COMPILE="$cross" OUT="$out" KERNEL_BUILD="$O" ||
			warn "build: $name-$kind: $d failed (see $O/tests-$(basename "$d").log)"
	done
}

# lane_kernel: a lane whose arch/<lane>.conf names a test_patch (a
# test-only change, e.g. a hook to reach a path QEMU cannot, never part
# of a series) boots the patched kernel with that patch on top. Its tree
# is a worktree of the patched tree's commit in $KQ_OUT/lanes/<lane>,
# remade on every build (it stays registered in $KQ_TREE between runs),
# all of its files dated 2000, so that a copy of the arch's patched
# build dir, which must have been built from that same commit, is up to
# date for it except where the patch changes it (seed): a build of a
# few files and the link. A refusal is one error line, also in the
# build's "failed" file (./kq run's build row).
lane_die() {
	mkdir -p "$bdir" && printf 'build: %s-patched: %s\n' "$lane" "$*" >"$O/failed"
	die "build: $lane-patched: $*"
}

lane_kernel() {
	local rel patch head built
	rel=$(arch_get "$lane" test_patch)
	[ -n "$rel" ] || lane_die "arch/$lane.conf names no test_patch"
	patch=$KQ_ROOT/$rel
	[ -f "$patch" ] || lane_die "test_patch $rel: no such file"
	head=$(kq_git -C "$KQ_PTREE" rev-parse HEAD) || lane_die "cannot read the patched tree's commit"
	built=$(cat "$pbdir/.kq-head" 2>/dev/null) || built=
	[ -f "$pbdir/vmlinux" ] && [ "$built" = "$head" ] ||
		lane_die "build $arch-patched first (its build dir is of ${built:-no commit}, the patched tree at $head)"
	say "build: $lane-patched: $arch-patched + $rel"
	kq_git -C "$KQ_TREE" worktree remove --force "$src" >/dev/null 2>&1 || rm -rf "$src"
	kq_git -C "$KQ_TREE" worktree prune
	kq_git -C "$KQ_TREE" worktree add -q --detach "$src" "$head" >"$O.log" 2>&1 ||
		lane_die "cannot make the lane's tree $src: $(head -n 1 "$O.log")"
	kq_git -C "$src" apply --index "$patch" >>"$O.log" 2>&1 ||
		lane_die "test_patch $rel does not apply on the patched tree ($(grep -m 1 . "$O.log"))"
	(cd "$src" && kq_git ls-files -z | xargs -0 touch -h -d @946684800) ||
		lane_die "cannot date the lane's tree"
	kq_git -C "$src" diff --cached --no-renames --name-only HEAD -- >"$O.changed" &&
		seed "$pbdir" "$O.changed" || lane_die "cannot seed from $pbdir"
	kernel
}

case $what in
kernel) kernel ;;
lane) lane_kernel ;;
selftests) selftests ;;
*) die "build: unknown step '$what'" ;;
esac
