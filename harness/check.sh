#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The project's tests (what CI runs): the full run (queue checks,
# checkpatch, builds, VMs, base vs patched), then the harness's own tests
# in tests/harness/. Ends with "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

t0=$SECONDS
rows=$KQ_OUT/check.tsv
mkdir -p "$KQ_OUT"
: >"$rows"
# Count only what this run produces, even if it stops early.
rm -rf "$KQ_OUT/verdict.tsv" "$KQ_OUT/report.tsv" "$KQ_OUT/queue/check.tsv" "$KQ_OUT/results"

# The cross-builds and the heavy lanes (benchmarks, long mm selftests) are
# the main job's (./kq run), not CI's: KQ_CROSS=1 and KQ_HEAVY=1 add them.
# So is x86_64's base kernel: no series is proven by a row that fails or
# skips there and passes patched only on x86_64 (series 04's KUnit suite
# is proven on arm64 and riscv64 as well, 01's and 05's x86_64 tests are
# absent from the base tree), and its rows are checked on the patched
# kernel; building and booting it would cost about 16 of CI's 60 minutes
# on 2 cores. KQ_NO_BASE= (empty) restores it.
export KQ_NO_BASE=${KQ_NO_BASE-x86_64}
# KQ_STRICT_PATH=1: the run sees only the programs of the packages
# harness/setup.sh installs (and essential ones), as on a fresh machine.
export KQ_STRICT_PATH=${KQ_STRICT_PATH:-1}
KQ_CROSS=${KQ_CROSS:-0} KQ_HEAVY=${KQ_HEAVY:-0} "$KQ_ROOT/harness/run.sh" "$@"
rc=$?
if [ $rc -eq 2 ] && [ ! -s "$KQ_OUT/verdict.tsv" ]; then
	# Set-up failed (the error line above names the package): nothing ran.
	echo "0 passed, 1 failed"
	exit 2
fi
# Exit 1 or 2 with a report: its failing rows are counted below; any other
# failure (the run stopped early) is a row of its own.
if [ $rc -ne 0 ] && { [ $rc -gt 2 ] || [ ! -s "$KQ_OUT/verdict.tsv" ]; }; then
	printf 'run\tkq run\tfail\texit status %d, no report\n' $rc >>"$rows"
fi
# The harness's own tests see the same PATH as the run.
[ "$KQ_STRICT_PATH" != 1 ] || [ ! -d "$KQ_OUT/strict-path" ] || PATH=$KQ_OUT/strict-path

# The queue on the installed linux-source-6.12 (./kq drift, apply only: no
# network, no build), one row per series and for the stack. When that is
# the base the run used (base.info's sha256), the queue rows above already
# are exactly that check: one row says so instead of doing it twice.
pin=${KQ_PIN:-$KQ_ROOT/base/pin}
pkg=$(kv "$pin" package) tb=$(kv "$pin" tarball)
inst=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) || inst=
if [ -n "$inst" ] && [ -f "$tb" ] && [ -f "$KQ_OUT/base.info" ] &&
   [ "$(kv "$KQ_OUT/base.info" sha256)" = "$(sha256sum <"$tb" | cut -d ' ' -f 1)" ]; then
	say "== drift: the installed $pkg $inst is the run's base: its rows are the queue's"
	printf 'drift\t%s/local\tskip\tthe run'"'"'s base: see the apply-alone and apply-stacked rows\n' "$inst" >>"$rows"
	drc=skip
else
	say "== drift: the queue on the local tarball (drift.sh --local --no-build)"
	"$KQ_ROOT/harness/drift.sh" --local --no-build >/dev/null; drc=$?
fi
if [ "$drc" = skip ]; then
	:
elif [ $drc -eq 2 ] || [ ! -s "$KQ_OUT/drift/drift.tsv" ]; then
	printf 'drift\tlocal\tfail\tharness/drift.sh --local --no-build: exit status %d\n' $drc >>"$rows"
else
	awk -F'\t' -v OFS='\t' '{ print "drift", $1 "/" $2,
		$3 ~ /^(conflicts|build-fail)$/ ? "fail" : ($3 == "notrun" ? "skip" : "pass"), $3 ": " $7 }' \
		"$KQ_OUT/drift/drift.tsv" >>"$rows"
fi

# The run's VMs as LAVA jobs (./kq lava): a job LAVA's own schema rejects
# is a failure.
if compgen -G "$KQ_OUT/results/plan-*.tsv" | grep -qv '/plan-host\.tsv$'; then
	say "== lava: the run's VMs as LAVA jobs (./kq lava)"
	if "$KQ_ROOT/harness/lava.sh" >"$KQ_OUT/lava.log" 2>&1; then
		printf 'lava\tjobs\tpass\t%s\n' "$(tail -n 1 "$KQ_OUT/lava.log" | sed 's/^\[[^]]*\] //')" >>"$rows"
	else
		printf 'lava\tjobs\tfail\t%s\n' "$(grep -m 1 'kq: error' "$KQ_OUT/lava.log" || tail -n 1 "$KQ_OUT/lava.log")" >>"$rows"
	fi
fi

# The harness's own tests, $KQ_JOBS at a time (most are one git or shell
# process), each with a time limit; rows and output in name order. Those
# on tests/harness/queuetestlib share one scratch tree and take turns (a
# lock): they run one after the other as one job, started first, so that
# none holds a slot while it waits for the lock. A test file without its
# run bit is a failure, not a silent skip.
t_self=$SECONDS
say "== the harness's own tests ($KQ_JOBS at a time)"
D=$KQ_OUT/selftest-results
rm -rf "$D" && mkdir -p "$D"
selftest() {
	local t0=$SECONDS rc=0
	say "  started: $2"
	timeout -k 5 600 "$1" >"$D/$2.out" 2>&1 || rc=$?
	echo "$rc $((SECONDS - t0))" >"$D/$2.rc"
}
names=() shared=() alone=()
for t in "$KQ_ROOT"/tests/harness/*.sh; do
	name=$(basename "$t" .sh)
	names+=("$name")
	if [ ! -x "$t" ]; then
		echo "FAIL $name: tests/harness/$name.sh is not executable (chmod +x)" >"$D/$name.out"
		echo "1 0" >"$D/$name.rc"
	elif grep -q '/queuetestlib"' "$t"; then
		shared+=("$t")
	else
		alone+=("$t")
	fi
done
if [ ${#shared[@]} -gt 0 ]; then
	(for t in "${shared[@]}"; do selftest "$t" "$(basename "$t" .sh)"; done) &
fi
for t in "${alone[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$KQ_JOBS" ]; do wait -n; done
	selftest "$t" "$(basename "$t" .sh)" &
done
wait
[ ${#names[@]} -gt 0 ] || printf 'selftest\ttests/harness\tfail\tno test found\n' >>"$rows"
for name in "${names[@]}"; do
	read -r trc secs <"$D/$name.rc" 2>/dev/null || trc=1 secs=0
	case $trc in 0) r=pass ;; 4) r=skip ;; *) r=fail ;; esac
	last=$(tail -n 1 "$D/$name.out")
	printf 'selftest\t%s\t%s\t%s\n' "$name" "$r" "$last" >>"$rows"
	say "  $r: $name (${secs}s): $last"
	[ $r = fail ] && tail -n 20 "$D/$name.out" | sed 's/^/    /' >&2
done

t_self_s=$((SECONDS - t_self))

# Everything the run proved or disproved, one row each.
cat "$KQ_OUT/queue/check.tsv" "$KQ_OUT/results/builds.tsv" 2>/dev/null >>"$rows"
# The verdict table's columns by name (harness/verdict.sh).
awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ v = $c["verdict"]
	  print "test", $c["arch"] "/" $c["test"], v == "FAIL" ? "fail" : (v == "skip" ? "skip" : "pass"),
		$c["detail"] }' "$KQ_OUT/verdict.tsv" 2>/dev/null >>"$rows"

echo
echo "Failures:"
awk -F'\t' '$3 == "fail" { printf "  %s %s: %s\n", $1, $2, $4; n++ } END { if (!n) print "  none" }' "$rows"
say "check: done in $(((SECONDS - t0) / 60))m$(((SECONDS - t0) % 60))s (the run $(awk -F'\t' '$1 == "run (wall)" { print $2 }' "$KQ_OUT/steps.tsv" 2>/dev/null || echo ?) s, the harness's own tests $t_self_s s; per step: $KQ_OUT/report.txt)"
awk -F'\t' '{ c[$3]++ } END { printf "%d passed, %d failed, %d skipped\n", c["pass"], c["fail"], c["skip"] }' "$rows"
awk -F'\t' '$3 == "fail" { exit 1 }' "$rows"
