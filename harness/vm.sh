#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh --arch A --kernel IMAGE --plan PLAN [--bin DIR] [--append "..."]
#       [--qemu-extra "..."] [--margin S | --limit S] [--label L] --out DIR
#
# Boot IMAGE under QEMU with the test initramfs, run PLAN in it and leave in
# DIR: initramfs.cpio, console.log, qemu.err, results.tsv (see console.awk),
# ktap.log (init's KTAP, as accepted by kunit.py parse) and kunit-parse.log.
# The whole run is limited to the sum of the plan's timeouts plus a boot
# margin (--margin, $KQ_BOOT_MARGIN, default 120 s), or to --limit seconds.
# Exit status: 0 when results.tsv was written (whatever the tests gave),
# 1 when the run could not be done or parsed, or QEMU failed, 2 for a
# usage error. Progress lines start with --label (default: the arch).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: vm.sh --arch A --kernel IMAGE --plan PLAN [--bin DIR]" \
	     "[--append ARGS] [--qemu-extra ARGS] [--margin S | --limit S]" \
	     "[--label L] --out DIR" >&2
	exit 2
}

arch= kernel= plan= bin= append= extra= out= limit= label=
margin=${KQ_BOOT_MARGIN:-120}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--arch) arch=$2 ;;
	--kernel) kernel=$2 ;;
	--plan) plan=$2 ;;
	--bin) bin=$2 ;;
	--append) append=$2 ;;
	--qemu-extra) extra=$2 ;;
	--margin) margin=$2 ;;
	--limit) limit=$2 ;;
	--out) out=$2 ;;
	--label) label=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ -n "$arch" ] && [ -n "$kernel" ] && [ -n "$plan" ] && [ -n "$out" ] || usage
label=${label:-$arch}
# kunit.py parse runs from the kernel tree: --out relative to here won't do.
case $out in /*) ;; *) out=$PWD/$out ;; esac
[ -f "$kernel" ] || die "no kernel image '$kernel'"
[ -f "$plan" ] || die "no plan '$plan'"

# Check the plan here rather than in the VM (harness/vmplan.awk); the
# watchdog below needs each test's timeout, the limit their sum.
mkdir -p "$out" || die "cannot create '$out'"
awk -v vp_list=1 -f "$KQ_ROOT/harness/vmplan.awk" "$plan" >"$out/plan.timeouts" ||
	die "bad plan '$plan'"
set -- $(awk -F'\t' '{ s += $2 } END { print s + 0, NR }' "$out/plan.timeouts")
[[ $margin =~ ^[0-9]+$ && $limit =~ ^[0-9]*$ ]] || die "bad --margin/--limit"
limit=${limit:-$(($1 + margin))} ntests=$2

qemu=$(arch_get "$arch" qemu)
need_tool "$qemu" "$(arch_get "$arch" qemu_pkg)"
need_tool timeout coreutils
rm -f "$out"/{console.log,qemu.err,results.tsv,ktap.log,ktap.counts,kunit-parse.log}
"$KQ_ROOT/harness/initramfs.sh" "$arch" "$out/initramfs.cpio" "$plan" ${bin:+"$bin"} ||
	die "cannot build the initramfs"

# Word splitting of qemu_args and --qemu-extra is intended.
cmd=("$qemu" $(arch_get "$arch" qemu_args) -nographic -no-reboot
     -kernel "$kernel" -initrd "$out/initramfs.cpio"
     -append "console=$(arch_get "$arch" console) panic=-1 printk.time=1 $(arch_get "$arch" append) $append"
     $extra)
printf '%q ' "${cmd[@]}" >"$out/qemu.cmd"
echo >>"$out/qemu.cmd"

say "$label: booting $(basename "$kernel") for $ntests tests (limit ${limit}s)"
start=$SECONDS
timeout -k 10 "$limit" "${cmd[@]}" </dev/null >"$out/console.log" 2>"$out/qemu.err" &
qpid=$!
# If we are stopped (Ctrl-C, a CI limit), QEMU must not outlive us: timeout
# does not pass on every signal to it.
trap 'pkill -KILL -P $qpid 2>/dev/null; kill $qpid 2>/dev/null' EXIT
trap 'exit 130' INT TERM HUP
touch "$out/console.log"		# for tail, even before QEMU opens it

# Progress: one line per finished test, while QEMU runs. Also a watchdog:
# init kills a test at its own timeout, so a test that outlives it by
# $grace (or a boot that never reaches the first test) means the whole
# guest is stuck; stop QEMU then rather than wait for the global limit.
grace=${KQ_VM_GRACE:-60}
rm -f "$out/stuck"
tail -n +1 -s 0.5 --pid=$qpid -f "$out/console.log" 2>/dev/null | {
	declare -A tmo
	while IFS=$'\t' read -r n t; do tmo[$n]=$t; done <"$out/plan.timeouts"
	deadline=$((SECONDS + margin)) what="boot"
	while :; do
		if IFS= read -r -t 5 line; then
			line=${line%$'\r'}
			case $line in
			*"] kq: begin "*)
				set -- ${line#*] kq: begin }
				what="test $2" deadline=$((SECONDS + ${tmo[$2]:-60} + grace)) ;;
			*"] kq: end "*)
				set -- ${line#*] kq: end }
				what="after test $2" deadline=$((SECONDS + grace))
				say "  $label [$1/$ntests] $2: $3 ($4)" ;;
			*"] Kernel panic - not syncing"*)
				say "  $label: ${line#*] }" ;;
			esac
		elif [ $? -le 128 ]; then
			break			# QEMU is gone
		fi
		if [ $SECONDS -gt $deadline ]; then
			warn "$arch: no progress at $what for too long: the guest is stuck, stopping QEMU"
			echo "$what" >"$out/stuck"
			pkill -KILL -P $qpid
			break
		fi
	done
	cat >/dev/null
} &
tpid=$!

wait $qpid
rc=$?
wait $tpid
[ -f "$out/stuck" ] && rc=137
timedout=0 status=0
case $rc in
0) ;;
124|137) timedout=1
	[ -f "$out/stuck" ] || warn "$arch: VM killed after ${limit}s" ;;
*) status=1; warn "$arch: $qemu exited with status $rc, see $out/qemu.err" ;;
esac
say "$label: VM ran $((SECONDS - start))s"

awk -f "$KQ_ROOT/harness/vmplan.awk" -f "$KQ_ROOT/harness/console.awk" -v timedout=$timedout \
	-v ktap="$out/ktap.log" -v counts="$out/ktap.counts" \
	"$plan" "$out/console.log" >"$out/results.tsv" ||
	die "cannot parse $out/console.log"
touch "$out/ktap.log"

# The kernel's own KTAP parser must read the run as we do.
kunit=$KQ_TREE/tools/testing/kunit/kunit.py
if [ -s "$out/ktap.log" ] && command -v python3 >/dev/null && [ -f "$kunit" ]; then
	timeout 120 python3 "$kunit" parse "$out/ktap.log" >"$out/kunit-parse.log" 2>&1
	theirs=$(sed 's/\x1b\[[0-9;]*m//g' "$out/kunit-parse.log" |
		awk '/Testing complete/ {
			for (i = 1; i <= NF; i++)
				c[$i] = $(i + 1) + 0
			printf "passed %d failed %d crashed %d skipped %d\n",
			       c["passed:"], c["failed:"], c["crashed:"], c["skipped:"]
		}')
	ours=$(cat "$out/ktap.counts")
	[ "$theirs" = "$ours" ] ||
		warn "$arch: kunit.py parse reads '$theirs', we read '$ours' ($out/kunit-parse.log)"
fi

awk -F'\t' -v arch="$label" '
	NR > 1 { n[$2]++ }
	$2 != "pass" && $2 != "skip" {
		printf "  %s %s: %s %s\n", arch, $1, $2, $5 > "/dev/stderr"
	}
	END {
		printf "%s: %d passed, %d failed, %d skipped, %d timeout, %d not run\n",
		       arch, n["pass"], n["fail"], n["skip"], n["timeout"], n["notrun"] > "/dev/stderr"
	}' "$out/results.tsv"
exit $status
