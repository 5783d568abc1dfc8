#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One report from runs made on several machines (or LAVA workers), each
# of some VMs (./kq run --arch A on each): their results gathered into
# $KQ_OUT, then verdict.sh and report.sh as after one run.
#
#   merge.sh DIR...       (./kq report --from DIR...: DIR is a run's out/)
#
# Every DIR must have tested the same base tarball (base.info's sha256)
# and the same queue (report-meta.tsv's patched commit); a VM may come
# from one DIR only. The host tests and queue checks, which every run
# does alike, come from the first DIR, with its tool versions; the
# builds, VMs, text sizes and cross-builds from each; steps.tsv keeps
# every run's steps, prefixed with the DIR as given. Everything is
# checked before $KQ_OUT is touched, and $KQ_OUT must not hold a run of
# its own (its trees and queue state stay out of this).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "report: --from needs at least one run's out dir"
R=$KQ_OUT/results
[ ! -e "$KQ_OUT/linux" ] && [ ! -e "$KQ_OUT/queue/applied.tsv" ] ||
	die "report: --from: $KQ_OUT holds a run of its own (linux/, queue/): gather into another dir (KQ_OUT=out/all)"
first= seen=
for d; do
	[ -d "$d/results" ] && [ -f "$d/base.info" ] && [ -f "$d/report-meta.tsv" ] ||
		die "report: --from $d: not the out dir of a finished ./kq run (no results/, base.info or report-meta.tsv)"
	[ "$(realpath -m -- "$d")" != "$(realpath -m -- "$KQ_OUT")" ] ||
		die "report: --from $d: that is the out dir the report is written to (set KQ_OUT)"
	if [ -z "$first" ]; then first=$d; continue; fi
	[ "$(kv "$d/base.info" sha256)" = "$(kv "$first/base.info" sha256)" ] ||
		die "report: --from $d tested another base ($(kv "$d/base.info" version)) than $first ($(kv "$first/base.info" version))"
	a=$(sed -n 's/^patched_commit\t//p' "$d/report-meta.tsv")
	b=$(sed -n 's/^patched_commit\t//p' "$first/report-meta.tsv")
	[ "$a" = "$b" ] || die "report: --from $d tested another queue ($a) than $first ($b)"
done
for d; do
	for f in "$d"/results/plan-*.tsv; do
		[ -f "$f" ] || continue
		v=${f##*/plan-}; v=${v%.tsv}
		[ "$v" != host ] || continue
		case " $seen " in *" $v "*) die "report: --from: VM $v is in more than one run (one VM per machine); the second: $d" ;; esac
		seen="$seen $v"
	done
done
mkdir -p "$KQ_OUT"
exec 7>"$KQ_OUT/run.lock"
flock -n 7 || die "report: --from: another ./kq run or report is using $KQ_OUT"

rm -rf "$R" "$KQ_OUT/queue" "$KQ_OUT/verdict.tsv" "$KQ_OUT"/report*
mkdir -p "$R" "$KQ_OUT/queue"
cp "$first/base.info" "$KQ_OUT/"
cp "$first/report-meta.tsv" "$KQ_OUT/merged-meta.tsv"
cp "$first/queue/check.tsv" "$first/queue/skipped.tsv" "$KQ_OUT/queue/" 2>/dev/null || true
: >"$KQ_OUT/steps.tsv"
n=0
for d; do
	for f in "$d"/results/plan-*.tsv; do
		[ -f "$f" ] || continue
		v=${f##*/plan-}; v=${v%.tsv}
		[ "$v" != host ] || [ ! -f "$R/plan-$v.tsv" ] || continue
		cp "$f" "$R/"
		for kind in base patched; do
			[ ! -d "$d/results/$kind/$v" ] || { mkdir -p "$R/$kind" && cp -a "$d/results/$kind/$v" "$R/$kind/"; }
		done
		[ "$v" = host ] || n=$((n + 1))
	done
	for t in builds textsize cross; do
		[ ! -f "$d/results/$t.tsv" ] || cat "$d/results/$t.tsv" >>"$R/$t.tsv.all"
	done
	for f in "$d"/results/cross-*.new "$d"/results/textsize-*.bloat; do
		[ ! -f "$f" ] || cp "$f" "$R/"
	done
	[ ! -f "$d/steps.tsv" ] ||
		awk -F'\t' -v OFS='\t' -v n="${d%/}" '{ $1 = n ": " $1; print }' "$d/steps.tsv" >>"$KQ_OUT/steps.tsv"
done
for t in builds textsize cross; do
	[ ! -f "$R/$t.tsv.all" ] || { awk '!seen[$0]++' "$R/$t.tsv.all" >"$R/$t.tsv" && rm "$R/$t.tsv.all"; }
done
say "report: $n VMs from $# runs gathered in $KQ_OUT"
