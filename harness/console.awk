# SPDX-License-Identifier: GPL-2.0
#
# Turn a test VM's console log into per-test results.
#
#   awk -f vmplan.awk -f console.awk [-v ktap=KTAP.log] [-v counts=FILE] \
#	[-v timedout=1] PLAN console.log > results.tsv
#
# PLAN is the VM plan (vmplan.awk). results.tsv:
# name<TAB>result<TAB>ms<TAB>splats<TAB>detail, one row for the pseudo-test
# "boot" (splats before the first test), then one per plan test. result is
# pass, fail, skip, timeout or notrun.
#
# Kernel lines start with "[    1.234567] " (printk.time=1). init writes
# "kq: begin N name" and "kq: end N name result Nms" to the kernel log, so
# a splat belongs to the test whose markers enclose it; one between two
# tests, or after the last (shutdown), belongs to the one before.
# Everything else from the "KTAP version" line on is init's KTAP, copied
# to the ktap file. counts gets how the KTAP alone reads: "passed P failed
# F crashed C skipped S" (crashed: no result line), to compare with
# kunit.py parse. timedout=1 says the VM was killed
# by the host's timeout: the test running then hung.

BEGIN {
	cur = 0		# test running now, by its markers
	last = 0	# test that ended last
	started = 0	# saw "KTAP version"
	panicked = 0
	inrep = 0	# in a splat report: more matches are part of it
}

function splat_line(s) {
	return s ~ /WARNING:|BUG:|kernel BUG at|(^|Internal error: )Oops|Kernel panic|KASAN:|UBSAN:/ ||
	       s ~ /possible circular locking dependency|possible recursive locking|inconsistent lock state|suspicious RCU usage|bad unlock balance/ ||
	       s ~ /list_add corruption|list_del corruption|general protection fault|Unable to handle kernel/ ||
	       s ~ /rcu: INFO: rcu_[a-z_]* detected stall|self-detected stall|INFO: task .* blocked for more than|soft lockup/
}

function kernel_line(s, ts,    t, n, w) {
	sub(/^\[ *[CT][0-9]+\] /, "", s)	# PRINTK_CALLER
	if (s ~ /^kq: (begin|end) /)
		inrep = 0	# no report spans two tests
	if (s ~ /^kq: begin [0-9]+ /) {
		split(s, w, " ")
		cur = w[3] + 0
		began[cur] = 1
		if (!bootms)
			bootms = int(ts * 1000)
		return
	}
	if (s ~ /^kq: end [0-9]+ /) {
		n = split(s, w, " ")
		t = w[3] + 0
		kres[t] = w[n - 1]
		kms[t] = w[n]
		sub(/ms$/, "", kms[t])
		cur = 0
		last = t
		return
	}
	if (s ~ /---\[ end trace/) {
		inrep = 0
		return
	}
	if (s ~ /-----\[ cut here \]-----/) {
		inrep = 1
		counted = 0
		replines = 0
		return
	}
	if (inrep && ++replines > 100)
		inrep = 0	# a report without an end line
	if (!splat_line(s))
		return
	# Which test: the running one, else the one that ended last.
	t = cur ? cur : last
	if (s ~ /Kernel panic - not syncing/) {
		panicked = 1
		ptest = t
		panicmsg = s
		sub(/^.*not syncing: */, "", panicmsg)
	}
	if (inrep && counted)
		return
	inrep = 1
	counted = 1
	replines = 0
	splats[t]++
	if (!(t in firstsplat))
		firstsplat[t] = s
}

function ktap_line(s,    n, w, t) {
	if (!started) {
		if (s !~ /^KTAP version /)
			return
		started = 1
	}
	if (ktap != "")
		print s > ktap
	if (s ~ /^# kq: (exit status|killed by signal|timeout after|pid .* does not die)/) {
		diag = s
		sub(/^# kq: /, "", diag)
	} else if (s ~ /^(not )?ok [0-9]+ /) {
		n = split(s, w, " ")
		t = (w[1] == "ok") ? w[2] + 0 : w[3] + 0
		if (s ~ / # SKIP/) {
			kv[t] = "skip"
			kdetail[t] = s
			sub(/^[^#]* # SKIP */, "", kdetail[t])
		} else if (w[1] == "ok") {
			kv[t] = "pass"
		} else {
			kv[t] = diag ~ /^timeout/ ? "timeout" : "fail"
			kdetail[t] = diag
		}
		diag = ""
	}
}

FILENAME != ARGV[1] {
	sub(/\r+$/, "")
	if (panicked)
		next		# the rest is the panic's own noise
	if (match($0, /\[ *[0-9]+\.[0-9]+\] /)) {
		# A printk may land in the middle of a line of ours; not in
		# a test's echoed output, which may quote the kernel log.
		ts = substr($0, RSTART + 1, RLENGTH - 3)
		if (RSTART == 1) {
			kernel_line(substr($0, RLENGTH + 1), ts)
			next
		}
		if (substr($0, 1, 1) != "#") {
			ktap_line(substr($0, 1, RSTART - 1))
			kernel_line(substr($0, RSTART + RLENGTH), ts)
			next
		}
	}
	ktap_line($0)
}

function row(n, res, ms, nsplat, detail) {
	gsub(/\t/, " ", detail)
	printf "%s\t%s\t%s\t%d\t%s\n", n, res, ms, nsplat, detail
}

END {
	# How the run stopped, for the tests that did not finish.
	if (panicked)
		stop = "kernel panic"
	else if (timedout)
		stop = "hang"
	else
		stop = "vm stopped"

	res = "pass"
	detail = ""
	if (splats[0]) {
		res = "fail"
		detail = firstsplat[0]
	}
	if (panicked && ptest == 0) {
		res = "fail"
		detail = "kernel panic: " panicmsg
	} else if (!started && !(1 in began) && vp_n) {
		res = "fail"
		detail = "init did not start (" stop ")"
	}
	row("boot", res, bootms ? bootms : "", splats[0], detail)

	passed = failed = crashed = skipped = 0
	for (i = 1; i <= vp_n; i++) {
		if (!(i in kv)) crashed++
		else if (kv[i] == "pass") passed++
		else if (kv[i] == "skip") skipped++
		else failed++

		res = (i in kv) ? kv[i] : (i in kres) ? kres[i] : ""
		detail = kdetail[i]

		if (res == "" && (i in began)) {
			res = "fail"
			detail = stop
		} else if (res == "") {
			res = "notrun"
			detail = "not reached: " stop
		}
		if (splats[i]) {
			if (res == "pass" || res == "skip")
				res = "fail"
			detail = firstsplat[i]
		}
		if (panicked && ptest == i) {
			res = "fail"
			detail = "kernel panic: " panicmsg
		}
		row(vp_name[i], res, (i in kms) ? kms[i] : "", splats[i], detail)
	}
	if (counts != "")
		printf "passed %d failed %d crashed %d skipped %d\n",
		       passed, failed, crashed, skipped > counts
}
