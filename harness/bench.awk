# SPDX-License-Identifier: GPL-2.0
#
# Benchmark figures of one VM run, from its KTAP log.
#
#   awk -f bench.awk PLAN ktap.log > bench.tsv
#
# bench.tsv: test<TAB>metric<TAB>value<TAB>unit<TAB>better (lower|higher).
# Only plan tests named bench.* that passed give figures, read from the
# output lines init echoed ("# ...") before their result line:
#
#  - "kq-bench: <metric> <value> <unit> <lower|higher>", what our own
#    benchmarks print;
#  - dirty_log_perf_test's own report (seconds), as milliseconds:
#      enable_ms        "Enabling dirty logging time"
#      iter1_ms         iteration 1: dirty memory + get + clear dirty log
#      iter_ms          the same for each later iteration, averaged
#      dirty_ms, clear_ms   dirty memory / clear dirty log time of the
#                       later iterations, averaged
#      populate_ms      "Populate memory time" (the same work on both
#                       kernels: a yardstick for the machine's speed)
#  - vgic_lpi_stress's "Rate: <n> LPIs/sec", as lpi_rate.
#
# A figure a test reports several times (e.g. once per guest mode) is
# averaged.

FILENAME == ARGV[1] {
	if ($0 ~ /^#/ || $0 ~ /^[ \t\r]*$/)
		next
	split($0, f, "\t")
	name[++ntests] = f[1]
	split(f[3], w, " ")
	tool[ntests] = w[1]
	sub(/^.*\//, "", tool[ntests])
	next
}

/^# / { out[++nout] = substr($0, 3); next }

/^(not )?ok [0-9]+ / {
	t = $1 == "ok" ? $2 + 0 : $3 + 0
	if ($1 == "ok" && $0 !~ / # SKIP/ && name[t] ~ /^bench\./)
		figures(t)
	nout = 0
	next
}

function add(metric, value, unit, better) {
	if (!((t, metric) in sum))
		order[++nm] = metric
	sum[t, metric] += value
	cnt[t, metric]++
	unt[t, metric] = unit
	bet[t, metric] = better
}

# The number before the trailing "s" of "<label>: 1.234567s".
function secs(s) {
	sub(/^.*: */, "", s)
	sub(/s\.?$/, "", s)
	return s + 0
}

function figures(t,    i, s, w, it, m, maxit) {
	nm = 0
	split("", iter)
	for (i = 1; i <= nout; i++) {
		s = out[i]
		if (s ~ /^kq-bench: [^ ]+ [-+0-9.eE]+ [^ ]+ (lower|higher)$/) {
			split(s, w, " ")
			add(w[2], w[3], w[4], w[5])
		} else if (tool[t] == "vgic_lpi_stress") {
			if (s ~ /^Rate: [0-9.]+ LPIs\/sec$/) {
				split(s, w, " ")
				add("lpi_rate", w[2], "LPI/s", "higher")
			}
		} else if (tool[t] == "dirty_log_perf_test") {
			if (s ~ /^Enabling dirty logging time: /)
				add("enable_ms", secs(s) * 1000, "ms", "lower")
			else if (s ~ /^Populate memory time: /)
				add("populate_ms", secs(s) * 1000, "ms", "lower")
			else if (s ~ /^Iteration [0-9]+ (dirty memory|get dirty log|clear dirty log) time: /) {
				split(s, w, " ")
				it = w[2] + 0
				iter[it] += secs(s) * 1000
				if (it > maxit)
					maxit = it
				if (it > 1 && w[3] == "dirty")
					add("dirty_ms", secs(s) * 1000, "ms", "lower")
				if (it > 1 && w[3] == "clear")
					add("clear_ms", secs(s) * 1000, "ms", "lower")
			} else if (s ~ /^Disabling dirty logging time: /) {
				# One guest mode done: its iterations.
				for (it = 1; it <= maxit; it++)
					add(it == 1 ? "iter1_ms" : "iter_ms", iter[it], "ms", "lower")
				split("", iter)
				maxit = 0
			}
		}
	}
	for (i = 1; i <= nm; i++) {
		m = order[i]
		printf "%s\t%s\t%.6g\t%s\t%s\n", name[t], m, sum[t, m] / cnt[t, m],
		       unt[t, m], bet[t, m]
	}
}
