#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The verdict of each planned test row, from the plans the run selected
# ($KQ_OUT/results/plan-<vm>.tsv) and what the base and the patched
# kernel gave ($KQ_OUT/results/<kind>/<vm>/results.tsv). Writes
# $KQ_OUT/verdict.tsv, the one table that report.sh renders and that
# status.sh and check.sh count, with a header line naming its columns:
#
#   series arch test expect_base base expect_patched patched verdict
#   base_ms patched_ms base_splats patched_splats reason detail
#
# verdict: pass (as expected, passing), skip (as expected, not a pass),
# proven (patched passes where base, as planned, does not), FAIL (a
# kernel did not give what the plan expects). A VM whose base was not
# booted by choice (KQ_NO_BASE) is judged by its patched kernel alone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

R=$KQ_OUT/results
[ -d "$R" ] || die "verdict: no results in $R (run ./kq run first)"
# rows: one line per planned row of every VM (and the host).
rows() {
	local f a nb
	for f in "$R"/plan-*.tsv; do
		[ -f "$f" ] || continue
		a=${f##*/plan-}; a=${a%.tsv}
		# A base the run did not boot by choice (KQ_NO_BASE): every row is
		# judged by the patched kernel alone.
		nb=0; [ ! -f "$R/base/$a/not-booted" ] || nb=1
		awk -F'\t' -v OFS='\t' -v arch="$a" -v nobase=$nb \
		    -v bf="$R/base/$a/results.tsv" -v pf="$R/patched/$a/results.tsv" '
		function load(file, k,   line, x) {
			while ((getline line < file) > 0) {
				split(line, x, "\t")
				res[k, x[1]] = x[2]; ms[k, x[1]] = x[3]
				spl[k, x[1]] = x[4]; det[k, x[1]] = x[5]
			}
		}
		# What a result counts as against an expectation.
		function norm(r) { return r == "" ? "notrun" : (r == "timeout" ? "fail" : r) }
		BEGIN { load(bf, "b"); load(pf, "p") }
		{
			n = $2; b = norm(res["b", n]); p = norm(res["p", n])
			okb = nobase || (b == $4); okp = (p == $5)
			if (!okb || !okp) v = "FAIL"
			else if (nobase) v = ($5 == "pass") ? "pass" : "skip"
			else if ($5 == "pass" && $4 != "pass" && $4 != "notrun") v = "proven"
			else if ($5 == "pass") v = "pass"
			else v = "skip"
			d = det["p", n] != "" ? det["p", n] : det["b", n]
			if (!okb && det["b", n] != "") d = "base: " det["b", n]
			print $1, arch, n, $4, res["b", n] == "" ? "notrun" : res["b", n], $5,
			      res["p", n] == "" ? "notrun" : res["p", n], v, ms["b", n] + 0,
			      ms["p", n] + 0, spl["b", n] + 0, spl["p", n] + 0, $7, d
		}' "$f"
	done
}

{
	printf 'series\tarch\ttest\texpect_base\tbase\texpect_patched\tpatched\tverdict'
	printf '\tbase_ms\tpatched_ms\tbase_splats\tpatched_splats\treason\tdetail\n'
	rows
} >"$KQ_OUT/verdict.tsv"
