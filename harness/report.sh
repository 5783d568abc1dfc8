#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Join the plans with the base and patched results of the last run.
# Writes $KQ_OUT/report.txt (for people, also printed), report.tsv (one
# row per test and arch) and report-meta.tsv (what was tested with what).
#
#   report.sh                 the last run in $KQ_OUT
#   report.sh --from DIR...   the runs of several machines, one report
#                             (harness/merge.sh gathers them first)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

merged=0
if [ "${1:-}" = --from ]; then
	shift
	merged=1
	"$KQ_ROOT/harness/merge.sh" "$@" && "$KQ_ROOT/harness/verdict.sh" || exit 2
elif [ $# -gt 0 ]; then
	die "report: unknown argument '$1' (report.sh [--from DIR...])"
fi
# commit <base|queue>: its id in the tree, or, for a report gathered from
# other machines' runs (--from), the first run's.
commit() {
	if [ $merged = 1 ]; then
		sed -n "s/^$2\t//p" "$KQ_OUT/merged-meta.tsv" | grep . || echo -
	else
		git -C "$KQ_TREE" rev-parse -q --verify "$1" 2>/dev/null || echo -
	fi
}

R=$KQ_OUT/results
[ -d "$R" ] || die "report: no results in $R (run ./kq run first)"
info=$KQ_OUT/base.info

meta() { printf '%s\t%s\n' "$1" "$2"; }
{
	meta kernel "$(kv "$info" kernel)"
	meta base_source "$(kv "$info" source)"
	meta base_package "$(kv "$info" package) $(kv "$info" version)"
	meta base_sha256 "$(kv "$info" sha256)"
	meta base_commit "$(commit base base_commit)"
	meta patched_commit "$(commit queue patched_commit)"
	if [ $merged = 1 ]; then
		# The tools of the runs, not of the machine that gathers them.
		grep -E '^(qemu_|gcc_|git'"$(printf '\t')"')' "$KQ_OUT/merged-meta.tsv" || true
	else
		for a in $KQ_ARCHES; do
			q=$(arch_get "$a" qemu) c=$(arch_get "$a" cross)gcc
			meta "qemu_$a" "$($q --version 2>/dev/null | head -n 1 || echo missing)"
			meta "gcc_$a" "$($c --version 2>/dev/null | head -n 1 || echo missing)"
		done
		meta git "$(git --version)"
	fi
	meta date "$(date -u +%FT%TZ)"
	# The run's steps (harness/run.sh): "time <step>" -> seconds.
	[ ! -s "$KQ_OUT/steps.tsv" ] ||
		awk -F'\t' '{ printf "time %s\t%d\n", $1, $2 }' "$KQ_OUT/steps.tsv"
} >"$KQ_OUT/report-meta.tsv"

# The verdicts (harness/verdict.sh, run before this). report.tsv is the
# same table without its header line, for tools that read it so.
T=$KQ_OUT/verdict.tsv
[ -s "$T" ] || die "report: no $T (harness/verdict.sh writes it)"
tail -n +2 "$T" >"$KQ_OUT/report.tsv"

# For dashboards: report.junit.xml (harness/junit.awk), report.json
# (harness/json.awk) and each VM's KTAP as results/<vm>-<kind>.ktap
# (what kunit.py parse reads).
awk -v kernel="$(kv "$info" kernel)" -v nobase="$(cd "$R/base" 2>/dev/null && ls -d -- */not-booted 2>/dev/null | sed 's|/not-booted||' | tr '\n' ' ')" \
	-f "$KQ_ROOT/harness/junit.awk" "$T" >"$KQ_OUT/report.junit.xml"
awk -f "$KQ_ROOT/harness/json.awk" "$KQ_OUT/report-meta.tsv" "$T" >"$KQ_OUT/report.json"
for f in "$R"/base/*/ktap.log "$R"/patched/*/ktap.log; do
	[ -s "$f" ] || continue
	d=${f%/ktap.log} k=${f#"$R"/}; k=${k%%/*}
	cp "$f" "$R/${d##*/}-$k.ktap"
done

# report-size.tsv: arch dir base_text patched_text (see textsize.sh).
cp "$R/textsize.tsv" "$KQ_OUT/report-size.tsv" 2>/dev/null || : >"$KQ_OUT/report-size.tsv"

# report-cross.tsv: arch kind result warnings new seconds detail (cross.sh).
cp "$R/cross.tsv" "$KQ_OUT/report-cross.tsv" 2>/dev/null || rm -f "$KQ_OUT/report-cross.tsv"

# report-bench.tsv: series arch test metric base patched unit better
# base_runs patched_runs base_spread patched_spread, from the bench.tsv of
# each VM run (see bench.awk): base and patched are medians over the runs,
# a spread is (max - min) / median in percent.
for f in "$R"/plan-*.tsv; do
	[ -f "$f" ] || continue
	a=${f##*/plan-}; a=${a%.tsv}
	bf=$R/base/$a/bench.tsv pf=$R/patched/$a/bench.tsv
	[ -s "$bf" ] || bf=/dev/null
	[ -s "$pf" ] || pf=/dev/null
	[ "$bf$pf" != /dev/null/dev/null ] || continue
	awk -F'\t' -v OFS='\t' -v arch="$a" '
	FILENAME == ARGV[1] { sub(/\.run[0-9]+$/, "", $2); ser[$2] = $1; next }
	{ k = $1 SUBSEP $2
	  if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	  s = FILENAME == ARGV[2] ? "b" : "p"
	  v[s, k] = $3; u[k] = $4; bt[k] = $5
	  runs[s, k] = $6; spread[s, k] = $3 > 0 ? sprintf("%.1f", 100 * ($8 - $7) / $3) : "" }
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			split(k, x, SUBSEP)
			print ser[x[1]], arch, x[1], x[2], v["b", k], v["p", k], u[k], bt[k],
			      runs["b", k], runs["p", k], spread["b", k], spread["p", k]
		}
	}' "$f" "$bf" "$pf"
done >"$KQ_OUT/report-bench.tsv"

{
	printf 'kq report: Linux %s, %s (sha256 %.12s)\n' "$(kv "$info" kernel)" \
		"$(sed -n 's/^base_package\t//p' "$KQ_OUT/report-meta.tsv")" "$(kv "$info" sha256)"
	printf 'base %.12s, patched %.12s, %s\n\n' "$(commit base base_commit)" \
		"$(commit queue patched_commit)" \
		"$(sed -n 's/^qemu_arm64\t//p' "$KQ_OUT/report-meta.tsv")"

	echo "Queue (each series applied alone on base, then all stacked):"
	awk -F'\t' '
	{ nn = $2; sub(/[-\/].*/, "", nn)
	  if (!(nn in seen)) { seen[nn] = 1; order[++n] = nn }
	  if ($1 != "checkpatch") name[nn] = $2
	  k = $1; v[nn, k] = (v[nn, k] == "" || v[nn, k] == "pass") ? $3 : v[nn, k]
	  if ($1 == "checkpatch") { cp[nn]++; if ($3 == "pass") cpok[nn]++ }
	  if ($3 == "fail" && $4 != "") why[nn] = why[nn] "\n      " $1 ": " $4 }
	END {
		printf "  %-34s %-6s %-8s %-10s %s\n", "series", "alone", "stacked", "roundtrip", "checkpatch"
		for (i = 1; i <= n; i++) {
			s = order[i]
			printf "  %-34s %-6s %-8s %-10s %d/%d%s\n", name[s] != "" ? name[s] : s,
			       v[s, "apply-alone"], v[s, "apply-stacked"], v[s, "roundtrip"],
			       cpok[s], cp[s], why[s]
		}
	}' "$KQ_OUT/queue/check.tsv" 2>/dev/null || echo "  (no queue check results)"
	if [ -s "$KQ_OUT/queue/skipped.tsv" ]; then
		echo "  already in base (skipped):"
		sed 's/^/    /' "$KQ_OUT/queue/skipped.tsv"
	fi
	echo

	nobase_vms=$(cd "$R/base" 2>/dev/null && ls -d -- */not-booted 2>/dev/null | sed 's|/not-booted||' | tr '\n' ' ') || true
	if [ -n "$nobase_vms" ]; then
		echo "No base kernel for: ${nobase_vms% } (KQ_NO_BASE; ./kq check sets it for x86_64)."
		echo "Their rows are judged by the patched kernel alone; ./kq run boots both."
		echo
	fi
	echo "Tests, base -> patched (pass/fail/skip counts, splats, time):"
	awk -F'\t' '
	# A test not in that tree, or not run there on purpose, is not counted.
	function cnt(r) { return r == "pass" ? "p" : (r == "skip" ? "s" : (r ~ /^(absent|notrun)$/ ? "-" : "f")) }
	{ k = ($1 == "-" ? "baseline" : $1) SUBSEP $2
	  if (!(k in n)) order[++m] = k
	  n[k]++; c["b", k, cnt($5)]++; c["p", k, cnt($7)]++
	  sb[k] += $11; sp[k] += $12; tb[k] += $9; tp[k] += $10; v[k, $8]++ }
	END {
		printf "  %-9s %-13s %5s  %-9s %-9s %-7s %-15s %s\n", "series", "arch", "tests",
		       "base", "patched", "splats", "time", "verdict"
		for (i = 1; i <= m; i++) {
			k = order[i]; split(k, x, SUBSEP)
			verdict = v[k, "FAIL"] ? v[k, "FAIL"] " FAILED" : (v[k, "proven"] ? "proven" : "as expected")
			printf "  %-9s %-13s %5d  %-9s %-9s %-7s %-15s %s\n", x[1], x[2], n[k],
			       c["b", k, "p"]+0 "/" c["b", k, "f"]+0 "/" c["b", k, "s"]+0,
			       c["p", k, "p"]+0 "/" c["p", k, "f"]+0 "/" c["p", k, "s"]+0,
			       sb[k] "/" sp[k], sprintf("%.0fs/%.0fs", tb[k] / 1000, tp[k] / 1000), verdict
		}
	}' "$KQ_OUT/report.tsv"
	echo
	echo "Series tests, and every result not as expected or not a plain pass:"
	awk -F'\t' '
	BEGIN { printf "  %-13s %-34s %-12s %-8s %-8s %-7s %s\n", "arch", "test", "expect", "base", "patched", "verdict", "why" }
	$1 != "-" || $8 != "pass" {
		why = $13 != "" ? $13 : $14
		printf "  %-13s %-34s %-12s %-8s %-8s %-7s %s\n", $2, $3, $4 "/" $6, $5, $7, $8, why
	}' "$KQ_OUT/report.tsv"
	if [ -s "$KQ_OUT/report-bench.tsv" ]; then
		echo
		echo "Benchmarks, A/B: the same binary on the base and the patched kernel"
		echo "(speedup = base/patched for times, patched/base for rates; > 1 is better;"
		echo "medians of the runs; spread = (max - min) / median of each side's runs):"
		awk -F'\t' '
		BEGIN { printf "  %-6s %-13s %-26s %-12s %12s %12s %9s %5s %s\n", "series", "arch", "test", "metric", "base", "patched", "speedup", "runs", "spread" }
		{
			b = $5 == "" ? "-" : $5 " " $7
			p = $6 == "" ? "-" : $6 " " $7
			x = "-"
			if ($5 + 0 > 0 && $6 + 0 > 0)
				x = sprintf("%.2fx", $8 == "higher" ? $6 / $5 : $5 / $6)
			r = ($9 == "" ? "-" : $9) "/" ($10 == "" ? "-" : $10)
			sp = $9 + $10 > 2 ? ($11 == "" ? "-" : $11 "%") " / " ($12 == "" ? "-" : $12 "%") : ""
			printf "  %-6s %-13s %-26s %-12s %12s %12s %9s %5s %s\n", $1, $2, $3, $4, b, p, x, r, sp
		}' "$KQ_OUT/report-bench.tsv"
	fi
	if [ -s "$R/textsize.tsv" ]; then
		echo
		echo "Text size, base -> patched (bytes of size(1) text of the objects each"
		echo "directory links into vmlinux, KUnit suites left out; symbol by symbol in"
		echo "$R/textsize-<arch>.bloat):"
		awk -F'\t' '
		BEGIN { printf "  %-12s %-10s %10s %10s %8s %8s\n", "arch", "dir", "base", "patched", "delta", "ratio" }
		{
			r = $3 + 0 > 0 && $4 + 0 > 0 ? sprintf("%.4f", $4 / $3) : "-"
			d = $3 + 0 > 0 && $4 + 0 > 0 ? sprintf("%+d", $4 - $3) : "-"
			printf "  %-12s %-10s %10s %10s %8s %8s\n", $1, $2, $3, $4, d, r
		}' "$R/textsize.tsv"
	fi
	if [ -s "$R/cross.tsv" ]; then
		echo
		echo "Cross-builds, base -> patched (harness/cross.sh: defconfig + configs/cross/,"
		echo "W=1; mm/, fs/proc/, arch/<arch>/mm/ and the queue's other .c files):"
		awk -F'\t' -v R="$R" '
		{ if (!(($1) in seen)) { seen[$1] = 1; order[++n] = $1 }
		  res[$1, $2] = $3; w[$1, $2] = $4; t[$1, $2] = $6
		  if ($2 == "patched") nw[$1] = $5; if ($7 != "") why[$1] = why[$1] "\n      " $2 ": " $7 }
		END {
			printf "  %-12s %-8s %-8s %-9s %5s  %-11s %s\n", "arch", "base", "patched",
			       "warnings", "new", "time", "verdict"
			for (i = 1; i <= n; i++) {
				a = order[i]; b = res[a, "base"]; p = res[a, "patched"]
				v = b == "pass" && p == "pass" && nw[a] == "0" ? "pass" : "FAIL"
				printf "  %-12s %-8s %-8s %-9s %5s  %-11s %s%s\n", a, b == "" ? "notrun" : b,
				       p == "" ? "notrun" : p, (w[a, "base"] == "" ? "-" : w[a, "base"]) "/" \
				       (w[a, "patched"] == "" ? "-" : w[a, "patched"]), nw[a] == "" ? "-" : nw[a],
				       sprintf("%ds/%ds", t[a, "base"], t[a, "patched"]), v, why[a]
				f = R "/cross-" a ".new"; m = 0
				while ((getline line < f) > 0)
					if (++m <= 5) print "      new: " line
				if (m > 5) printf "      ... %d more in %s\n", m - 5, f
			}
		}' "$R/cross.tsv"
	fi
	if [ -s "$R/builds.tsv" ] && grep -q '	fail	' "$R/builds.tsv"; then
		echo; echo "Build failures:"; grep '	fail	' "$R/builds.tsv" | cut -f2,4 | sed 's/^/  /'
	fi
	if [ -s "$KQ_OUT/steps.tsv" ]; then
		echo
		echo "Time per step (VMs boot while the next arch builds, so steps overlap):"
		printf '  %-38s %8s %8s\n' step "start s" seconds
		sort -t "$(printf '\t')" -k3,3n -s "$KQ_OUT/steps.tsv" |
			awk -F'\t' '{ printf "  %-38s %8d %8d\n", $1, $3, $2 }'
	fi
	echo
	echo "Files: $KQ_OUT/report.tsv, $KQ_OUT/report-meta.tsv, report-bench.tsv, report-size.tsv, report-cross.tsv,"
	echo "  report.junit.xml, report.json; KTAP in $R/<vm>-<kind>.ktap, consoles in $R/<kind>/<vm>/"
} >"$KQ_OUT/report.txt"
cat "$KQ_OUT/report.txt"
# A report gathered from several runs exits as a run does.
[ $merged = 0 ] || exec "$KQ_ROOT/harness/status.sh"
