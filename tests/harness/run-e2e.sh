#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./kq run end to end on recorded results: the real run.sh, base.sh,
# queue.sh, vmtests.sh, vm.sh, initramfs.sh, console.awk, verdict.sh,
# report.sh and status.sh, on a tiny 6.12 tree with a one-patch series,
# for the arm64 plan of a real run; builds are stubbed (a kernel file and
# the plan's programs, base without what the queue adds) and "QEMU"
# prints the console that run's arm64 VM gave on each kernel
# (tests/data/run). Exit status and report, four ways, then ./kq check's
# count:
#   - as recorded: 0, every row as expected, the proven rows proven;
#   - a plan row made to expect what does not happen: 1, that row FAIL;
#   - the patched kernel's build broken: 2, the build named;
#   - QEMU printing nothing (nothing boots, every test "notrun"): 2;
#   - ./kq check (drift stubbed, two harness tests of which one lacks its
#     run bit): every row counted once, the test without run bit failed.
. "$(dirname "$0")/baselib"

D=$ROOT/tests/data/run
src=${KQ_OUT:-$ROOT/out}/linux/usr/gen_init_cpio.c
[ -f "$src" ] || skip "no base tree (needs its usr/gen_init_cpio.c: ./kq base)"
command -v aarch64-linux-gnu-gcc >/dev/null || skip "no aarch64-linux-gnu-gcc (./kq setup)"

# The project, with arm64 only, the recorded plan and stubs.
r=$W/root
mkdir -p "$r/plans" "$r/arch" "$r/series" "$W/bin" &&
	cp -r "$ROOT/harness" "$ROOT/kq" "$r/" && cp "$D/arm64.plan" "$r/plans/" || fail "copy"
sed 's/^qemu=.*/qemu=kq-fake-qemu/' "$ROOT/arch/arm64.conf" >"$r/arch/arm64.conf"
for s in setup tools textsize; do printf '#!/bin/sh\nexit 0\n' >"$r/harness/$s.sh"; done
cat >"$r/harness/build.sh" <<'STUB'
#!/bin/bash
# Stub: build.sh kernel|selftests <arch> <kind>.
. "$(dirname "$0")/lib.sh"
O=$KQ_OUT/build/$2-$3
mkdir -p "$O/arch/arm64/boot" "$O/bin"
if [ "$2-$3" = "${KQ_E2E_BREAK:-}" ]; then
	echo "build: $2-$3: the kernel build failed: see $O/build.log" | tee "$O/failed" >&2
	exit 1
fi
if [ -n "${KQ_E2E_SLOW:-}" ] && [ "$1-$3" = kernel-base ]; then
	sleep 300 & echo $! >"$KQ_OUT/slow.pid"; wait
fi
[ "$1" = kernel ] && { echo kernel >"$O/arch/arm64/boot/Image"; exit 0; }
awk '!/^#/ && NF { print $2, $5 } !/^#/ && / ab\// { for (i = 6; i <= NF; i++) if ($i ~ /^ab\//) print $2, $i }' \
	"$KQ_ROOT/plans/arm64.plan" | while read -r name p; do
	case $p in @*) continue ;; esac
	[ "$3" = patched ] || ! grep -qx "$name" "$KQ_E2E_DATA/base.absent" || continue
	p=${p#ab/}
	mkdir -p "$O/bin/$(dirname "$p")" && printf '#!/bin/sh\n' >"$O/bin/$p" && chmod +x "$O/bin/$p"
done
STUB
cat >"$W/bin/kq-fake-qemu" <<'STUB'
#!/bin/bash
# Stub QEMU: the recorded console of the kernel it was given.
[ "$1" != --version ] || { echo "QEMU emulator version 0 (kq e2e stub)"; exit 0; }
while [ $# -gt 0 ]; do [ "$1" = -kernel ] && k=$2; shift; done
case $k in *arm64-base*) kind=base ;; *) kind=patched ;; esac
[ -n "${KQ_E2E_SILENT:-}" ] || cat "$KQ_E2E_DATA/$kind.console.log"
STUB
chmod +x "$r/harness/"*.sh "$W/bin/kq-fake-qemu"

# A one-patch series on a tiny 6.12 tree (checkpatch: a stub).
t=$W/src/linux-6.12.118
mkdir -p "$t/usr" "$t/scripts" && cp "$src" "$t/usr/" &&
	printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\n' >"$t/Makefile" &&
	printf '#!/usr/bin/perl\nexit 0;\n' >"$t/scripts/checkpatch.pl" &&
	tar -C "$W/src" -cJf "$W/linux.tar.xz" linux-6.12.118 || fail "tarball"
g() { kq_git_fixed -C "$W/g" "$@"; }
. "$ROOT/harness/lib.sh"
cp -r "$t" "$W/g" && g init -q && g add -A && g commit -qm base &&
	echo "kq e2e" >>"$W/g/Makefile" && g commit -qam "Makefile: kq e2e" -m "Signed-off-by: kq <kq@localhost>" &&
	mkdir -p "$r/series/01-e2e" && echo "e2e" >"$r/series/01-e2e/cover-letter.txt" &&
	g format-patch -q -1 --zero-commit --no-signature --full-index --numbered \
		--no-thread --no-base -o "$r/series/01-e2e" || fail "series"

# run <label>: ./kq run --arch arm64 into $W/<label>; its status.
run() {
	env -u KQ_NO_BASE -u KQ_CROSS -u KQ_HEAVY KQ_STRICT_PATH=0 \
		PATH="$W/bin:$PATH" KQ_E2E_DATA="$D" KQ_ROOT="$r" KQ_OUT="$W/$1" KQ_PIN=/dev/null \
		KQ_ARCHES=arm64 KQ_BOOT_MARGIN=30 KQ_MIN_FREE_GB=0 \
		"$r/kq" run --arch arm64 --base-tarball "$W/linux.tar.xz" >"$W/$1.log" 2>&1
	echo $?
}
vrow() { awk -F'\t' -v t="$2" '$3 == t { print $5 "/" $7 " " $8 }' "$W/$1/verdict.tsv"; }

rc=$(run ok)
[ "$rc" = 0 ] || fail "as recorded: exit $rc, not 0: $(grep -e 'kq: error' -e 'not as expected' "$W/ok.log" | head -n 2 | tr '\n' '|')"
n=$(awk -F'\t' 'NR > 1' "$W/ok/verdict.tsv" | wc -l)
np=$(awk -F'\t' 'NR > 1 && $8 == "proven"' "$W/ok/verdict.tsv" | wc -l)
[ "$n" = 31 ] && [ "$np" = 8 ] || fail "as recorded: $n rows, $np proven (want 31, 8)"
[ "$(vrow ok aarch64.vgic_lr_overflow)" = "fail/pass proven" ] ||
	fail "vgic_lr_overflow: $(vrow ok aarch64.vgic_lr_overflow)"
grep -Eq "^  02 +arm64 +6 +2/4/0 +6/0/0 +0/0 .* proven$" "$W/ok/report.txt" ||
	fail "report.txt: no series 02 line '6 tests, base 2/4/0, patched 6/0/0, proven'"

# The same run for dashboards: tests/harness/dashboards.sh reads its
# JUnit, JSON and KTAP back (strict XML parser, python's json, kunit.py
# parse); then what this recorded run must show there: one suite per
# kind of the one VM plus the verdict's, every row in each, the
# failures of each kind's column, a message on every failure and skip.
KQ_OUT=$W/ok KQ_KUNIT=${KQ_OUT:-$ROOT/out}/linux/tools/testing/kunit/kunit.py \
	"$ROOT/tests/harness/dashboards.sh" >"$W/dashboards.out" 2>&1 ||
	fail "dashboards of the recorded run: $(tail -n 3 "$W/dashboards.out" | tr '\n' ' ')"
/usr/bin/python3 - "$W/ok" <<'PY' || fail "report.junit.xml / report.json: see above"
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
rows = open(out + "/verdict.tsv").read().splitlines()
head, rows = rows[0].split("\t"), [r.split("\t") for r in rows[1:]]
root = ET.parse(out + "/report.junit.xml").getroot()
assert root.tag == "testsuites", root.tag
suites = {s.get("name"): s for s in root.findall("testsuite")}
assert sorted(suites) == ["arm64-base", "arm64-patched", "kq.verdict"], sorted(suites)
for name, s in suites.items():
    cases = s.findall("testcase")
    assert len(cases) == len(rows), (name, len(cases))
    for c in cases:
        for e in list(c.findall("failure")) + list(c.findall("skipped")):
            assert e.get("message"), (name, c.get("name"), "no message")
col = {h: i for i, h in enumerate(head)}
want = {k: sum(1 for r in rows if r[col[k]] in ("fail", "timeout")) for k in ("base", "patched")}
for k in want:
    assert int(suites["arm64-" + k].get("failures")) == want[k], (k, want[k])
doc = json.load(open(out + "/report.json"))
assert [r["test"] for r in doc["rows"]] == [r[col["test"]] for r in rows]
assert doc["meta"]["kernel"] == "6.12.118", doc["meta"].get("kernel")
PY
# json.awk under both of Debian's awks: backslashes, quotes and tabs in
# a value stay valid JSON (mawk 1.3.4 does not double "\\\\" in gsub).
for a in mawk gawk; do
	command -v $a >/dev/null || continue
	printf 'k\tv\\x "q"\n' >"$W/meta.tsv" && printf 'series\tverdict\na\\b\tpass\n' >"$W/v.tsv" &&
	$a -f "$ROOT/harness/json.awk" "$W/meta.tsv" "$W/v.tsv" >"$W/$a.json" || fail "json.awk under $a"
	/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["meta"]["k"] == "v\\x \"q\"" and d["rows"][0]["series"] == "a\\b", d' \
		"$W/$a.json" 2>/dev/null || fail "json.awk under $a: not valid JSON, or not the values: $(cat "$W/$a.json" | tr '\n' ' ')"
done

# The run's VMs as LAVA jobs (./kq lava): all accepted by LAVA's own
# schema; the monitor pattern and fixupdict of each QEMU job, applied as
# LAVA applies them to the console the VM gave, read the results the
# harness read; a job LAVA's schema must reject (a monitor name with a
# space) is rejected.
env -u KQ_NO_BASE KQ_ROOT="$r" KQ_OUT="$W/ok" "$r/kq" lava >"$W/lava.log" 2>&1 ||
	fail "./kq lava: $(grep 'kq: error' "$W/lava.log" | head -n 2 | tr '\n' '|')"
[ "$(ls "$W/ok/lava/jobs" "$W/ok/lava/hw" | grep -c '\.yaml$')" = 4 ] ||
	fail "./kq lava: want 4 jobs (arm64 base/patched, QEMU and board): $(ls "$W/ok/lava/jobs" "$W/ok/lava/hw" | tr '\n' ' ')"
for k in base patched; do
	/usr/bin/python3 - "$W/ok/lava/jobs/arm64-$k.yaml" "$D/$k.console.log" "$W/ok/results/$k/arm64/results.tsv" <<'PY' ||
import re, sys, yaml
job, console, results = sys.argv[1:]
mon = [a["test"] for a in yaml.safe_load(open(job))["actions"] if "test" in a][0]["monitors"][0]
text = open(console, errors="replace").read()
text = text[text.index(mon["start"]):]
text = text[:text.index(mon["end"])]
lava = {}
for m in re.finditer(mon["pattern"], text):
    r = m.group("result")
    lava[m.group("test_case_id")] = mon.get("fixupdict", {}).get(r, r)
kq = {}
for line in open(results):
    f = line.rstrip("\n").split("\t")
    if f[0] != "boot" and f[1] != "absent":
        kq[f[0]] = "fail" if f[1] == "timeout" else f[1]
assert lava == kq, {t: (lava.get(t), kq.get(t)) for t in set(lava) | set(kq) if lava.get(t) != kq.get(t)}
PY
		fail "the LAVA job's monitor reads other results than the harness on the $k console"
done
# A lane alone (no board job for it): its two QEMU jobs.
cp "$ROOT/arch/arm64-nvhe.conf" "$r/arch/" && cp -a "$W/ok" "$W/lane" && m=$W/lane/results &&
	rm -f "$m"/plan-host.tsv && mv "$m/plan-arm64.tsv" "$m/plan-arm64-nvhe.tsv" &&
	mv "$m/base/arm64" "$m/base/arm64-nvhe" && mv "$m/patched/arm64" "$m/patched/arm64-nvhe" || fail "lane"
env -u KQ_NO_BASE KQ_ROOT="$r" KQ_OUT="$W/lane" "$r/kq" lava >"$W/lava-lane.log" 2>&1 ||
	fail "./kq lava, a lane alone: $(grep 'kq: error' "$W/lava-lane.log" | head -n 2 | tr '\n' '|')"
[ "$(ls "$W/lane/lava/jobs" | tr '\n' ' ')" = "arm64-nvhe-base.yaml arm64-nvhe-patched.yaml " ] &&
	[ -z "$(ls "$W/lane/lava/hw")" ] || fail "./kq lava, a lane alone: $(ls "$W/lane/lava/jobs" "$W/lane/lava/hw" | tr '\n' ' ')"
grep -q "kvm-arm.mode=nvhe" "$W/lane/lava/jobs/arm64-nvhe-patched.yaml" || fail "the lane's job lacks its command line"
sed 's/^    - name: kq-arm64-patched$/    - name: kq arm64 patched/' "$W/ok/lava/jobs/arm64-patched.yaml" >"$W/bad.yaml"
! cmp -s "$W/bad.yaml" "$W/ok/lava/jobs/arm64-patched.yaml" || fail "could not make a bad job"
/usr/bin/python3 "$r/harness/lava.py" validate "$W/bad.yaml" 2>/dev/null && fail "LAVA's schema accepted a bad job"

# Two machines, a VM each, one report (./kq report --from): the second
# run's VM renamed to a lane; the verdicts are those of the one run, twice.
# Runs of another base, or the same VM from two runs, are refused.
m=$W/m2/results
cp -a "$W/ok" "$W/m2" && rm -f "$m"/plan-host.tsv && mv "$m/plan-arm64.tsv" "$m/plan-arm64-nvhe.tsv" &&
	mv "$m/base/arm64" "$m/base/arm64-nvhe" && mv "$m/patched/arm64" "$m/patched/arm64-nvhe" || fail "m2"
KQ_ROOT="$r" KQ_OUT="$W/merged" KQ_ARCHES=arm64 "$r/kq" report --from "$W/ok" "$W/m2" >"$W/merged.log" 2>&1 ||
	fail "./kq report --from two runs: exit $?: $(grep 'kq: error' "$W/merged.log")"
[ "$(awk -F'\t' -v OFS='\t' 'NR > 1 && $2 == "arm64-nvhe" { $2 = "arm64"; print }' "$W/merged/verdict.tsv")" = \
  "$(awk -F'\t' 'NR > 1 && $2 == "arm64" { print }' "$W/ok/verdict.tsv")" ] &&
	[ "$(awk -F'\t' 'NR > 1 && $2 != "arm64-nvhe"' "$W/merged/verdict.tsv")" = "$(awk -F'\t' 'NR > 1' "$W/ok/verdict.tsv")" ] ||
	fail "./kq report --from: the verdicts differ from the runs'"
grep -q "^$W/ok: setup	" "$W/merged/steps.tsv" && grep -q "^$W/m2: setup	" "$W/merged/steps.tsv" ||
	fail "./kq report --from: the steps are not prefixed with each run's dir"
cp -a "$W/m2" "$W/m3" && sed -i 's/^sha256=.*/sha256=0/' "$W/m3/base.info" || fail "m3"
KQ_ROOT="$r" KQ_OUT="$W/merged2" "$r/kq" report --from "$W/ok" "$W/m3" >"$W/merged2.log" 2>&1 &&
	fail "./kq report --from runs of two bases passed"
grep -q "^kq: error: report: --from .*m3 tested another base" "$W/merged2.log" || fail "two bases: $(cat "$W/merged2.log")"
KQ_ROOT="$r" KQ_OUT="$W/merged3" "$r/kq" report --from "$W/ok" "$W/ok" >"$W/merged3.log" 2>&1 &&
	fail "./kq report --from the same VM twice passed"
grep -q "^kq: error: report: --from: VM arm64 is in more than one run" "$W/merged3.log" ||
	fail "the same VM twice: $(cat "$W/merged3.log")"
[ ! -e "$W/merged3" ] || fail "a refused ./kq report --from wrote $W/merged3"
KQ_ROOT="$r" KQ_OUT="$W/ok" "$r/kq" report --from "$W/m2" >"$W/merged4.log" 2>&1 &&
	fail "./kq report --from into an out dir with a run of its own passed"
grep -q "^kq: error: report: --from: .* holds a run of its own" "$W/merged4.log" ||
	fail "into a run's out dir: $(cat "$W/merged4.log")"

awk '$2 == "aarch64.vgic_hostile" { $4 = "fail"; $0 = $0 " # e2e: made to fail" } { print }' \
	"$D/arm64.plan" >"$r/plans/arm64.plan"
rc=$(run row)
[ "$rc" = 1 ] || fail "a row made to fail: exit $rc, not 1"
[ "$(vrow row aarch64.vgic_hostile)" = "pass/pass FAIL" ] || fail "vgic_hostile: $(vrow row aarch64.vgic_hostile)"
cp "$D/arm64.plan" "$r/plans/"

rc=$(KQ_E2E_BREAK=arm64-patched run build)
[ "$rc" = 2 ] || fail "patched build broken: exit $rc, not 2"
grep -q "build(s) failed: arm64-patched" "$W/build.log" || fail "the broken build is not named"

# The first arch's base kernel builds while the queue is applied: a run
# that stops there (a series that does not apply) stops that build too.
mkdir -p "$r/series/02-broken" && echo broken >"$r/series/02-broken/cover-letter.txt" &&
	sed 's/^+kq e2e$/+kq e2e, not applying/; s/^ VERSION = 6$/ VERSION = 5/' "$r/series/01-e2e/0001-"*.patch \
		>"$r/series/02-broken/0001-broken.patch" || fail "broken series"
t0=$SECONDS
rc=$(KQ_E2E_SLOW=1 run stop)
rm -rf "$r/series/02-broken"
[ "$rc" != 0 ] && [ $((SECONDS - t0)) -lt 60 ] || fail "a series that does not apply: exit $rc after $((SECONDS - t0)) s"
grep -q "^kq: error: apply: .*02-broken" "$W/stop.log" || fail "no apply error: $(grep 'kq: error' "$W/stop.log")"
[ -s "$W/stop/slow.pid" ] || fail "the base build did not start before the apply"
sleep 1
# Alive: a state other than Z (a zombie nobody has reaped yet is gone).
st=$(awk '{ print $3 }' "/proc/$(cat "$W/stop/slow.pid")/stat" 2>/dev/null)
[ -z "$st" ] || [ "$st" = Z ] || fail "the base build still runs after the run stopped"

rc=$(KQ_E2E_SILENT=1 run silent)
[ "$rc" = 2 ] || fail "nothing booted: exit $rc, not 2"
[ "$(awk -F'\t' 'NR > 2 && $7 != "notrun"' "$W/silent/verdict.tsv" | wc -l)" = 0 ] ||
	fail "nothing booted, yet some rows ran"
mkdir -p "$r/tests/harness" &&
	printf '#!/bin/sh\necho "PASS a: ok"\n' >"$r/tests/harness/a.sh" && chmod +x "$r/tests/harness/a.sh" &&
	printf '#!/bin/sh\necho "PASS b: ok"\n' >"$r/tests/harness/b.sh" &&
	printf '#!/bin/sh\nmkdir -p "$KQ_OUT/drift" && printf "x\\tstacked\\tapplies\\t-\\t-\\t-\\tok\\n" >"$KQ_OUT/drift/drift.tsv"\n' \
		>"$r/harness/drift.sh" || fail "check set-up"
env -u KQ_CROSS -u KQ_HEAVY PATH="$W/bin:$PATH" KQ_E2E_DATA="$D" KQ_ROOT="$r" KQ_OUT="$W/check" KQ_PIN=/dev/null \
	KQ_ARCHES=arm64 KQ_BOOT_MARGIN=30 KQ_STRICT_PATH=0 KQ_NO_BASE= KQ_MIN_FREE_GB=0 \
	"$r/kq" check --arch arm64 --base-tarball "$W/linux.tar.xz" >"$W/check.log" 2>&1 &&
	fail "./kq check passed with a test that is not executable"
# Self-tests 1 pass + 1 fail, queue 5, builds 2, drift 1, LAVA jobs 1, 31 rows of
# which 3 skip (aarch32_id_regs; set_id_regs, vgic_init fail on both).
last=$(tail -n 1 "$W/check.log")
[ "$last" = "38 passed, 1 failed, 3 skipped" ] || fail "./kq check counted '$last'"
grep -q "selftest b: .*not executable" "$W/check.log" || fail "the test without run bit is not named"
pass "recorded arm64 run: exit 0 ($n rows, $np proven), JUnit, JSON and KTAP valid, 4 LAVA jobs valid, reading the harness's results (a lane alone: 2); two runs in one report; a row made to fail: 1; patched build broken: 2; a series not applying: stops, base build stopped too; nothing boots: 2; ./kq check: $last"
