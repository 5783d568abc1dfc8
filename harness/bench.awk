# SPDX-License-Identifier: GPL-2.0
#
# Benchmark figures of one VM run, from its KTAP log.
#
#   awk -f vmplan.awk -f bench.awk PLAN ktap.log > bench.tsv
#
# PLAN is the VM plan (vmplan.awk). bench.tsv, one line per benchmark and
# metric:
#   test<TAB>metric<TAB>median<TAB>unit<TAB>better<TAB>runs<TAB>min<TAB>max
# better is lower or higher. Only plan tests named bench.* that passed
# give figures, read from the output lines init echoed ("# ...") before
# their result line:
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
# A figure one test reports several times (e.g. once per guest mode) is
# averaged over that test. Tests named <bench>.run<N> are repeat runs of
# one benchmark <bench>: its figure is the median of the runs' figures,
# with their number, minimum and maximum beside it, so that a ratio of
# two kernels' medians comes with the spread it must stand out of.

/^# / { out[++nout] = substr($0, 3); next }

/^(not )?ok [0-9]+ / {
	t = $1 == "ok" ? $2 + 0 : $3 + 0
	if ($1 == "ok" && $0 !~ / # SKIP/ && vp_name[t] ~ /^bench\./)
		figures(t)
	nout = 0
	next
}

function add(metric, value, unit, better) {
	if (!((metric) in sum))
		order[++nm] = metric
	sum[metric] += value
	cnt[metric]++
	unt[metric] = unit
	bet[metric] = better
}

# The number before the trailing "s" of "<label>: 1.234567s".
function secs(s) {
	sub(/^.*: */, "", s)
	sub(/s\.?$/, "", s)
	return s + 0
}

# figures(t): test t's figures, averaged over the test, as one run of its
# benchmark.
function figures(t,    i, s, w, it, m, maxit, tool, b, k) {
	nm = 0
	split("", iter); split("", sum); split("", cnt)
	split(vp_cmd[t], w, " ")
	tool = w[1]
	sub(/^.*\//, "", tool)
	for (i = 1; i <= nout; i++) {
		s = out[i]
		if (s ~ /^kq-bench: [^ ]+ [-+0-9.eE]+ [^ ]+ (lower|higher)$/) {
			split(s, w, " ")
			add(w[2], w[3], w[4], w[5])
		} else if (tool == "vgic_lpi_stress") {
			if (s ~ /^Rate: [0-9.]+ LPIs\/sec$/) {
				split(s, w, " ")
				add("lpi_rate", w[2], "LPI/s", "higher")
			}
		} else if (tool == "dirty_log_perf_test") {
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
	b = vp_name[t]
	sub(/\.run[0-9]+$/, "", b)
	for (i = 1; i <= nm; i++) {
		m = order[i]
		k = b SUBSEP m
		if (!(k in runs))
			korder[++nk] = k
		val[k, ++runs[k]] = sum[m] / cnt[m]
		kunit[k] = unt[m]
		kbetter[k] = bet[m]
	}
}

END {
	for (i = 1; i <= nk; i++) {
		k = korder[i]
		n = runs[k]
		# Insertion sort of the few runs.
		for (a = 2; a <= n; a++)
			for (c = a; c > 1 && val[k, c - 1] > val[k, c]; c--) {
				x = val[k, c]; val[k, c] = val[k, c - 1]; val[k, c - 1] = x
			}
		med = n % 2 ? val[k, (n + 1) / 2] : (val[k, n / 2] + val[k, n / 2 + 1]) / 2
		split(k, w, SUBSEP)
		printf "%s\t%s\t%.6g\t%s\t%s\t%d\t%.6g\t%.6g\n", w[1], w[2], med,
		       kunit[k], kbetter[k], n, val[k, 1], val[k, n]
	}
}
