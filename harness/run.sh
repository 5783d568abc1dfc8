#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: base tree, queue, kernels and selftests for base and
# patched, test VMs, report.
#
#   run.sh [--arch A]... [--series NN] [--test GLOB]
#          [--base-tarball FILE | --base-tree DIR]
#
# KQ_NO_BASE="ARCH...": arches whose base kernel is neither built nor
# booted: their rows are checked on the patched kernel only, with the base
# column "notrun" (./kq check leaves out x86_64's, see harness/check.sh).
# KQ_CROSS=1|0: the cross-builds of harness/cross.sh (s390x, powerpc64le),
# by default on in a full run and off in a narrowed one (--arch, --series,
# --test) and in ./kq check. KQ_HEAVY=1|0 likewise for the heavy lanes
# (heavy=1 in arch/<lane>.conf: tests too long for CI); naming one with
# --arch runs it. KQ_STRICT_PATH=1: run with only the programs of the
# packages harness/setup.sh installs (see below).
#
# Exit status (harness/status.sh): 0 every row as expected, 1 a queue
# check or a verdict not as expected, 2 a step failed (set-up: a package
# or program missing; a build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$KQ_ROOT/harness/plan.sh"
H=$KQ_ROOT/harness

arches= series= test= base_args=() cross=${KQ_CROSS:-1} heavy=${KQ_HEAVY:-1}
narrow() { cross=${KQ_CROSS:-0} heavy=${KQ_HEAVY:-0}; }
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arches="$arches ${2:?}"; narrow; shift 2 ;;
	--series) series=${2:?}; series=${series%%-*}; narrow; shift 2 ;;
	--test) test=${2:?}; narrow; shift 2 ;;
	--base-tarball) base_args=(--tarball "${2:?}"); shift 2 ;;
	--base-tree) base_args=(--tree "${2:?}"); shift 2 ;;
	-h|--help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0" | sed '/^set /,$d'; exit 0 ;;
	*) die "run: unknown argument '$1' (see ./kq run --help)" ;;
	esac
done
arches=${arches:-$KQ_ARCHES}
for a in $arches; do
	arch_get "$a" karch >/dev/null
	[ "$(arch_get "$a" boot)" != no ] ||
		die "run: '$a' is built, not booted (arch/$a.conf: boot=no): KQ_CROSS=1 ./kq run builds it"
done
for a in ${KQ_NO_BASE:-}; do
	[ -f "$KQ_ROOT/arch/$a.conf" ] && [ "$(arch_of "$a")" = "$a" ] ||
		die "run: KQ_NO_BASE: '$a' is not an arch (arch/<arch>.conf without lane_of=)"
done
# Each arch brings its lanes (other VMs of its kernel, arch/<arch>-*.conf),
# the heavy ones if on; naming a lane runs it alone.
vms=
for a in $arches; do vms="$vms $(vms_of "$a" "$heavy" | tr '\n' ' ')"; done
if [ -n "$series" ] && ! compgen -G "$KQ_ROOT/series/$series-*" >/dev/null; then
	die "run: no series $series in series/"
fi

R=$KQ_OUT/results
t_start=$SECONDS
step() { say "== $*"; }
# One run per out dir at a time; a failed run leaves no stale report.
mkdir -p "$KQ_OUT"
exec 7>"$KQ_OUT/run.lock"
flock -n 7 || { printf 'kq: error: run: another ./kq run or ./kq check is using %s (%s)\n' \
	"$KQ_OUT" "$KQ_OUT/run.lock" >&2; exit 2; }
rm -f "$KQ_OUT/report.txt" "$KQ_OUT"/report*.tsv "$KQ_OUT"/report.junit.xml "$KQ_OUT"/report.json "$KQ_OUT"/merged-meta.tsv
# fatal <message>: a step failed: one error line, exit 2.
fatal() { printf 'kq: error: %s\n' "$*" >&2; exit 2; }
# Room under out/: a run from nothing writes about 12 GB there (trees,
# build dirs, the self-tests' trees; 6.12.118, 3 arches), later runs far
# less. Checked before anything is written; KQ_MIN_FREE_GB=N overrides.
need=${KQ_MIN_FREE_GB:-$([ -d "$KQ_OUT/linux/.git" ] && echo 5 || echo 15)}
free=$(df -Pk "$KQ_OUT" | awk 'NR == 2 { print int($4 / 1048576) }')
[ "${free:-0}" -ge "$need" ] ||
	fatal "run: ${free:-?} GB free on the file system of $KQ_OUT, a run needs $need GB (KQ_MIN_FREE_GB=N to change)"
# timed <step> <command...>: run it, add "step seconds start" to
# $KQ_OUT/steps.tsv (report.sh's time table). Steps may overlap: VMs
# run while the next arch builds.
T=$KQ_OUT/steps.tsv
: >"$T"
timed() {
	local name=$1 t0=$SECONDS rc=0
	shift
	"$@" || rc=$?
	printf '%s\t%d\t%d\n' "$name" $((SECONDS - t0)) $((t0 - t_start)) >>"$T"
	return $rc
}

# The selected plan rows, per arch and for the host.
rm -rf "$R"; mkdir -p "$R"
sel=
for a in host $vms; do
	plan_rows "$KQ_ROOT/plans/$a.plan" "$series" "$test" >"$R/plan-$a.tsv" ||
		die "run: bad plan file plans/$a.plan"
	if [ -s "$R/plan-$a.tsv" ]; then sel="$sel $a"; else rm -f "$R/plan-$a.tsv"; continue; fi
	# Each VM's boot is a test too: a splat before the first test fails it.
	[ $a = host ] || sed -i '1i -\tboot\t0\tpass\tpass\t@boot\t' "$R/plan-$a.tsv"
done
[ -n "$sel" ] || die "run: no test matches (series '${series:-any}', test '${test:-any}')"
say "run: tests selected for:$sel"

step "setup"
needs=$vms
[ "$cross" = 1 ] && needs="$needs cross"
if [ "$cross" = 1 ]; then timed setup "$H/setup.sh" cross; else timed setup "$H/setup.sh"; fi || exit 2
# Every program the chosen lanes call, before anything is built.
# shellcheck disable=SC2086
"$H/tools.sh" check $needs || exit 2
# A linux-source-6.12 newer than the pin (apt's lists: no network); whether
# the queue applies there is ./kq drift's.
pin=${KQ_PIN:-$KQ_ROOT/base/pin}
newest=$(apt-cache madison "$(kv "$pin" package)" 2>/dev/null | awk -F' *[|] *' 'NR == 1 { print $2 }') || true
if dpkg --compare-versions "${newest:-0}" gt "$(kv "$pin" version)" 2>/dev/null; then
	# The verdict of the last ./kq drift on that version, if there is one.
	verdict=$(awk -F'\t' -v v="$newest" '$1 == v && $2 == "stacked" {
		printf "%s%s%s", sep, $3, $4 != "-" ? " (" $4 ($5 != "-" ? ", " $5 : "") ")" : ""; sep = ", " }' \
		"$KQ_OUT/drift/drift.tsv" 2>/dev/null) || true
	warn "run: the archive has $(kv "$pin" package) $newest, newer than base/pin's $(kv "$pin" version); ./kq drift: ${verdict:-not run on it yet (./kq drift --version $newest)}"
fi
# KQ_STRICT_PATH=1 (./kq check's default): from here on, a PATH with only
# the programs of essential packages and of setup's: a program the harness
# calls but harness/tools.tsv does not list fails the run here as it would
# on a fresh machine.
if [ "${KQ_STRICT_PATH:-0}" = 1 ]; then
	# shellcheck disable=SC2086
	"$H/tools.sh" strict-path "$KQ_OUT/strict-path" $needs || exit 2
	export PATH=$KQ_OUT/strict-path
fi
# cross_all <kind>: the cross-builds (harness/cross.sh), if on.
cross_all() {
	[ "$cross" = 1 ] || return 0
	step "cross-builds: $1"
	timed "cross $1" "$H/cross.sh" "$1" ||
		printf 'cross\t%s\tfail\tharness/cross.sh %s stopped\n' "$1" "$1" >>"$R/builds.tsv"
}

# build_row <build> <status of its steps>: its row in builds.tsv; a
# failed one gives build.sh's error line (the package to install, or the
# log), from $KQ_OUT/build/<build>/failed.
build_row() {
	if [ "$2" = 0 ]; then
		printf 'build\t%s\tpass\t\n' "$1" >>"$R/builds.tsv"
	else
		printf 'build\t%s\tfail\t%s\n' "$1" \
			"$(cat "$KQ_OUT/build/$1/failed" 2>/dev/null ||
			   echo "build.sh stopped (see $KQ_OUT/build/$1/)")" >>"$R/builds.tsv"
	fi
}

# build <arch> <kind>: kernel and selftests, a row in builds.tsv.
build() {
	local a=$1 kind=$2 rc=0
	if [ "$kind" = base ] && no_base "$a"; then
		say "build: $a-base: not built (KQ_NO_BASE): its rows are checked on the patched kernel only"
		return 0
	fi
	timed "build $a-$kind kernel" "$H/build.sh" kernel "$a" "$kind" &&
		timed "build $a-$kind selftests" "$H/build.sh" selftests "$a" "$kind" || rc=$?
	build_row "$a-$kind" "$rc"
}

# lane_builds <arch>: the patched kernel of each selected lane of it that
# names a test_patch (arch/<lane>.conf; harness/build.sh lane), after the
# arch's own, a row each in builds.tsv.
lane_builds() {
	local k=$1 l rc
	grep -q "^build	$k-patched	pass" "$R/builds.tsv" || return 0
	for l in $sel; do
		[ "$l" != host ] && [ "$l" != "$k" ] && [ "$(arch_of "$l")" = "$k" ] || continue
		[ "$(build_of "$l" patched)" = "$l-patched" ] || continue
		rc=0
		timed "build $l-patched kernel" "$H/build.sh" lane "$l" patched || rc=$?
		build_row "$l-patched" "$rc"
	done
}

# vms_later <arch>: boot its lanes, base and patched, in the background,
# one VM at a time (a lock), while the next arch builds. Builds run at a
# lower priority (harness/build.sh), so a VM's tests get the CPU they
# would have alone.
vm_pids=
vms_later() {
	local k=$1 a kind
	(
		exec 8>"$R/vm.lock"
		flock 8
		for a in $sel; do
			[ "$a" != host ] && [ "$(arch_of "$a")" = "$k" ] || continue
			for kind in base patched; do
				timed "vm $a $kind" "$H/vmtests.sh" "$kind" "$a" ||
					warn "vm: $a $kind: harness/vmtests.sh stopped"
			done
		done
	) &
	vm_pids="$vm_pids $!"
}

step "base"; timed base "$H/base.sh" "${base_args[@]}" || exit 2
# The base tree stays at base; the patched tree is a worktree beside it,
# made before the base kernels are built (a patched build starts from a
# copy of the base's, see harness/build.sh).
timed worktree "$H/queue.sh" worktree "$KQ_PTREE" || exit 2
# The arches to build, and the first one's base kernel in the background
# while the queue is checked and applied: git am and checkpatch keep one
# of the cores busy, the build (at nice 10) gets the rest. It runs in a
# process group of its own, stopped if the run stops before it is waited
# for.
karches=$(for a in $sel; do [ "$a" = host ] || arch_of "$a"; done | sort -u)
first=$(echo "$karches" | head -n 1)
early=
stop_early() { [ -z "$early" ] || kill -TERM -- "-$early" 2>/dev/null || true; }
trap stop_early EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "$first" ]; then
	set -m
	build "$first" base &
	early=$!
	set +m
fi
mkdir -p "$KQ_OUT/queue"
# With --series NN, the queue checks and checkpatch look at that series.
step "queue: apply ${series:-each series} alone and stacked, export round trip"
timed "queue check" "$H/queue.sh" check ${series:+--series "$series"} >"$KQ_OUT/queue/check.tsv" ||
	warn "queue check found problems (see the report)"
step "queue: checkpatch --strict${series:+ (series $series)}"
timed checkpatch "$H/queue.sh" checkpatch ${series:+--series "$series"} >>"$KQ_OUT/queue/check.tsv" ||
	warn "checkpatch found problems (see the report)"


step "tree: patched (the whole queue, stacked, in $KQ_PTREE)"
timed apply "$H/queue.sh" apply --tree "$KQ_PTREE"
timed "host tests base" "$H/hosttests.sh" base
timed "host tests patched" "$H/hosttests.sh" patched
if [ -n "$early" ]; then
	say "build: waiting for $first-base"
	wait "$early" || true
	early=
fi
# Per arch: base kernel, patched kernel (a copy of the base's build,
# recompiled where the queue changed it), its lanes' test_patch kernels,
# then its VMs in the background.
for k in $karches; do
	[ "$k" = "$first" ] || build "$k" base
	build "$k" patched
	lane_builds "$k"
	vms_later "$k"
done
cross_all base
cross_all patched
# Text size of the directories the queue touches, per arch built on both
# trees (harness/textsize.sh): base vs patched, for the report.
: >"$R/textsize.tsv"
for a in $(cut -f2 "$R/builds.tsv" 2>/dev/null | sed -n 's/-patched$//p' | sort -u); do
	grep -q "^build	$a-base	pass" "$R/builds.tsv" &&
		grep -q "^build	$a-patched	pass" "$R/builds.tsv" || continue
	timed "text size $a" "$H/textsize.sh" "$a" >>"$R/textsize.tsv" ||
		warn "text size: $a: not measured"
done
if [ -n "$vm_pids" ]; then
	step "vm: waiting for the VMs still running"
	# shellcheck disable=SC2086
	timed "waiting for VMs" wait $vm_pids || warn "vm: a VM job stopped early (see above)"
fi
step "report"
printf 'run (wall)\t%d\t%d\n' $((SECONDS - t_start)) $((SECONDS - t_start)) >>"$T"
"$H/verdict.sh" && "$H/report.sh" || warn "report: verdict.sh or report.sh failed"
say "run: done in $(((SECONDS - t_start) / 60))m$(((SECONDS - t_start) % 60))s"
exec "$H/status.sh"
