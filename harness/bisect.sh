#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every patch of a series builds on its own (a bisect never lands on a
# broken tree), for one arch:
#
#   bisect.sh --series NN [--arch A]
#
# Walks the commits of series NN in the patched tree (./kq apply made
# them: refs kq/<series before>..kq/<NN>) in a scratch worktree,
# $KQ_OUT/bisect/tree, and at each one makes, in one build dir
# ($KQ_OUT/bisect/build-<arch>, seeded once from build/<arch>-patched
# and its .config), every kernel directory that any patch of the series
# changes a C file in: a header a patch changes is thus compiled into
# the series' code at each step. A patch under
# tools/testing/selftests/kvm also gets the KVM selftests built. Rows in
# $KQ_OUT/bisect/<NN>-<arch>.tsv ("patch pass|fail seconds what"), a
# progress line per patch; exit 0 when every patch built, 1 when one did
# not (its log named), 2 when it could not run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$KQ_ROOT/harness/kbuild.sh"
# It could not run: one error line, exit 2.
fatal() { printf 'kq: error: %s\n' "$*" >&2; exit 2; }

want= arch=arm64
while [ $# -gt 0 ]; do
	case $1 in
	--series) want=${2:?--series needs NN}; shift 2 ;;
	--arch) arch=${2:?--arch needs an arch}; shift 2 ;;
	*) fatal "bisect: unknown argument '$1' (bisect.sh --series NN [--arch A])" ;;
	esac
done
[ -n "$want" ] || fatal "bisect: --series NN is required"
karch=$(arch_get "$arch" karch)
cross=$(arch_get "$arch" cross)
kbuild_tools "$arch"

# The series and the one before it, by their kq/* refs in the patched tree.
mapfile -t all < <(cd "$KQ_ROOT/series" && ls -d [0-9][0-9]-*/ | tr -d /)
s= prev=base
for x in "${all[@]}"; do
	if [ "${x%%-*}" = "${want%%-*}" ]; then s=$x; break; fi
	prev=refs/heads/kq/$x
done
[ -n "$s" ] || fatal "bisect: no series '$want' in series/"
[ -e "$KQ_PTREE/.git" ] || fatal "bisect: no patched tree at $KQ_PTREE (./kq apply)"
top=$(kq_git -C "$KQ_PTREE" rev-parse -q --verify "refs/heads/kq/$s") ||
	fatal "bisect: no ref kq/$s in $KQ_PTREE (./kq apply)"
from=$(kq_git -C "$KQ_PTREE" rev-parse -q --verify "$prev") ||
	fatal "bisect: no ref $prev in $KQ_PTREE (./kq apply)"
seed=$KQ_OUT/build/$arch-patched
[ -f "$seed/.config" ] || fatal "bisect: no $seed/.config (./kq build kernel $arch patched)"

mapfile -t commits < <(kq_git -C "$KQ_PTREE" rev-list --reverse "$from..$top")
[ ${#commits[@]} -gt 0 ] || fatal "bisect: series $s has no commits in $KQ_PTREE"
# The kernel dirs the series changes C files in (not tools/).
mapfile -t dirs < <(kq_git -C "$KQ_PTREE" diff --name-only "$from" "$top" -- '*.c' ':!tools/' |
	xargs -r -n 1 dirname | sort -u | sed 's|$|/|')

B=$KQ_OUT/bisect
wt=$B/tree O=$B/build-$arch rows=$B/$s-$arch.tsv
mkdir -p "$B"
exec 9>"$B/lock"
flock -n 9 || fatal "bisect: another bisect.sh is using $B"
if [ ! -e "$wt/.git" ]; then
	kq_git -C "$KQ_TREE" worktree prune
	kq_git -C "$KQ_TREE" worktree add -q --detach "$wt" "$from" ||
		{ rm -rf "$wt"; fatal "bisect: cannot check out $wt"; }
fi
if [ ! -f "$O/.config" ]; then
	say "bisect: seeding $O from $seed (once)"
	rm -rf "$O" && cp -a "$seed/." "$O/" || fatal "bisect: cannot copy $seed"
fi
kbuild_init "$arch" "$wt" "$O"
: >"$rows"

say "bisect: $s, ${#commits[@]} patches, $arch: ${dirs[*]:-no kernel C files}"
kq_git -C "$wt" checkout -q -f --detach "$from"
failed=0 i=0 t0=$SECONDS
for c in "${commits[@]}"; do
	i=$((i + 1))
	name=$(printf '%04d-%s' "$i" "$(kq_git -C "$KQ_PTREE" log -1 --format=%f "$c" | cut -c 1-52)")
	kq_git -C "$wt" checkout -q -f --detach "$c"
	log=$B/$s-$arch-$(printf '%04d' "$i").log
	t=$SECONDS what=
	if [ ${#dirs[@]} -gt 0 ]; then
		what="kernel ${dirs[*]}"
		run_logged "$log" "bisect $s $i/${#commits[@]}" \
			"${kmake[@]}" -s olddefconfig "${dirs[@]}" || what="FAILED: $what"
	fi
	if [ "$what" = "${what#FAILED}" ] &&
	   [ -n "$(kq_git -C "$KQ_PTREE" diff --name-only "$c~1" "$c" -- tools/testing/selftests/kvm)" ]; then
		what="$what${what:+, }KVM selftests"
		log=${log%.log}-selftests.log
		run_logged "${log%.log}-headers.log" "bisect $s $i/${#commits[@]} headers" \
			"${kmake[@]}" -s headers_install INSTALL_HDR_PATH="$O/hdr" &&
			run_logged "$log" "bisect $s $i/${#commits[@]} selftests" \
			nice -n 10 make -C "$wt/tools/testing/selftests/kvm" ARCH="$karch" \
			CROSS_COMPILE="$cross" CC="$cc" OUTPUT="$O/kselftest/kvm" \
			KHDR_INCLUDES="-isystem $O/hdr/include" EXTRA_CFLAGS=-static \
			-j"$KQ_JOBS" || what="FAILED: $what"
	fi
	if [ "$what" != "${what#FAILED}" ]; then
		failed=$((failed + 1))
		printf '%s\tfail\t%d\t%s (log: %s)\n' "$name" $((SECONDS - t)) "${what#FAILED: }" "$log" >>"$rows"
		say "bisect: $s [$i/${#commits[@]}] $name: does not build (${what#FAILED: }), log: $log"
	else
		printf '%s\tpass\t%d\t%s\n' "$name" $((SECONDS - t)) "${what:-nothing to build}" >>"$rows"
		say "bisect: $s [$i/${#commits[@]}] $name: builds ($((SECONDS - t)) s)"
	fi
done
say "bisect: $s on $arch: $((${#commits[@]} - failed)) of ${#commits[@]} patches build, in $(((SECONDS - t0) / 60))m$(((SECONDS - t0) % 60))s; rows: $rows"
[ "$failed" -eq 0 ]
