# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the harness scripts. Sourced, never run.

KQ_ROOT=${KQ_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
KQ_OUT=${KQ_OUT:-$KQ_ROOT/out}
# Absolute: make -C and cd into the trees must not change what it names.
case $KQ_OUT in /*) ;; *) KQ_OUT=$PWD/$KQ_OUT ;; esac
KQ_ARCHES=${KQ_ARCHES:-"x86_64 arm64 riscv64"}
KQ_JOBS=${KQ_JOBS:-$(nproc)}
# The kernel git tree, at tag base; the patched tree (branch queue) is a
# worktree of it beside it. Each keeps its own build dirs, so neither
# ever changes under the other's objects.
KQ_TREE=${KQ_TREE:-$KQ_OUT/linux}
KQ_PTREE=${KQ_PTREE:-$KQ_OUT/patched}

export KQ_ROOT KQ_OUT

# no_base <arch or lane>: true if KQ_NO_BASE names its arch.
no_base() {
	case " ${KQ_NO_BASE:-} " in *" $(arch_of "$1") "*) return 0 ;; esac
	return 1
}

# tree_of <kind>: the source tree of a base or patched build.
tree_of() {
	case $1 in
	base) echo "$KQ_TREE" ;;
	patched) echo "$KQ_PTREE" ;;
	*) die "unknown kind '$1' (base or patched)" ;;
	esac
}

# kq_git <git args>: the harness's one way to run git. No system or user
# config (format.*, diff.*, am.*, apply.* and attribute files change what
# is applied and exported), the C locale (git's messages are parsed) and a
# fixed committer, so queue commit ids depend on the base and the patches
# only.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT
kq_git() {
	LC_ALL=C GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	GIT_COMMITTER_NAME=kq GIT_COMMITTER_EMAIL=kq@localhost \
		git -c core.attributesFile=/dev/null "$@"
}

# kq_git_fixed <git args>: kq_git with a fixed author and fixed dates, for
# commits the harness (and its tests) make themselves: the base commit id
# depends on the tarball only.
kq_git_fixed() {
	GIT_AUTHOR_NAME=kq GIT_AUTHOR_EMAIL=kq@localhost \
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' \
	GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' kq_git "$@"
}

kq_ts() { date +%H:%M:%S; }
say() { printf '[%s] %s\n' "$(kq_ts)" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$(kq_ts)" "$*" >&2; }
die() { printf 'kq: error: %s\n' "$*" >&2; exit 1; }

# need_tool <command> <debian-package>
need_tool() {
	command -v "$1" >/dev/null 2>&1 ||
		die "missing tool '$1': install the Debian package '$2' (or run ./kq setup)"
}

# Read key=value from a file: kv <file> <key>
kv() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# arch data: arch_get <arch> <key>. A lane, arch/<arch>-<lane>.conf with
# lane_of=<arch> (or lane_of=<another lane of it>), is another VM of the
# same arch: it boots the arch's kernel and binaries, and its own keys
# (qemu_args, append, ...) replace those of what it is a lane of.
arch_get() {
	local f=$KQ_ROOT/arch/$1.conf p
	[ -f "$f" ] || die "unknown arch '$1' (no $f)"
	if grep -q "^$2=" "$f"; then
		kv "$f" "$2"
	else
		p=$(kv "$f" lane_of)
		[ -z "$p" ] || arch_get "$p" "$2"
	fi
}

# cross_arches: the arches kq builds but does not boot (boot=no in
# arch/<arch>.conf: harness/cross.sh).
cross_arches() {
	local f
	for f in "$KQ_ROOT"/arch/*.conf; do
		[ "$(kv "$f" boot)" = no ] && basename "$f" .conf
	done
	return 0
}

# arch_of <arch or lane>: the arch whose kernel it boots.
arch_of() {
	local p
	p=$(arch_get "$1" lane_of)
	if [ -n "$p" ]; then arch_of "$p"; else echo "$1"; fi
}

# build_of <vm> <kind>: the build a VM boots (builds.tsv's name, under
# $KQ_OUT/build/): its arch's, or for a lane that names a test_patch (a
# test-only change on top of the queue) its own patched kernel
# (harness/build.sh lane).
build_of() {
	if [ "$2" = patched ] && [ "$(arch_of "$1")" != "$1" ] && [ -n "$(arch_get "$1" test_patch)" ]; then
		echo "$1-patched"
	else
		echo "$(arch_of "$1")-$2"
	fi
}

# kernel_of <vm> <kind>: the kernel image of build_of.
kernel_of() {
	echo "$KQ_OUT/build/$(build_of "$1" "$2")/$(arch_get "$(arch_of "$1")" image)"
}

# lanes_of <arch>: its lanes, by name, also those that are lanes of a lane.
lanes_of() {
	local f l
	for f in "$KQ_ROOT/arch/$1"-*.conf; do
		[ -f "$f" ] || continue
		l=$(basename "$f" .conf)
		[ "$(arch_of "$l")" = "$1" ] && echo "$l"
	done
	return 0
}

# vms_of <arch or lane> <heavy 1|0>: the VMs that --arch names: a lane
# alone, or the arch and its lanes, those with heavy=1 (tests too long for
# CI) only if <heavy> is 1.
vms_of() {
	local l
	echo "$1"
	[ "$(arch_of "$1")" = "$1" ] || return 0
	for l in $(lanes_of "$1"); do
		[ "$2" = 1 ] || [ "$(arch_get "$l" heavy)" != 1 ] || continue
		echo "$l"
	done
}

# Run a long command, printing a progress line every 30 s so CI logs
# never look stuck. Output goes to the given log; its tail is shown on error.
run_logged() {
	local log=$1 what=$2; shift 2
	local start=$SECONDS pid rc limit=${KQ_STEP_LIMIT:-3600}
	# Bounded: a build that hangs is stopped (its whole process group).
	timeout -k 10 "$limit" "$@" >"$log" 2>&1 &
	pid=$!
	while ! wait_timeout "$pid" 30; do
		say "  ... $what: $((SECONDS - start))s"
	done
	wait "$pid"; rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "kq: stopped at the ${limit} s limit (KQ_STEP_LIMIT)" >>"$log"
		say "$what: stopped at its ${limit} s limit (KQ_STEP_LIMIT), log: $log"
	elif [ $rc -ne 0 ]; then
		tail -n 30 "$log" >&2
		say "$what failed (rc=$rc), full log: $log"
	fi
	return $rc
}

# missing_in <log>: if the log shows a program or header that is not
# there ("rsync: not found", "fatal error: libelf.h: No such file"), one
# line naming it and its Debian package from harness/tools.tsv; nothing
# otherwise. For the error line of a failed build step.
missing_in() {
	local what
	[ -f "$1" ] || return 0
	what=$(sed -n -E \
		-e 's/^.*[ :]([A-Za-z0-9_.+-]+): (command )?not found$/\1/p' \
		-e 's/^.*fatal error: ([A-Za-z0-9_./+-]+): No such file or directory$/\1/p' \
		-e 's/^make(\[[0-9]+\])?: ([A-Za-z0-9_.+-]+): No such file or directory$/\2/p' \
		"$1" | head -n 1)
	[ -n "$what" ] || return 0
	local pkg
	pkg=$(awk -F'\t' -v w="$what" '!/^#/ && ($1 == w || substr($1, length($1) - length(w)) == "/" w) \
		{ print $2; exit }' "${KQ_TOOLS:-$KQ_ROOT/harness/tools.tsv}")
	if [ -n "$pkg" ]; then
		printf '%s not found: apt-get install %s\n' "$what" "$pkg"
	else
		printf '%s not found, and harness/tools.tsv names no package for it\n' "$what"
	fi
}

# wait_timeout <pid> <seconds>: 0 if the process ended within the time.
# One check a second: a build's progress loop need not fork ten times a
# second for half an hour.
wait_timeout() {
	local i
	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 1
	done
	! kill -0 "$1" 2>/dev/null
}

# config_verify <.config> <label> <fragment>...: every option a fragment
# asks for must be in the final .config (merge_config.sh silently drops
# options whose dependencies are off). One error line per dropped option;
# false if any. A caller may define config_skip <fragment> <symbol>:
# the options it accepts are not checked.
config_verify() {
	local cfg=$1 label=$2 f line sym want got bad=0
	shift 2
	for f in "$@"; do
		while read -r line; do
			case $line in
			CONFIG_*=*) sym=${line%%=*}; want=${line#*=} ;;
			"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want=n ;;
			*) continue ;;
			esac
			if declare -F config_skip >/dev/null && config_skip "$f" "$sym"; then
				continue
			fi
			got=$(sed -n "s/^$sym=//p" "$cfg")
			[ -n "$got" ] || got=n
			if [ "$got" != "$want" ]; then
				echo "kq: error: $label: $(basename "$f"): $sym=$want was dropped (got $got): a dependency is off" >&2
				bad=1
			fi
		done <"$f"
	done
	return $bad
}
