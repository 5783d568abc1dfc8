# SPDX-License-Identifier: GPL-2.0
# The verdict table ($KQ_OUT/verdict.tsv, harness/verdict.sh) as JUnit
# XML, for CI dashboards: one <testsuite> per VM and kind (what each
# kernel gave: a failure is a test that failed, as expected or not; an
# error a test that did not run though the plan expected it to (the VM
# crashed or hung); a skip is a skip, a test absent from that tree or not
# run there on purpose, with its reason), then one "kq.verdict" suite
# whose failures are the rows not as expected, the run's verdict. A base
# not booted by choice (KQ_NO_BASE: the VMs in nobase) has no suite. Run
# by report.sh:
#
#   awk -v kernel=V -v nobase="VM..." -f junit.awk verdict.tsv
BEGIN { FS = "\t"; split(nobase, nb, " "); for (i in nb) skipbase[nb[i]] = 1 }
function x(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s); gsub(/[\001-\010\013\014\016-\037]/, "?", s)
	return s
}
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	n++
	for (k = 0; k < 2; k++) {
		kind = k ? "patched" : "base"
		if (kind == "base" && ($c["arch"] in skipbase))
			continue
		s = $c["arch"] SUBSEP kind
		if (!(s in nt)) order[++ns] = s
		nt[s]++
		r = $c[kind]; e = $c["expect_" kind]
		res[s, nt[s]] = r; expv[s, nt[s]] = e; name[s, nt[s]] = $c["test"]; ser[s, nt[s]] = $c["series"]
		why = $c["reason"] != "" ? $c["reason"] : $c["detail"]
		msg[s, nt[s]] = "expected " e (why != "" ? ": " why : "")
		ms[s, nt[s]] = $c[kind "_ms"]
		if (r == "pass") ;
		else if (r == "fail" || r == "timeout") nf[s]++
		else if (r == "notrun" && e != "notrun") ne[s]++
		else nsk[s]++
	}
	row[n] = $0
}
END {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<testsuites name=\"kq\">"
	for (i = 1; i <= ns; i++) {
		s = order[i]; split(s, a, SUBSEP)
		t = 0
		for (j = 1; j <= nt[s]; j++) t += ms[s, j] / 1000
		printf "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
		       x(a[1] "-" a[2]), nt[s], nf[s], ne[s], nsk[s], t
		printf "    <properties>\n"
		printf "      <property name=\"vm\" value=\"%s\"/>\n", x(a[1])
		printf "      <property name=\"kind\" value=\"%s\"/>\n", a[2]
		printf "      <property name=\"kernel\" value=\"%s\"/>\n", x(kernel)
		printf "    </properties>\n"
		for (j = 1; j <= nt[s]; j++) {
			r = res[s, j]
			printf "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
			       x("kq." (ser[s, j] == "-" ? "baseline" : ser[s, j]) "." a[1]), x(name[s, j]), ms[s, j] / 1000
			if (r == "pass") { print "/>"; continue }
			print ">"
			if (r == "fail" || r == "timeout")
				printf "      <failure type=\"%s\" message=\"%s\"/>\n", r, x(r " (" msg[s, j] ")")
			else if (r == "notrun" && expv[s, j] != "notrun")
				printf "      <error type=\"notrun\" message=\"%s\"/>\n", x("not run: the VM stopped before it (" msg[s, j] ")")
			else
				printf "      <skipped message=\"%s\"/>\n", x(r " (" msg[s, j] ")")
			print "    </testcase>"
		}
		print "  </testsuite>"
	}
	nv = 0
	for (i = 1; i <= n; i++) { split(row[i], f, FS); if (f[c["verdict"]] == "FAIL") nv++ }
	printf "  <testsuite name=\"kq.verdict\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", n, nv
	for (i = 1; i <= n; i++) {
		split(row[i], f, FS)
		printf "    <testcase classname=\"%s\" name=\"%s\"", x("kq.verdict." f[c["arch"]]), x(f[c["test"]])
		if (f[c["verdict"]] != "FAIL") { print "/>"; continue }
		print ">"
		printf "      <failure type=\"not-as-expected\" message=\"%s\"/>\n",
		       x("base " f[c["base"]] ", patched " f[c["patched"]] "; expected " f[c["expect_base"]] "/" f[c["expect_patched"]] \
		         (f[c["detail"]] != "" ? ": " f[c["detail"]] : ""))
		print "    </testcase>"
	}
	print "  </testsuite>"
	print "</testsuites>"
}
