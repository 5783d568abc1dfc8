#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The programs the harness needs, from harness/tools.tsv ($KQ_TOOLS).
# A <need> is a word of its third column: all (always implied), an arch
# or lane (its arch's rows), cross, fresh, drift.
#
#   tools.sh packages [need...]     the Debian packages, one per line
#   tools.sh check [need...]        one error line naming the packages of
#                                   whatever is missing; exit 1
#   tools.sh strict-path DIR [need...]
#                                   DIR/: a link to every program of an
#                                   essential or required package, of apt,
#                                   and of the listed packages with their
#                                   dependencies: a PATH with only what a
#                                   fresh machine has after ./kq setup
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KQ_TOOLS=${KQ_TOOLS:-$KQ_ROOT/harness/tools.tsv}
[ -f "$KQ_TOOLS" ] || die "tools: no $KQ_TOOLS"

# rows [need...]: "what<TAB>package" of the rows those needs select.
rows() {
	local n needs=" all "
	for n in "$@"; do needs="$needs$n $(arch_of "$n" 2>/dev/null || true) "; done
	awk -F'\t' -v needs="$needs" '!/^#/ && NF >= 3 && index(needs, " " $3 " ") { print $1 "\t" $2 }' \
		"$KQ_TOOLS"
}

packages() { rows "$@" | cut -f2 | awk '!seen[$0]++'; }

check() {
	local what pkg miss=() pk=()
	while IFS=$'\t' read -r what pkg; do
		case $what in
		/*) [ -e "$what" ] && continue ;;
		*) command -v "$what" >/dev/null 2>&1 && continue ;;
		esac
		miss+=("$what")
		[[ " ${pk[*]} " == *" $pkg "* ]] || pk+=("$pkg")
	done < <(rows "$@")
	[ ${#miss[@]} -eq 0 ] && return 0
	printf 'kq: error: %s not found: apt-get install %s\n' \
		"$(printf '%s\n' "${miss[@]}" | paste -sd, | sed 's/,/, /g')" "${pk[*]}" >&2
	exit 1
}

# strict_path <dir> [need...]
strict_path() {
	local dir=$1 tmp
	shift
	tmp=$(mktemp -d)
	# What minbase installs, and what setup adds, with every dependency.
	{
		dpkg-query -W -f '${Package}\t${Essential}\t${Priority}\n' |
			awk -F'\t' '$2 == "yes" || $3 == "required" { print $1 }'
		echo apt
		packages "$@"
	} | sort -u >"$tmp/roots"
	# shellcheck disable=SC2046
	apt-cache depends --recurse --installed --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $(cat "$tmp/roots") 2>/dev/null |
		sed -n 's/^\([a-z0-9][^ :]*\).*/\1/p' | cat - "$tmp/roots" | sort -u >"$tmp/closure" || true
	# Their files, /bin and /sbin folded into /usr (merged /usr).
	{ xargs dpkg -L <"$tmp/closure" 2>/dev/null || true; } |
		sed -e 's|^/bin/|/usr/bin/|' -e 's|^/sbin/|/usr/sbin/|' -e 's|^/lib|/usr/lib|' |
		sort -u >"$tmp/files"
	rm -rf "$dir" && mkdir -p "$dir"
	# A program is kept if it, or what its symlinks end at (alternatives),
	# is a file of those packages. One readlink for all of them: [ -x ]
	# has followed each link to an existing file, so each gets a line.
	local d f
	for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
		[ -d "$d" ] || continue
		for f in "$d"/*; do
			if [ -x "$f" ] && [ ! -d "$f" ]; then printf '%s\n' "$f"; fi
		done
	done >"$tmp/progs"
	tr '\n' '\0' <"$tmp/progs" | xargs -0 -r readlink -f -- |
		sed -e 's|^/bin/|/usr/bin/|' -e 's|^/sbin/|/usr/sbin/|' >"$tmp/real"
	[ "$(wc -l <"$tmp/progs")" = "$(wc -l <"$tmp/real")" ] ||
		die "tools: strict-path: readlink gave $(wc -l <"$tmp/real") targets for $(wc -l <"$tmp/progs") programs"
	sed 's|.*/||' "$tmp/progs" | paste - "$tmp/progs" "$tmp/real" |
		awk -F'\t' 'NR == FNR { have[$0] = 1; next }
		{ p = $2; sub("^/bin/", "/usr/bin/", p); sub("^/sbin/", "/usr/sbin/", p) }
		(p in have || $3 in have) && !seen[$1]++ { print $1 "\t" $2 }' "$tmp/files" - |
		while IFS=$'\t' read -r n f; do ln -s "$f" "$dir/$n"; done
	# An alternative whose chosen program belongs to none of those
	# packages while another choice does (awk: gawk, which some other
	# package pulled in, chosen over the essential mawk): the strict PATH
	# gets that choice, so it does not depend on what the machine chose.
	local n t c
	while read -r f; do
		n=${f##*/}
		[ ! -e "$dir/$n" ] && [ ! -L "$dir/$n" ] || continue
		t=$(readlink -- "$f") || continue
		case $t in /etc/alternatives/*) ;; *) continue ;; esac
		for c in $(update-alternatives --list "${t#/etc/alternatives/}" 2>/dev/null); do
			if grep -qxF -- "$(readlink -f -- "$c" | sed -e 's|^/bin/|/usr/bin/|' -e 's|^/sbin/|/usr/sbin/|')" "$tmp/files"; then
				ln -s "$c" "$dir/$n"
				break
			fi
		done
	done <"$tmp/progs"
	rm -rf "$tmp"
	say "tools: $dir: $(find "$dir" -maxdepth 1 -type l | wc -l) programs of $(packages "$@" | wc -l) listed packages and the essential ones"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
packages) packages "$@" ;;
check) check "$@" ;;
strict-path) strict_path "${1:?usage: tools.sh strict-path DIR [need...]}" "${@:2}" ;;
*) die "usage: tools.sh packages|check|strict-path DIR [need...]" ;;
esac
