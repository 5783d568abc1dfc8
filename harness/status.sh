#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The exit status of a run, from what it wrote: the queue checks
# ($KQ_OUT/queue/check.tsv), the builds ($KQ_OUT/results/builds.tsv) and
# the verdicts ($KQ_OUT/verdict.tsv, harness/verdict.sh: its "verdict"
# column). One line on stderr.
#
#   status.sh     exit 0: every row as expected
#                 exit 1: a queue check or a verdict not as expected
#                 exit 2: a step failed (a build, a VM's boot: its "boot"
#                         row FAIL), or nothing was reported
set -euo pipefail
. "$(dirname "$0")/lib.sh"

Q=$KQ_OUT/queue/check.tsv B=$KQ_OUT/results/builds.tsv T=$KQ_OUT/verdict.tsv
if [ ! -s "$T" ] || [ "$(head -n 1 "$T" | cut -f8)" != verdict ]; then
	say "run: not as expected: no verdicts ($T)"
	exit 2
fi
# count <file> <awk condition>
count() { [ -f "$1" ] && awk -F'\t' "$2 { n++ } END { print n + 0 }" "$1" || echo 0; }
nb=$(count "$B" '$3 == "fail"')
nq=$(count "$Q" '$3 == "fail"')
nv=$(count "$T" 'NR > 1 && $8 == "FAIL"')
rows=$(count "$T" 'NR > 1')
if [ "$nb" -gt 0 ]; then
	say "run: not as expected: $nb build(s) failed: $(awk -F'\t' '$3 == "fail" { printf "%s%s", s, $2; s = ", " }' "$B") (see the report)"
	exit 2
fi
boot=$(awk -F'\t' 'NR > 1 && $3 == "boot" && $8 == "FAIL" { printf "%s%s", s, $2; s = ", " }' "$T")
if [ -n "$boot" ]; then
	say "run: not as expected: a VM did not boot (or splatted before its first test): $boot (see the report)"
	exit 2
fi
if [ "$nq" -gt 0 ] || [ "$nv" -gt 0 ]; then
	say "run: not as expected: $nq queue check(s), $nv of $rows test rows FAIL (see the report)"
	exit 1
fi
say "run: as expected: $rows test rows, queue checks and builds pass"
