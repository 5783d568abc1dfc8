#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dashboards' files of the run in $KQ_OUT (what ./kq check has just
# run): report.junit.xml parsed strictly, one suite per VM and kind
# booted plus kq.verdict, whose failures are the verdict's FAIL rows;
# report.json with one row per verdict row and the same counts;
# results/<vm>-<kind>.ktap, one per VM log, each read by kunit.py parse
# as many tests as the VM's plan had (KQ_KUNIT: another kunit.py). No
# run there: SKIP.
. "$(dirname "$0")/baselib"

O=${KQ_OUT:-$ROOT/out}
[ -s "$O/verdict.tsv" ] || skip "no run in $O (./kq run first)"
/usr/bin/python3 - "$O" <<'PY' || fail "report.junit.xml / report.json of $O: see above"
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
rows = open(out + "/verdict.tsv").read().splitlines()
head, rows = rows[0].split("\t"), [r.split("\t") for r in rows[1:]]
col = {h: i for i, h in enumerate(head)}
root = ET.parse(out + "/report.junit.xml").getroot()
suites = {s.get("name"): s for s in root.findall("testsuite")}
assert "kq.verdict" in suites, sorted(suites)
v = suites["kq.verdict"]
assert int(v.get("tests")) == len(rows) == len(v.findall("testcase"))
assert int(v.get("failures")) == sum(1 for r in rows if r[col["verdict"]] == "FAIL")
for name, s in suites.items():
    cases = s.findall("testcase")
    assert int(s.get("tests")) == len(cases), name
    for k, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        assert int(s.get(k)) == sum(1 for c in cases if c.find(tag) is not None), (name, k)
doc = json.load(open(out + "/report.json"))
assert doc["counts"]["rows"] == len(doc["rows"]) == len(rows)
assert doc["counts"]["FAIL"] == int(v.get("failures"))
assert list(doc["rows"][0]) == head
PY
n=0
kunit=${KQ_KUNIT:-$O/linux/tools/testing/kunit/kunit.py}
for k in "$O"/results/*.ktap; do
	[ -f "$k" ] || continue
	vm=${k##*/}; vm=${vm%.ktap}; kind=${vm##*-}; vm=${vm%-*}
	cmp -s "$k" "$O/results/$kind/$vm/ktap.log" || fail "$k is not the KTAP of $vm $kind"
	nt=$(wc -l <"$O/results/$kind/$vm/plan")
	[ ! -f "$kunit" ] || /usr/bin/python3 "$kunit" parse "$k" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' |
		grep -q "Testing complete\. Ran $nt tests" || fail "kunit.py parse does not read the $nt tests of $k"
	n=$((n + 1))
done
nl=$(ls "$O"/results/base/*/ktap.log "$O"/results/patched/*/ktap.log 2>/dev/null | wc -l)
[ "$n" = "$nl" ] && [ "$n" -gt 0 ] || fail "$n KTAP files for $nl VM logs"
pass "the run's JUnit ($(grep -c '<testsuite ' "$O/report.junit.xml") suites), JSON ($(awk -F'\t' 'NR > 1' "$O/verdict.tsv" | wc -l) rows) and $n KTAP files read back as the verdict and the VMs' plans say"
