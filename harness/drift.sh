#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The queue on every linux-source-6.12 the archive offers: per version,
# each series alone on that base, then all stacked, then an x86_64 build
# of what the queue touches (mm/ fs/proc/ arch/x86/kvm/) on the stack.
#
#   drift.sh [--local | --version V | --tarball V=FILE...]
#            [--newer-than-pin] [--no-build]
#
#   --local           only the installed package's tarball (no network)
#   --version V       only version V (6.12.117-1~deb12u1, or 6.12.117;
#                     repeatable)
#   --tarball V=FILE  FILE as the tarball of version V, instead of the
#                     archive (repeatable; for testing and offline use)
#   --newer-than-pin  only versions newer than base/pin's
#   --no-build        apply only
#
# The .debs are fetched with apt-get download (no root) into
# $KQ_OUT/drift/debs/; each version's tarball, tree (harness/base.sh),
# queue state (harness/queue.sh) and build are kept in
# $KQ_OUT/drift/<version>/. Results: a table on stdout and
# $KQ_OUT/drift/drift.tsv: version, series (NN-name or "stacked"), status
# (applies, already-in-base, conflicts, build-ok, build-fail, notrun),
# patch, file, hunk (line), detail.
# Exit status: 0 everything applies and builds, 1 a conflict or a failed
# build, 2 set-up failed (a missing tool, no such version, a download).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

H=$KQ_ROOT/harness
PIN=${KQ_PIN:-$KQ_ROOT/base/pin}
D=$KQ_OUT/drift
export KQ_SERIES=${KQ_SERIES:-$KQ_ROOT/series}
BUILD_TIMEOUT=${KQ_DRIFT_TIMEOUT:-3600}

fatal() { printf 'kq: error: drift: %s\n' "$*" >&2; exit 2; }

local_only=0 want=() newer=0 build=1 given=()
while [ $# -gt 0 ]; do
	case $1 in
	--local) local_only=1; shift ;;
	--version) [ $# -ge 2 ] || fatal "--version needs a version"; want+=("$2"); shift 2 ;;
	--tarball) [[ ${2:-} == ?*=?* ]] || fatal "--tarball needs VERSION=FILE"
		given+=("$2"); shift 2 ;;
	--newer-than-pin) newer=1; shift ;;
	--no-build) build=0; shift ;;
	-h|--help) sed -n '3,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) fatal "unknown argument '$1' (see ./kq drift --help)" ;;
	esac
done
[ $local_only = 0 ] || [ ${#given[@]} -eq 0 ] || fatal "--local and --tarball exclude each other"
"$H/tools.sh" check drift || exit 2

pkg=$(kv "$PIN" package) pinver=$(kv "$PIN" version) member=$(kv "$PIN" tarball)
[ -n "$pkg" ] && [ -n "$member" ] || fatal "$PIN has no package= or tarball="
inst=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) && [ -f "$member" ] || inst=

# The versions to look at: "version<TAB>tarball", the tarball empty when
# it is to be fetched from the archive.
if [ ${#given[@]} -gt 0 ]; then
	from="--tarball"
	list=$(for t in "${given[@]}"; do printf '%s\t%s\n' "${t%%=*}" "${t#*=}"; done)
elif [ $local_only = 1 ]; then
	from="the installed $pkg"
	[ -n "$inst" ] || fatal "--local: no $member: install the Debian package '$pkg' (./kq setup does)"
	list=$(printf '%s\t%s\n' "$inst" "$member")
else
	from="apt-cache madison $pkg"
	# The installed package's tarball stands for its own version.
	list=$(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' -v inst="$inst" -v tb="$member" '
		$3 ~ /Packages *$/ { v = $2; gsub(/ /, "", v)
			if (!seen[v]++) print v "\t" (v == inst ? tb : "") }') || true
fi
[ -n "$list" ] || fatal "no version of $pkg found ($from lists none; apt-get update?)"
if [ ${#want[@]} -gt 0 ]; then
	sel=
	for w in "${want[@]}"; do
		# The Debian version, or its upstream part (6.12.117).
		one=$(printf '%s\n' "$list" | awk -F'\t' -v w="$w" '$1 == w || substr($1, 1, length(w) + 1) == w "-"')
		[ -n "$one" ] || fatal "version '$w' not found ($from has: $(printf '%s\n' "$list" | cut -f1 | paste -sd' '))"
		sel=${sel:+$sel$'\n'}$one
	done
	list=$sel
fi
if [ $newer = 1 ]; then
	list=$(printf '%s\n' "$list" | while IFS=$'\t' read -r v t; do
		! dpkg --compare-versions "$v" gt "$pinver" || printf '%s\t%s\n' "$v" "$t"
	done)
fi

mkdir -p "$D/debs"
exec 8>"$D/lock"
flock -n 8 || fatal "another drift.sh is running on $KQ_OUT ($D/lock)"
TSV=$D/drift.tsv
: >"$TSV"
if [ -z "$list" ]; then
	say "drift: no $pkg newer than base/pin's $pinver: nothing to do"
	exit 0
fi

# row <version> <series> <status> <patch> <file> <hunk> <detail>
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$TSV"; }

fetch_deb() { cd "$1" && apt-get download -q "$2"; }

# tarball_of <version>: the version's tarball in $D/<version>/, from its
# .deb (downloaded once into $D/debs/).
tarball_of() {
	local v=$1 deb=$D/debs/${pkg}_$1.deb tb=$D/$1/${member##*/} tmp=$D/debs/tmp
	if [ ! -s "$deb" ]; then
		say "drift: $v: apt-get download $pkg=$v"
		rm -rf "$tmp" && mkdir -p "$tmp"
		run_logged "$D/debs/download-$v.log" "download $pkg=$v" fetch_deb "$tmp" "$pkg=$v" &&
			[ "$(find "$tmp" -name '*.deb' | wc -l)" = 1 ] ||
			fatal "$v: apt-get download $pkg=$v failed (see $D/debs/download-$v.log)"
		mv "$tmp"/*.deb "$deb"
	fi
	if [ ! -s "$tb" ]; then
		say "drift: $v: extracting $member from ${deb##*/}"
		mkdir -p "$D/$v"
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ".$member" >"$tb.part" &&
			mv "$tb.part" "$tb" || fatal "$v: no $member in $deb"
	fi
	printf '%s\n' "$tb"
}

# apply <version> <series|stacked>: queue.sh apply of one series (or of
# all) on the version's tree; one row.
apply() {
	local v=$1 s=$2 o=$D/$1 log=$D/$1/apply-$2.log st= err n m skipped
	local -a one=() w
	[ "$s" = stacked ] && st=1 || one=(--series "$s")
	say "drift: $v: applying $s"
	if run_logged "$log" "apply $s on $v" \
		env KQ_OUT="$o" KQ_TREE="$o/linux" "$H/queue.sh" apply "${one[@]}"; then
		n=$(awk -F'\t' '$3 == "applied"' "$o/queue/applied.tsv" | wc -l)
		# Already in base: the file, with its series when stacked.
		skipped=$(awk -F'\t' -v st="$st" \
			'{ printf "%s%s%s", sep, st ? $1 "/" : "", $2; sep = " " }' "$o/queue/skipped.tsv")
		m=$(printf '%s' "$skipped" | wc -w)
		if [ "$m" -gt 0 ]; then
			row "$v" "$s" already-in-base "$skipped" - - "$n applied, $m already in base ($skipped)"
		else
			row "$v" "$s" applies - - - "$n applied"
		fi
		return 0
	fi
	err=$(sed -n 's/^kq: error: //p' "$log" | tail -n 1)
	err=${err#apply: }
	err=${err%; tree reset to base}
	# "series S: P does not apply to F (hunk at line H does not match), ..."
	mapfile -t w < <(printf '%s\n' "$err" | awk -v st="$st" '{
		p = "-"; f = "-"; h = "-"
		if ($1 == "series") { p = $3; if (st) { s = $2; sub(/:$/, "", s); p = s "/" p } }
		if (match($0, / does not apply to [^ ]+ \(/)) {
			f = substr($0, RSTART + 19, RLENGTH - 21)
			rest = substr($0, RSTART + RLENGTH)
			if (match(rest, /^hunk at line [0-9]+/)) h = substr(rest, 14, RLENGTH - 13)
		}
		print p; print f; print h }')
	[ -n "$st" ] || err=${err#series "$s": }
	row "$v" "$s" conflicts "${w[0]:--}" "${w[1]:--}" "${w[2]:--}" "${err:-queue.sh apply failed (see $log)}"
	return 1
}

# build <version>: x86_64 defconfig + KVM, make of what the queue touches,
# on the version's tree as queue.sh left it (the stack); one row.
build() {
	local v=$1 t=$D/$1/linux o=$D/$1/build rc=0 t0=$SECONDS o1 why
	export CCACHE_DIR=${CCACHE_DIR:-$KQ_OUT/ccache}
	# Every version's tree and build sit at the same depth under $D.
	export CCACHE_BASEDIR=$D CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
	local km=(make -C "$t" O="$o" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc")
	mkdir -p "$o"
	say "drift: $v: building mm/ fs/proc/ arch/x86/kvm/ for x86_64 (log $o/build.log)"
	{ "${km[@]}" -s x86_64_defconfig &&
		"$t/scripts/config" --file "$o/.config" -e VIRTUALIZATION -e KVM -e KVM_INTEL -e KVM_AMD &&
		"${km[@]}" -s olddefconfig; } >"$o/config.log" 2>&1 || rc=$?
	for o1 in KVM KVM_INTEL KVM_AMD; do
		[ $rc -ne 0 ] || grep -q "^CONFIG_$o1=y" "$o/.config" || rc=1
	done
	if [ $rc -ne 0 ]; then
		row "$v" stacked build-fail - - - "x86_64_defconfig + KVM failed (see $o/config.log)"
		return 1
	fi
	run_logged "$o/build.log" "build $v" timeout "$BUILD_TIMEOUT" \
		"${km[@]}" -j"$KQ_JOBS" mm/ fs/proc/ arch/x86/kvm/ || rc=$?
	if [ $rc -eq 0 ]; then
		row "$v" stacked build-ok - - - "mm/ fs/proc/ arch/x86/kvm/ in $((SECONDS - t0))s"
		return 0
	fi
	why=$(grep -m 1 -E ': error: |\*\*\*' "$o/build.log" || true)
	[ $rc -ne 124 ] || why="timed out after ${BUILD_TIMEOUT}s"
	row "$v" stacked build-fail - - - "${why:-make failed (rc=$rc)}; log $o/build.log"
	return 1
}

mapfile -t series < <(cd "$KQ_SERIES" && LC_ALL=C ls -d [0-9][0-9]-*/ 2>/dev/null | sed 's#/$##')
[ ${#series[@]} -gt 0 ] || fatal "no series in $KQ_SERIES"
mapfile -t vers <<<"$list"
bad=0 t_start=$SECONDS
for vt in "${vers[@]}"; do
	v=${vt%%$'\t'*} tb=${vt#*$'\t'}
	[ -n "$tb" ] || tb=$(tarball_of "$v")
	[ -f "$tb" ] || fatal "$v: tarball '$tb' not found"
	say "drift: $v: base tree from ${tb##*/}"
	mkdir -p "$D/$v"
	run_logged "$D/$v/base.log" "base tree $v" \
		env KQ_OUT="$D/$v" KQ_TREE="$D/$v/linux" "$H/base.sh" --tarball "$tb" || exit 2
	for s in "${series[@]}"; do apply "$v" "$s" || bad=1; done
	if apply "$v" stacked; then
		[ $build = 0 ] || build "$v" || bad=1
	else
		bad=1
		[ $build = 0 ] || row "$v" stacked notrun - - - "not built: the stack does not apply"
	fi
	say "drift: $v: $(awk -F'\t' -v v="$v" '$1 == v { c[$3]++ }
		END { for (k in c) { printf "%s%d %s", sep, c[k], k; sep = ", " } }' "$TSV")"
done

echo "Drift of the queue over $pkg (base/pin: $pinver; $D/drift.tsv):"
awk -F'\t' 'BEGIN { printf "  %-20s %-28s %-16s %s\n", "version", "series", "status", "patch, file, hunk / detail" }
	{ w = $3 == "conflicts" && $5 != "-" ? $4 ": " $5 ($6 != "-" ? ", hunk at line " $6 : "") : $7
	  printf "  %-20s %-28s %-16s %s\n", $1, $2, $3, w }' "$TSV"
say "drift: done in $(((SECONDS - t_start) / 60))m$(((SECONDS - t_start) % 60))s"
exit $bad
