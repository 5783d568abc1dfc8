#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The run's VMs as LAVA jobs, for labs that boot and test on LAVA.
#
#   lava.sh [--arch A]... [--out DIR] [--url-base URL]
#           [--device-type T --boot-method M]
#           [--run VM-KIND]
#
# After ./kq run: for every VM (arch or lane) and kind (base, patched) it
# booted, DIR (default out/lava) gets jobs/<vm>-<kind>.yaml, a LAVA job
# that deploys the same kernel and initramfs (copied to DIR/artifacts/,
# named by file:// URLs, or by --url-base URL/<vm>-<kind>/<file> once the
# lab has them there), boots them with QEMU as the lane does (device type
# qemu: the lane's machine, CPU, memory, -smp and command line, TCG) and
# reads each test's result from the init's "kq: end N name result Nms"
# line (a LAVA "monitors" test: the init is not a shell). The plan's
# expectation and reason of each test are in the job's metadata, the
# timeouts are the plan's. DIR/jobs.tsv lists the jobs and their sizes.
#
# Real hardware: DIR/hw/ holds, per arch, jobs for a board of the device
# type given by --device-type (default: x86 for x86_64, LAVA's generic
# Intel machine booted with iPXE; rk3399-rock-pi-4b for arm64, booted by
# U-Boot), with kernel and device tree URLs the lab fills in
# (@KERNEL_URL@, @DTB_URL@: a board needs a kernel configured for it, the
# run's kernels are for QEMU's virt machines), KVM run at EL2 with no
# QEMU virtualization=on. x86_64 also gets the pair only Intel hardware
# can judge: vmx_apicv_svi_test (series 01) on a base with the SVI fix
# reverted (fails there) and on the patched kernel (passes).
#
# Every job written is checked with LAVA's job schema (lava-common);
# one it rejects fails the step (exit 1).
#
# --run VM-KIND (e.g. riscv64-patched): run that job with Debian's
# lava-dispatcher (lava-run, standalone, harness/setup.sh lava installs
# it) on a QEMU device dictionary rendered from lava-server's qemu
# device-type template, and compare its per-test results with the
# harness's for the same kernel: exit 0 identical, 1 not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
H=$KQ_ROOT/harness
R=$KQ_OUT/results

arches= dir=$KQ_OUT/lava url= devtype= method= run=
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arches="$arches ${2:?}"; shift 2 ;;
	--out) dir=${2:?}; shift 2 ;;
	--url-base) url=${2:?}; shift 2 ;;
	--device-type) devtype=${2:?}; shift 2 ;;
	--boot-method) method=${2:?}; shift 2 ;;
	--run) run=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,/^set /s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) printf 'kq: error: lava: unknown argument %s (./kq lava --help)\n' "'$1'" >&2; exit 2 ;;
	esac
done
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
compgen -G "$R/plan-*.tsv" >/dev/null || die "lava: no run in $KQ_OUT (./kq run first)"
# LAVA's code is Debian's python3 packages: Debian's python3 runs it.
PY=/usr/bin/python3
"$PY" -c 'import lava_common.schemas' 2>/dev/null ||
	die "lava: LAVA's job schema is missing: install the Debian package 'lava-common' (or run ./kq setup)"

# yaml_q <text>: a single-quoted YAML scalar.
yaml_q() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }
# secs <n>: a LAVA timeout of n seconds.
secs() { printf '{seconds: %d}' "$1"; }

# The VMs the run booted, narrowed by --arch (an arch names its lanes).
vms=
for f in "$R"/plan-*.tsv; do
	v=${f##*/plan-}; v=${v%.tsv}
	[ "$v" != host ] || continue
	if [ -n "$arches" ]; then
		case " $arches " in *" $v "*|*" $(arch_of "$v") "*) ;; *) continue ;; esac
	fi
	vms="$vms $v"
done
if [ -z "$vms" ]; then
	[ -z "$arches" ] || die "lava: no VM of '${arches# }' in the last run"
	say "lava: the last run booted no VM (host tests only): no job"
	exit 0
fi

kernel_ver=$(kv "$KQ_OUT/base.info" kernel 2>/dev/null || echo 6.12)
# metadata <vm>: the plan's expectation and reason per test.
metadata() {
	awk -F'\t' '{ printf "  %s: ", "kq.expect." $2
		v = $4 "/" $5 ($7 != "" ? " # " $7 : ""); gsub(/\047/, "\047\047", v)
		printf "\047%s\047\n", v }' "$R/plan-$1.tsv"
}
# monitor <name> <timeout>: the test action: one result per test from
# the init's kmsg line; a timeout is a fail, as in the harness.
monitor() {
	cat <<EOF
- test:
    timeout: $(secs "$2")
    monitors:
    - name: $1
      start: 'kq: begin 1 '
      end: 'kq: done'
      pattern: 'kq: end \d+ (?P<test_case_id>[^ ]+) (?P<result>pass|fail|skip|timeout) (?P<measurement>\d+)(?P<units>ms)'
      fixupdict: {timeout: fail}
EOF
}

# qemu_job <vm> <kind> <kernel-url> <initrd-url> <test-timeout> <wait>
# (wait: the longest the console may be silent: a boot, the longest test)
qemu_job() {
	local v=$1 kind=$2 k machine= cpu= mem=1024 smp= extra=() a
	k=$(arch_of "$v")
	read -ra a <<<"$(arch_get "$v" qemu_args)"
	while [ ${#a[@]} -gt 0 ]; do
		case ${a[0]} in
		-M|-machine) machine=${a[1]}; a=("${a[@]:2}") ;;
		-cpu) cpu=${a[1]}; a=("${a[@]:2}") ;;
		-m) mem=${a[1]}; a=("${a[@]:2}") ;;
		-*) if [ ${#a[@]} -gt 1 ] && [[ ${a[1]} != -* ]]; then
			extra+=("${a[0]} ${a[1]}"); a=("${a[@]:2}")
		    else
			extra+=("${a[0]}"); a=("${a[@]:1}")
		    fi ;;
		*) extra+=("${a[0]}"); a=("${a[@]:1}") ;;
		esac
	done
	case $mem in *G) mem=$((${mem%G} * 1024)) ;; *M) mem=${mem%M} ;; esac
	# LAVA's qemu template sets -machine and -cpu for arm64 and riscv64
	# only; x86_64 gets them as extra options (and no -enable-kvm).
	if [ "$k" = x86_64 ]; then
		extra=("-machine $machine" "-cpu $cpu" "${extra[@]}")
		machine= cpu=
	fi
	cat <<EOF
# kq: $v $kind, Linux $kernel_ver under QEMU TCG as ./kq run boots it
# ($(wc -l <"$R/$kind/$v/plan") tests; generated by ./kq lava)
device_type: qemu
job_name: $(yaml_q "kq $v $kind (Linux $kernel_ver)")
visibility: public
priority: medium
timeouts:
  job: $(secs $(($5 + 900)))
  connection: $(secs "$6")
context:
  arch: $(case $k in x86_64) echo x86_64 ;; arm64) echo arm64 ;; *) echo "$k" ;; esac)
${machine:+  machine: $(yaml_q "$machine")
}${cpu:+  cpu: $(yaml_q "$cpu")
}  memory: $mem
  no_kvm: true
  extra_options:
$(for o in "${extra[@]}"; do echo "  - $(yaml_q "$o")"; done)
  - '-no-reboot'
  - $(yaml_q "-append \"console=$(arch_get "$v" console) panic=-1 printk.time=1 $(arch_get "$v" append)\"")
metadata:
  kq.vm: $v
  kq.kind: $kind
  kq.kernel: $(yaml_q "$kernel_ver")
$(metadata "$v")
actions:
- deploy:
    to: tmpfs
    timeout: {minutes: 10}
    images:
      kernel:
        image_arg: '-kernel {kernel}'
        url: $(yaml_q "$3")
      ramdisk:
        image_arg: '-initrd {ramdisk}'
        url: $(yaml_q "$4")
- boot:
    method: qemu
    media: tmpfs
    timeout: {minutes: 5}
$(monitor "kq-$v-$kind" "$5")
EOF
}

# hw_job <arch> <label> <device-type> <method> <initrd-url> <timeout> [kernel-url]
hw_job() {
	local k=$1 ktype= dtb=
	case $k in
	arm64) ktype="      type: image"; dtb="    dtb:
      url: '@DTB_URL@'" ;;
	riscv64) ktype="      type: image" ;;
	esac
	cat <<EOF
# kq: $2 on real hardware (device type $3, booted by $4): fill in the
# kernel$( [ -z "$dtb" ] || echo " and device tree") URL; the kernel is one configured for the board.
device_type: $(yaml_q "$3")
job_name: $(yaml_q "kq $2 (Linux $kernel_ver, $3)")
visibility: public
priority: medium
timeouts:
  job: $(secs $(($6 + 1200)))
  connection: {minutes: 20}
context:
  extra_kernel_args: 'panic=-1 printk.time=1 loglevel=7'
metadata:
  kq.job: $(yaml_q "$2")
  kq.kernel: $(yaml_q "$kernel_ver")
actions:
- deploy:
    to: tftp
    timeout: {minutes: 10}
    kernel:
      url: $(yaml_q "${7:-@KERNEL_URL@}")
${ktype:+$ktype
}    ramdisk:
      url: $(yaml_q "$5")
${dtb:+$dtb
}- boot:
    method: $4
    commands: ramdisk
    timeout: {minutes: 10}
$(monitor "kq-$2" "$6")
EOF
}

rm -rf "$dir/jobs" "$dir/hw"
mkdir -p "$dir/jobs" "$dir/hw" "$dir/artifacts"
printf 'job\tvm\tkind\ttests\tkernel_bytes\tinitramfs_bytes\ttimeout_s\n' >"$dir/jobs.tsv"
n=0
for v in $vms; do
	k=$(arch_of "$v")
	for kind in base patched; do
		plan=$R/$kind/$v/plan initrd=$R/$kind/$v/initramfs.cpio
		kernel=$(kernel_of "$v" "$kind")
		if [ ! -s "$initrd" ] || [ ! -f "$kernel" ]; then
			say "lava: $v $kind: not booted in the last run, no job"
			continue
		fi
		a=$dir/artifacts/$v-$kind
		mkdir -p "$a"
		# Copies: a later build rewrites the kernel image in place.
		cp --reflink=auto "$kernel" "$a/"
		cp --reflink=auto "$initrd" "$a/initramfs.cpio"
		base_url=${url:-file://$dir/artifacts}/$v-$kind
		t=$(awk -F'\t' '{ s += $2 } END { print s + 120 }' "$plan")
		w=$(awk -F'\t' '$2 > m { m = $2 } END { print m + 300 }' "$plan")
		qemu_job "$v" "$kind" "$base_url/${kernel##*/}" "$base_url/initramfs.cpio" "$t" "$w" \
			>"$dir/jobs/$v-$kind.yaml"
		printf '%s\t%s\t%s\t%d\t%d\t%d\t%d\n' "jobs/$v-$kind.yaml" "$v" "$kind" \
			"$(wc -l <"$plan")" "$(stat -c %s "$kernel")" "$(stat -c %s "$initrd")" "$t" >>"$dir/jobs.tsv"
		n=$((n + 1))
	done
done

# Real hardware, per arch of the VMs above (not riscv64: LAVA 2023.01
# knows no board with the H extension).
for k in $(for v in $vms; do arch_of "$v"; done | sort -u); do
	case $k in
	x86_64) dt=${devtype:-x86} m=${method:-ipxe} ;;
	arm64) dt=${devtype:-rk3399-rock-pi-4b} m=${method:-u-boot} ;;
	*) continue ;;
	esac
	for kind in base patched; do
		[ -f "$dir/jobs/$k-$kind.yaml" ] || continue
		base_url=${url:-file://$dir/artifacts}/$k-$kind
		t=$(awk -F'\t' '{ s += $2 } END { print s + 120 }' "$R/$kind/$k/plan")
		hw_job "$k" "$k-$kind" "$dt" "$m" "$base_url/initramfs.cpio" "$t" >"$dir/hw/$k-$kind.yaml"
		printf '%s\t%s\t%s\t%d\t-\t%d\t%d\n' "hw/$k-$kind.yaml" "$k" "$kind" \
			"$(wc -l <"$R/$kind/$k/plan")" "$(stat -c %s "$R/$kind/$k/initramfs.cpio")" "$t" >>"$dir/jobs.tsv"
		n=$((n + 1))
	done
	[ "$k" = x86_64 ] || continue
	# vmx_apicv_svi_test alone, the patched tree's binary: the base
	# with the fix reverted must fail it, the patched kernel pass.
	svi=$KQ_OUT/build/x86_64-patched/bin/kvm/x86_64/vmx_apicv_svi_test
	if [ ! -x "$svi" ]; then
		say "lava: x86_64: no vmx_apicv_svi_test built in the patched tree, no Intel SVI jobs"
		continue
	fi
	s=$dir/artifacts/x86_64-intel-svi
	mkdir -p "$s/bin/kvm/x86_64"
	ln -f "$svi" "$s/bin/kvm/x86_64/" 2>/dev/null || cp "$svi" "$s/bin/kvm/x86_64/"
	printf 'x86_64.vmx_apicv_svi_test\t60\tkvm/x86_64/vmx_apicv_svi_test\n' >"$s/plan"
	"$H/initramfs.sh" x86_64 "$s/initramfs.cpio" "$s/plan" "$s/bin" ||
		die "lava: cannot build the initramfs of the Intel SVI jobs"
	surl=${url:-file://$dir/artifacts}/x86_64-intel-svi
	hw_job x86_64 x86_64-intel-svi-base-reverted "$dt" "$m" "$surl/initramfs.cpio" 180 \
		'@KERNEL_URL_BASE_SVI_FIX_REVERTED@' >"$dir/hw/x86_64-intel-svi-base-reverted.yaml"
	hw_job x86_64 x86_64-intel-svi-patched "$dt" "$m" "$surl/initramfs.cpio" 180 \
		>"$dir/hw/x86_64-intel-svi-patched.yaml"
	for j in base-reverted patched; do
		printf '%s\tx86_64\t%s\t1\t-\t%d\t180\n' "hw/x86_64-intel-svi-$j.yaml" "$j" \
			"$(stat -c %s "$s/initramfs.cpio")" >>"$dir/jobs.tsv"
	done
	n=$((n + 2))
done

mapfile -t all < <(compgen -G "$dir/jobs/*.yaml"; compgen -G "$dir/hw/*.yaml")
[ ${#all[@]} -gt 0 ] || die "lava: no VM of the last run was booted: no job written"
"$PY" "$H/lava.py" validate "${all[@]}" ||
	die "lava: a job was rejected by LAVA's schema (see above)"
say "lava: $n jobs in $dir (jobs/: QEMU, hw/: real boards), all valid for LAVA's schema; list: $dir/jobs.tsv"
[ -n "$run" ] || exit 0

# --run: the job under Debian's lava-dispatcher.
job=$dir/jobs/$run.yaml
[ -f "$job" ] || die "lava: --run $run: no $job (one of: $(cd "$dir/jobs" && ls | sed 's/\.yaml$//' | paste -sd ' '))"
v=${run%-*} kind=${run##*-}
[ "$(id -u)" -eq 0 ] || die "lava: --run needs root (lava-run runs QEMU from /var/lib/lava)"
command -v lava-run >/dev/null || "$H/setup.sh" lava || exit 2
need_tool lava-run lava-dispatcher
x=$dir/lava-server
if [ ! -f "$x/usr/share/lava-server/device-types/qemu.jinja2" ]; then
	# lava-server's device-type templates without the server (PostgreSQL,
	# Django): the package unpacked, not installed.
	mkdir -p "$x"
	(cd "$x" && apt-get download -q lava-server >/dev/null 2>&1) ||
		die "lava: apt-get download lava-server failed (Debian's archive)"
	dpkg-deb -x "$x"/lava-server_*.deb "$x" || die "lava: cannot unpack lava-server"
fi
rd=$dir/run/$run
rm -rf "$rd"; mkdir -p "$rd"
"$PY" "$H/lava.py" device "$x/usr/share/lava-server/device-types" "$job" "$rd/device.yaml" \
	device_type=qemu mac_addr=52:54:00:12:34:59 || die "lava: cannot render the qemu device dictionary"
say "lava: lava-run $run, $(awk -F'\t' -v j="jobs/$run.yaml" '$1 == j { print $4 }' "$dir/jobs.tsv") tests (log: $rd/output.yaml)"
t=$(awk -F'\t' -v j="jobs/$run.yaml" '$1 == j { print $7 + 900 }' "$dir/jobs.tsv")
rc=0
# Its log (YAML, one entry a line) goes to stderr.
timeout -k 30 "$t" lava-run --job-id "kq-$run" --output-dir "$rd/tmp" --device "$rd/device.yaml" \
	"$job" >"$rd/output.yaml" 2>&1 || rc=$?
"$PY" "$H/lava.py" results "$rd/output.yaml" | LC_ALL=C sort >"$rd/lava.tsv" ||
	die "lava: lava-run gave no test results (exit status $rc; its log: $rd/output.yaml)"
# The harness's results for the same kernel and initramfs, @boot aside.
awk -F'\t' '$1 != "boot" && $2 != "absent" { print $1 "\t" ($2 == "timeout" ? "fail" : $2) }' \
	"$R/$kind/$v/results.tsv" | LC_ALL=C sort >"$rd/kq.tsv"
say "lava: $run: test, LAVA, ./kq run:"
LC_ALL=C join -t "$(printf '\t')" -a 1 -a 2 -e - -o 0,1.2,2.2 "$rd/lava.tsv" "$rd/kq.tsv" |
	tee "$rd/compare.tsv" | awk -F'\t' '{ printf "  %-40s %-6s %-6s%s\n", $1, $2, $3, $2 == $3 ? "" : "  DIFFERS" }' >&2
if ! awk -F'\t' '$2 != $3 { exit 1 }' "$rd/compare.tsv"; then
	warn "lava: $run: LAVA's results differ from the harness's ($rd/compare.tsv)"
	exit 1
fi
[ $rc -eq 0 ] || { warn "lava: $run: results identical, but lava-run exited $rc (its log: $rd/output.yaml)"; exit 1; }
say "lava: $run: $(wc -l <"$rd/compare.tsv") tests, LAVA's results identical to ./kq run's (lava-run exit status $rc)"
