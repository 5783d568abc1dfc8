#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.awk on a recorded KTAP log (tests/data/bench): a real
# dirty_log_perf_test run of four guest modes (figures averaged over the
# modes, iteration 1 apart from the later ones), kq-bench lines of our own
# (two samples averaged, a malformed one ignored), a bench test that
# failed (no figures), a test that is not a benchmark (ignored), two
# vgic_lpi_stress rates (averaged) and four repeat runs of one benchmark
# (bench.rep.run1..4, one failed: median, min and max of the other three).
. "$(dirname "$0")/vmtestlib"

d=$ROOT/tests/data/bench
awk -f "$ROOT/harness/vmplan.awk" -f "$ROOT/harness/bench.awk" "$d/plan" "$d/ktap.log" >"$W/out.tsv" ||
	fail "bench.awk failed"
diff -u "$d/expected.tsv" "$W/out.tsv" >"$W/diff" ||
	fail "figures differ: $(grep '^[-+][^-+]' "$W/diff" | head -n 4 | tr '\t\n' ' |' | tr -cd '[:print:]')"
pass "bench.awk reads $(wc -l <"$d/expected.tsv") figures from a recorded dirty_log_perf_test run, vgic_lpi_stress rates and kq-bench lines, medians of repeat runs, none from failed or non-bench tests"
