#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The patch queue on top of the base tree ($KQ_TREE, tag "base").
#
#   queue.sh apply [--series NN] [--tree DIR]
#                                  git am the series (or one) on branch queue,
#                                  in $KQ_TREE or a worktree of it
#   queue.sh worktree DIR          DIR a worktree of $KQ_TREE (made at base)
#   queue.sh check [--series NN]   each series alone, all stacked, round trip,
#                                  patch dates in patch order
#                                  (or series NN alone, stacked on those
#                                  before it, and its round trip)
#   queue.sh export [--to DIR]     series/ (or DIR) from the kq/* branches
#   queue.sh checkpatch [--series NN]
#                                  checkpatch.pl --strict on every patch
#                                  (or on series NN's)
#
# A series is $KQ_SERIES/<NN-name>/ (default series/): cover-letter.txt,
# an optional checkpatch-ignore ("TYPE  justification" lines) and the
# git format-patch files 0001-*.patch ..., applied in NN order.
#
# An optional <NN-name>/base-fixes/*.patch holds fixes that newer 6.12.y
# bases already carry (kept out of the top-level *.patch glob, so that
# "git am <series>/*.patch" works as typed on those bases). They come
# first: one that reverse-applies on tag base is reported "already in
# base", any other is applied before the series' own patches. Export
# never writes base-fixes/, and leaves its patches out of the top level.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KQ_SERIES=${KQ_SERIES:-$KQ_ROOT/series}
STATE=$KQ_OUT/queue		# applied.tsv, skipped.tsv, check/
CHECK_WT=$KQ_OUT/check		# scratch worktree of $KQ_TREE for "check"

# Every git call goes through kq_git (lib.sh); g is short for it here.
g() { kq_git "$@"; }

# format-patch options for byte-identical output across runs and machines.
FP_OPTS=(
	--zero-commit		# "From 0000..." instead of the commit id
	--no-signature		# no "-- " + git version trailer
	--full-index		# full blob ids: abbreviations grow with the repo
	--numbered --subject-prefix=PATCH	# "[PATCH n/m]", even for 1/1
	--no-cover-letter --no-thread --no-base --suffix=.patch
	--src-prefix=a/ --dst-prefix=b/ --unified=3 --diff-algorithm=myers
)

usage() {
	sed -n '3,19s/^# \{0,1\}//p' "$0"
	exit "${1:-0}"
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kq-queue.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

need_tree() {
	[ -e "$KQ_TREE/.git" ] || die "no base tree at $KQ_TREE: run ./kq base first"
	g -C "$KQ_TREE" rev-parse -q --verify 'base^{commit}' >/dev/null ||
		die "$KQ_TREE has no tag 'base': remake it with ./kq base"
}

# One queue.sh at a time per $KQ_OUT.
lock() {
	need_tool flock util-linux
	mkdir -p "$STATE"
	exec 9>"$STATE/lock"
	flock -n 9 || die "another queue.sh is running on $KQ_OUT ($STATE/lock)"
}

# load_series [NN|NN-name]: SERIES=(series dir names, in order).
load_series() {
	local want=${1:-} s prev=
	[ -d "$KQ_SERIES" ] || die "series directory $KQ_SERIES does not exist"
	KQ_SERIES=$(cd "$KQ_SERIES" && pwd -P)
	SERIES=()
	while IFS= read -r s; do
		[ "${s%%-*}" != "$prev" ] || die "two series numbered $prev in $KQ_SERIES"
		prev=${s%%-*}
		[ -z "$want" ] || [ "$want" = "$prev" ] || [ "$want" = "$s" ] || continue
		SERIES+=("$s")
	done < <(cd "$KQ_SERIES" && LC_ALL=C ls -d [0-9][0-9]-*/ 2>/dev/null | sed 's#/$##')
	[ ${#SERIES[@]} -gt 0 ] || die "no series ${want:+'$want' }in $KQ_SERIES"
}

patches_of() { (cd "$KQ_SERIES/$1" 2>/dev/null && LC_ALL=C ls -- *.patch 2>/dev/null) || true; }
fixes_of() { (cd "$KQ_SERIES/$1/base-fixes" 2>/dev/null && LC_ALL=C ls -- *.patch 2>/dev/null) || true; }

# am_busy <tree>: a git am session is in progress.
am_busy() {
	local d
	d=$(g -C "$1" rev-parse --git-path rebase-apply)
	case $d in /*) ;; *) d=$1/$d ;; esac
	[ -d "$d" ]
}

# in_rev <tree> <rev> <patch>: the patch reverse-applies to <rev>, i.e.
# its change is already there (checked in a scratch index).
in_rev() {
	local idx=$TMP/index
	rm -f "$idx"
	GIT_INDEX_FILE=$idx g -C "$1" read-tree "$2" &&
		GIT_INDEX_FILE=$idx g -C "$1" apply --cached --check -R "$3" >/dev/null 2>&1
}

# am_error <git am output>: why a patch failed, in a few words.
am_error() {
	printf '%s\n' "$1" | awk '
	function add(f, why) {
		if (f in seen) return
		seen[f] = 1
		files = files (files == "" ? "" : ", ") f " (" why ")"
	}
	/^error: patch failed: / {
		s = substr($0, 22); f = s; sub(/:[0-9]+$/, "", f)
		add(f, "hunk at line " substr(s, length(f) + 2) " does not match"); next
	}
	/^error: .*: does not exist in index$/ {
		f = substr($0, 8); sub(/: does not exist in index$/, "", f)
		add(f, "no such file"); next
	}
	/^error: .*: already exists in (index|working directory)$/ {
		f = substr($0, 8); sub(/: already exists in .*$/, "", f)
		add(f, "already exists"); next
	}
	/^error: .*: patch does not apply$/ {
		f = substr($0, 8); sub(/: patch does not apply$/, "", f)
		add(f, "does not apply"); next
	}
	/^Patch format detection failed/ { bad = "is not a patch (git am: Patch format detection failed)" }
	/^error: corrupt patch at line/ { bad = "is corrupt (" substr($0, 8) ")" }
	/^Patch is empty/ { bad = "has no diff (a cover letter named *.patch?)" }
	/^(error|fatal): / && first == "" { first = $0 }
	END {
		if (bad != "") print bad
		else if (files != "") print "does not apply to " files
		else print "failed: " (first != "" ? first : "git am failed")
	}'
}

# am_series <tree> <series> <statedir>: git am the series on the tree's
# HEAD, one patch at a time, its base-fixes/ first; a patch already in
# base is skipped. Appends to <statedir>/applied.tsv and skipped.tsv
# (base fixes named base-fixes/<file>); sets N_APPLIED, SKIPPED.
# On failure: ERR is one line, the am is aborted, returns 1.
am_series() {
	local t=$1 s=$2 st=$3 f
	local -a pl
	N_APPLIED=0 SKIPPED= ERR=
	mapfile -t pl < <(fixes_of "$s" | sed 's#^#base-fixes/#'; patches_of "$s")
	if [ ${#pl[@]} -eq 0 ]; then
		ERR="series $s: no *.patch files in $KQ_SERIES/$s"
		return 1
	fi
	for f in "${pl[@]}"; do
		am_one "$t" "$s" "$st" "$f" || return 1
	done
}

# am_one <tree> <series> <statedir> <file>: one patch of am_series. A base
# fix is checked against base before it is tried, a series patch after.
am_one() {
	local t=$1 s=$2 st=$3 f=$4 p=$KQ_SERIES/$2/$4 out why
	if [ "${f#base-fixes/}" != "$f" ] && in_rev "$t" base "$p"; then
		in_base "$s" "$f" "$st"
		return 0
	fi
	if out=$(g -C "$t" am -q --no-3way --committer-date-is-author-date "$p" 2>&1); then
		printf '%s\t%s\tapplied\t%s\n' "$s" "$f" \
			"$(g -C "$t" rev-parse HEAD)" >>"$st/applied.tsv"
		N_APPLIED=$((N_APPLIED + 1))
	elif am_busy "$t" && in_rev "$t" base "$p"; then
		g -C "$t" am --skip >/dev/null 2>&1 ||
			{ ERR="series $s: $f: git am --skip failed"; return 1; }
		in_base "$s" "$f" "$st"
	else
		why=$(am_error "$out")
		case $why in
		"does not apply"*) ! g -C "$t" apply --check -R "$p" >/dev/null 2>&1 ||
			why="$why; its change is already in the tree: duplicate of an earlier queue patch?" ;;
		esac
		case $f in
		base-fixes/*) why="$why (a base fix: not in base either)" ;;
		esac
		ERR="series $s: $f $why"
		! am_busy "$t" || g -C "$t" am --abort >/dev/null 2>&1 || true
		return 1
	fi
}

# in_base <series> <file> <statedir>: record a patch already in base.
in_base() {
	printf '%s\t%s\talready-in-base\t-\n' "$1" "$2" >>"$3/applied.tsv"
	printf '%s\t%s\talready in base\n' "$1" "$2" >>"$3/skipped.tsv"
	SKIPPED="$SKIPPED${SKIPPED:+ }$2"
	[ -n "${QUIET:-}" ] || say "apply: $1: $2: already in base, skipped"
}

# counts: what am_series did, for messages.
counts() {
	local n
	n=$(printf '%s' "$SKIPPED" | wc -w)
	printf '%s applied' "$N_APPLIED"
	[ "$n" -eq 0 ] || printf ', %s already in base (%s)' "$n" "$SKIPPED"
}

# drop_refs <repo> <prefix>: delete every ref under the prefix.
drop_refs() {
	g -C "$1" for-each-ref --format='delete %(refname)' "$2" | g -C "$1" update-ref --stdin
}

# snap_mtimes <tree>: "blob mtime path" of each file that the tree's
# commit changes from base. keep_mtimes <tree> <snapshot> gives a file
# that has the same content after an apply its mtime back, so that make
# rebuilds only what a queue edit changed, not everything the queue
# touches (kbuild's objects are newer than that mtime and were built
# from that content).
snap_mtimes() {
	g -C "$1" diff --raw --no-renames --abbrev=40 base HEAD -- |
		while read -r _ _ _ blob st path; do
			[ "$st" != D ] || continue
			printf '%s\t%s\t%s\n' "$blob" "$(stat -c %y "$1/$path")" "$path"
		done
}
keep_mtimes() {
	local t=$1 blob mt path now
	local -A was=()
	while IFS=$'\t' read -r blob mt path; do
		was[$path]="$blob"$'\t'"$mt"
	done <"$2"
	[ ${#was[@]} -gt 0 ] || return 0
	g -C "$t" diff --raw --no-renames --abbrev=40 base HEAD -- |
		while read -r _ _ _ blob st path; do
			now=${was[$path]:-}
			[ -n "$now" ] && [ "${now%%$'\t'*}" = "$blob" ] || continue
			touch -m -d "${now#*$'\t'}" "$t/$path"
		done
}

# chain_hashes: HASH[i], for each series of SERIES in order, a hash of
# the base commit and the patch files (base fixes included) of that
# series and of every one before it: equal hashes, same stacked result.
chain_hashes() {
	local h i f
	h=$(g -C "$KQ_TREE" rev-parse 'base^{commit}')
	HASH=()
	for i in "${!SERIES[@]}"; do
		h=$({ echo "$h"
		      cd "$KQ_SERIES/${SERIES[$i]}" &&
		      { fixes_of "${SERIES[$i]}" | sed 's#^#base-fixes/#'; patches_of "${SERIES[$i]}"; } |
		      while IFS= read -r f; do echo "$f"; cat -- "$f"; done; } |
		    sha1sum | cut -d ' ' -f 1)
		HASH[i]=$h
	done
}

# resume <tree> <ref prefix> <statedir>: keep what an earlier apply of
# the same base and patch files left. <statedir>/chain.tsv lists each
# series applied there ("series hash commit"); the leading series of
# SERIES whose hash (chain_hashes) and ref still match are kept, with
# their rows of applied.tsv and skipped.tsv, and the tree is checked out
# detached at the last of them (or base). Everything after them is
# dropped. Sets RESUMED to how many were kept.
resume() {
	local t=$1 pfx=$2 st=$3 s h c i f r keep=
	RESUMED=0
	chain_hashes
	if [ -f "$st/chain.tsv" ]; then
		while IFS=$'\t' read -r s h c; do
			i=$RESUMED
			[ "$i" -lt ${#SERIES[@]} ] && [ "$s" = "${SERIES[$i]}" ] &&
				[ "$h" = "${HASH[$i]}" ] &&
				[ "$(g -C "$t" rev-parse -q --verify "$pfx$s" 2>/dev/null)" = "$c" ] || break
			keep="$keep $s"
			RESUMED=$((RESUMED + 1))
		done <"$st/chain.tsv"
	fi
	head -n "$RESUMED" "$st/chain.tsv" >"$TMP/chain" 2>/dev/null || : >"$TMP/chain"
	mv "$TMP/chain" "$st/chain.tsv"
	for f in applied skipped; do
		awk -F'\t' -v keep="$keep " 'index(keep, " " $1 " ")' "$st/$f.tsv" \
			>"$TMP/$f" 2>/dev/null || : >"$TMP/$f"
		mv "$TMP/$f" "$st/$f.tsv"
	done
	g -C "$t" for-each-ref --format='%(refname)' "$pfx" | while IFS= read -r r; do
		case "$keep " in *" ${r#"$pfx"} "*) ;; *) g -C "$t" update-ref -d "$r" ;; esac
	done
	if [ "$RESUMED" -gt 0 ]; then
		g -C "$t" checkout -q -f --detach "$pfx${SERIES[RESUMED - 1]}"
		[ -n "${QUIET:-}" ] ||
			say "apply: ${SERIES[*]:0:RESUMED}: unchanged since the last apply, kept"
	else
		g -C "$t" checkout -q -f --detach base
	fi
}

# applied_one <tree> <ref prefix> <statedir> <index>: series SERIES[index]
# is applied: its ref and chain.tsv line.
applied_one() {
	local s=${SERIES[$4]}
	g -C "$1" update-ref "$2$s" HEAD
	printf '%s\t%s\t%s\n' "$s" "${HASH[$4]}" "$(g -C "$1" rev-parse HEAD)" >>"$3/chain.tsv"
}

# worktree <dir>: <dir> is a worktree of $KQ_TREE, made at base if it is
# not (e.g. the base was remade: then what <dir> held goes, build dirs
# inside it too); $KQ_TREE itself is left detached at base.
cmd_worktree() {
	local wt=${1:?worktree needs a directory}
	need_tree
	# The base tree stays at base (an older out/ had the queue there).
	[ "$(g -C "$KQ_TREE" rev-parse HEAD)" = "$(g -C "$KQ_TREE" rev-parse 'base^{commit}')" ] &&
		! g -C "$KQ_TREE" symbolic-ref -q HEAD >/dev/null ||
		g -C "$KQ_TREE" checkout -q -f --detach base
	ensure_worktree "$wt" worktree
}

cmd_apply() {
	local want= s t=$KQ_TREE snap i
	while [ $# -gt 0 ]; do
		case $1 in
		--series) want=${2:?--series needs NN}; shift 2 ;;
		--tree) t=${2:?--tree needs a directory}; shift 2 ;;
		*) die "apply: unknown argument '$1'" ;;
		esac
	done
	need_tree
	[ -e "$t/.git" ] || die "apply: $t is not a git tree"
	load_series "$want"
	lock
	if am_busy "$t"; then
		warn "apply: aborting an unfinished git am in $t"
		g -C "$t" am --abort >/dev/null 2>&1 || true
	fi
	[ -z "$(g -C "$t" status --porcelain --untracked-files=no)" ] ||
		die "apply: $t has uncommitted changes: commit or discard them first"
	snap=$STATE/mtimes.tsv
	snap_mtimes "$t" >"$snap"
	# The series before the first one whose files changed are kept (one
	# series alone is always applied anew).
	[ -z "$want" ] || rm -f "$STATE/chain.tsv"
	resume "$t" refs/heads/kq/ "$STATE"
	g -C "$t" checkout -q -B queue
	for ((i = RESUMED; i < ${#SERIES[@]}; i++)); do
		s=${SERIES[$i]}
		if ! am_series "$t" "$s" "$STATE"; then
			g -C "$t" checkout -q -f -B queue base
			drop_refs "$t" refs/heads/kq/
			rm -f "$STATE/applied.tsv" "$STATE/skipped.tsv" "$STATE/chain.tsv"
			die "apply: $ERR; tree reset to base"
		fi
		applied_one "$t" refs/heads/kq/ "$STATE" "$i"
		say "apply: $s: $(counts)"
	done
	[ -z "$want" ] || rm -f "$STATE/chain.tsv"
	keep_mtimes "$t" "$snap"
	say "apply: queue at $(g -C "$t" rev-parse --short HEAD), record in $STATE/applied.tsv"
}

# past_fixes <repo> <series> <from> <to>: <from>, moved past the leading
# commits of <from>..<to> that are the series' base fixes (same patch-id:
# they were applied because the base lacks them).
past_fixes() {
	local repo=$1 s=$2 from=$3 c id f
	local -A fix=()
	while IFS= read -r f; do
		id=$(g -C "$repo" patch-id --stable <"$KQ_SERIES/$s/base-fixes/$f" | cut -d ' ' -f 1)
		[ -z "$id" ] || fix[$id]=1
	done < <(fixes_of "$s")
	if [ ${#fix[@]} -gt 0 ]; then
		for c in $(g -C "$repo" rev-list --reverse "$from..$4"); do
			id=$(g -C "$repo" show "$c" | g -C "$repo" patch-id --stable | cut -d ' ' -f 1)
			[ -n "$id" ] && [ -n "${fix[$id]:-}" ] || break
			from=$c
		done
	fi
	printf '%s\n' "$from"
}

# export_refs <repo> <ref prefix> <dir>: one format-patch directory per
# ref (series), each from the previous series' ref (or base), less the
# series' base fixes; base-fixes/ is never written (copied to another dir).
export_refs() {
	local repo=$1 pfx=$2 dir=$3 r s f prev=base old new nn= from
	local -a refs
	mapfile -t refs < <(g -C "$repo" for-each-ref --format='%(refname)' "$pfx" | LC_ALL=C sort)
	[ ${#refs[@]} -gt 0 ] || die "export: nothing applied (no ${pfx#refs/heads/}* branches): run 'queue.sh apply' first"
	for r in "${refs[@]}"; do
		s=${r#"$pfx"}
		[ "${s%%-*}" != "$nn" ] || die "export: two series numbered $nn in ${pfx}*: run 'queue.sh apply' again"
		nn=${s%%-*}
		g -C "$repo" merge-base --is-ancestor base "$r" || die "export: $r is not based on tag base"
	done
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd -P)
	for r in "${refs[@]}"; do
		s=${r#"$pfx"}
		g -C "$repo" merge-base --is-ancestor "$prev" "$r" || prev=base
		old=$(patches_of "$s" | wc -l)
		mkdir -p "$dir/$s"
		rm -f "$dir/$s"/*.patch
		from=$(past_fixes "$repo" "$s" "$prev" "$r")
		g -C "$repo" format-patch -q "${FP_OPTS[@]}" -o "$dir/$s" "$from..$r" >/dev/null ||
			die "export: git format-patch $from..$r failed"
		if [ "$dir" != "$KQ_SERIES" ]; then
			for f in cover-letter.txt checkpatch-ignore; do
				[ ! -f "$KQ_SERIES/$s/$f" ] || cp "$KQ_SERIES/$s/$f" "$dir/$s/$f"
			done
			if [ -d "$KQ_SERIES/$s/base-fixes" ]; then
				rm -rf "$dir/$s/base-fixes"
				cp -R "$KQ_SERIES/$s/base-fixes" "$dir/$s/base-fixes"
			fi
		fi
		new=$(cd "$dir/$s" && LC_ALL=C ls -- *.patch 2>/dev/null | wc -l)
		[ -n "${QUIET:-}" ] || [ "$old" -eq 0 ] || [ "$new" -eq "$old" ] ||
			warn "export: $s: $new patches exported, $KQ_SERIES/$s has $old (already in base ones are dropped)"
		prev=$r
	done
}

cmd_export() {
	local to=
	while [ $# -gt 0 ]; do
		case $1 in
		--to) to=${2:?--to needs a directory}; shift 2 ;;
		*) die "export: unknown argument '$1'" ;;
		esac
	done
	need_tree
	mkdir -p "$KQ_SERIES"
	KQ_SERIES=$(cd "$KQ_SERIES" && pwd -P)
	lock
	export_refs "$KQ_TREE" refs/heads/kq/ "${to:-$KQ_SERIES}"
	say "export: wrote ${to:-$KQ_SERIES}"
}

# emit <check> <name> <pass|fail|skip> <detail>: one TSV line.
FAILS=0
emit() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(printf '%s' "$4" | tr '\t\n' '  ')"
	[ "$3" != fail ] || FAILS=$((FAILS + 1))
}

# check_dates <series>: the patches' Date: headers in patch order (none
# dated before the one it follows), as a reader and git log expect.
check_dates() {
	local s=$1 p t prev=0 prevp= n=0
	for p in $(patches_of "$s"); do
		t=$(sed -n '/^$/q; s/^Date: //p' "$KQ_SERIES/$s/$p")
		[ -n "$t" ] && t=$(date -d "$t" +%s 2>/dev/null) ||
			{ emit dates "$s" fail "$p: no Date: header, or not a date"; return 0; }
		if [ "$t" -lt "$prev" ]; then
			emit dates "$s" fail "$p is dated $(date -u -d "@$t" '+%F %T'), before $prevp ($(date -u -d "@$prev" '+%F %T'))"
			return 0
		fi
		prev=$t prevp=$p n=$((n + 1))
	done
	emit dates "$s" pass "$n patches dated in patch order"
}

# ensure_worktree <dir> <who>: <dir> is a worktree of $KQ_TREE, made
# detached at base if it is not; one that belongs to another repo (the
# base was remade) goes first. <who> starts the messages.
ensure_worktree() {
	local wt=$1 who=$2 mine
	mine=$(g -C "$KQ_TREE" rev-parse --path-format=absolute --git-common-dir)
	if [ -e "$wt" ] &&
	   [ "$(g -C "$wt" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)" != "$mine" ]; then
		warn "$who: $wt is not a worktree of $KQ_TREE (base remade?): recreating it"
		rm -rf "$wt"
	fi
	if [ ! -e "$wt" ]; then
		g -C "$KQ_TREE" worktree prune
		say "$who: adding worktree $wt (checks out the whole tree once)"
		# A worktree left half checked out (e.g. the disk filled up)
		# would pass for a good one next time: remove it.
		if ! g -C "$KQ_TREE" worktree add -q --detach "$wt" base; then
			rm -rf "$wt"
			g -C "$KQ_TREE" worktree prune
			die "$who: cannot check out $wt ($(df -Ph "$KQ_OUT" | awk 'NR == 2 { print $4 }') free on its file system)"
		fi
	fi
}

# The scratch worktree for "check"; remade if $KQ_TREE was remade.
check_worktree() { ensure_worktree "$CHECK_WT" check; }

reset_check_worktree() {
	! am_busy "$CHECK_WT" || g -C "$CHECK_WT" am --abort >/dev/null 2>&1 || true
	g -C "$CHECK_WT" checkout -q -f --detach base
	g -C "$CHECK_WT" reset -q --hard
	g -C "$CHECK_WT" clean -q -fdx
}

cmd_check() {
	local s st=$STATE/check broken= out d skipped want= i last
	while [ $# -gt 0 ]; do
		case $1 in
		--series) want=${2:?--series needs NN}; shift 2 ;;
		*) die "check: unknown argument '$1'" ;;
		esac
	done
	need_tree
	load_series
	lock
	check_worktree
	# With --series NN: NN alone, the series up to NN stacked, NN's round
	# trip. The stacked series before the first changed one are kept
	# from the last check (resume).
	last=$((${#SERIES[@]} - 1))
	if [ -n "$want" ]; then
		for i in "${!SERIES[@]}"; do
			[ "$want" = "${SERIES[$i]%%-*}" ] || [ "$want" = "${SERIES[$i]}" ] || continue
			last=$i
			want=${SERIES[$i]}
		done
		case $want in [0-9][0-9]-*) ;; *) die "check: no series '$want' in $KQ_SERIES" ;; esac
	fi
	rm -rf "$st/alone"
	mkdir -p "$st/alone" "$st/stacked"
	touch "$st/alone/applied.tsv" "$st/alone/skipped.tsv" "$st/stacked/applied.tsv" "$st/stacked/skipped.tsv"
	export QUIET=1
	for s in "${SERIES[@]:0:last + 1}"; do
		[ -z "$want" ] || [ "$s" = "$want" ] || continue
		check_dates "$s"
		say "check: $s alone ($(patches_of "$s" | wc -l) patches)"
		reset_check_worktree
		if am_series "$CHECK_WT" "$s" "$st/alone"; then
			emit apply-alone "$s" pass "$(counts)"
		else
			emit apply-alone "$s" fail "$ERR"
		fi
	done
	reset_check_worktree
	resume "$CHECK_WT" refs/kq-check/ "$st/stacked"
	for ((i = 0; i <= last; i++)); do
		s=${SERIES[$i]}
		if [ "$i" -lt "$RESUMED" ]; then
			[ -z "$want" ] || [ "$s" = "$want" ] ||
				continue
			N_APPLIED=$(awk -F'\t' -v s="$s" '$1 == s && $3 == "applied"' "$st/stacked/applied.tsv" | wc -l)
			SKIPPED=$(awk -F'\t' -v s="$s" '$1 == s { printf "%s%s", sep, $2; sep = " " }' "$st/stacked/skipped.tsv")
			emit apply-stacked "$s" pass "$(counts) (unchanged since the last check)"
		elif [ -n "$broken" ]; then
			[ -z "$want" ] || [ "$s" = "$want" ] ||
				continue
			emit apply-stacked "$s" skip "not reached: $broken does not apply stacked"
		elif say "check: $s stacked" && am_series "$CHECK_WT" "$s" "$st/stacked"; then
			applied_one "$CHECK_WT" refs/kq-check/ "$st/stacked" "$i"
			[ -z "$want" ] || [ "$s" = "$want" ] || continue
			emit apply-stacked "$s" pass "$(counts)"
		else
			emit apply-stacked "$s" fail "$ERR"
			broken=$s
		fi
	done
	say "check: export round trip"
	out=$TMP/export
	# The series that applied stacked (all, or those before the broken one).
	[ -z "$(g -C "$CHECK_WT" for-each-ref refs/kq-check/)" ] ||
		export_refs "$CHECK_WT" refs/kq-check/ "$out"
	for s in "${SERIES[@]:0:last + 1}"; do
		[ -z "$want" ] || [ "$s" = "$want" ] || continue
		# Base fixes in base don't matter here: export leaves them alone.
		skipped=$(awk -F '\t' -v s="$s" '$1 == s && $2 !~ /^base-fixes\// { printf "%s%s", sep, $2; sep = " " }' "$st/stacked/skipped.tsv")
		if [ ! -d "$out/$s" ]; then
			emit roundtrip "$s" skip "not applied stacked"
		elif [ -n "$skipped" ]; then
			emit roundtrip "$s" skip "has patches already in base ($skipped): export drops and renumbers them"
		elif d=$(cd "$out" && diff -rq "$s" "$KQ_SERIES/$s" 2>&1); then
			emit roundtrip "$s" pass "export is byte-identical ($(ls "$out/$s" | wc -l) files)"
		else
			emit roundtrip "$s" fail "$(printf '%s\n' "$d" | wc -l) difference(s), first: $(printf '%s\n' "$d" | head -n 1)"
		fi
	done
	[ "$FAILS" -eq 0 ]
}

# ignore_types <series>: checkpatch-ignore as a comma list; 1 if malformed.
ignore_types() {
	local f=$KQ_SERIES/$1/checkpatch-ignore
	[ -f "$f" ] || return 0
	awk '/^[ \t]*(#|$)/ { next }
	     $1 !~ /^[A-Z][A-Z0-9_]*$/ { err = "line " NR ": '\''" $1 "'\'' is not a checkpatch type"; exit }
	     NF < 2 { err = "line " NR ": " $1 " has no justification"; exit }
	     { t = t (t == "" ? "" : ",") $1 }
	     END { if (err != "") { print err; exit 1 } print t }' "$f"
}

cmd_checkpatch() {
	local s f p nn ign why i=0 row rc want=
	local -a rows=()
	while [ $# -gt 0 ]; do
		case $1 in
		--series) want=${2:?--series needs NN}; shift 2 ;;
		*) die "checkpatch: unknown argument '$1'" ;;
		esac
	done
	need_tree
	need_tool perl perl
	load_series "$want"
	[ -f "$KQ_TREE/scripts/checkpatch.pl" ] || die "checkpatch: no scripts/checkpatch.pl in $KQ_TREE"
	# $KQ_JOBS patches at a time; the rows in queue order after.
	for s in "${SERIES[@]}"; do
		nn=${s%%-*}
		if ! ign=$(ignore_types "$s"); then
			rows+=("$nn/checkpatch-ignore"$'\x1f'-$'\x1f'"$ign"$'\x1f'-)
			continue
		fi
		say "checkpatch: $s: $(patches_of "$s" | wc -l) patch file(s)"
		while IFS= read -r f; do
			i=$((i + 1))
			rows+=("$nn/$f"$'\x1f'"$i"$'\x1f'"$ign"$'\x1f'"$KQ_SERIES/$s/$f")
			while [ "$(jobs -rp | wc -l)" -ge "$KQ_JOBS" ]; do wait -n; done
			# cwd is the tree: checkpatch runs git there (commit ids).
			(rc=0; cd "$KQ_TREE" && timeout 300 perl scripts/checkpatch.pl --strict --terse \
				--show-types --no-summary --color=never --root="$KQ_TREE" \
				${ign:+--ignore "$ign"} "$KQ_SERIES/$s/$f" >"$TMP/cp.$i" 2>&1 || rc=$?
			 echo "$rc" >"$TMP/cp.$i.rc") &
		done < <(fixes_of "$s" | sed 's#^#base-fixes/#'; patches_of "$s")
	done
	wait
	for row in "${rows[@]}"; do
		IFS=$'\x1f' read -r f i ign p <<<"$row"
		if [ "$i" = - ]; then
			emit checkpatch "$f" fail "$ign"
			continue
		fi
		rc=$(cat "$TMP/cp.$i.rc" 2>/dev/null || echo 1)
		if [ "$rc" = 0 ]; then
			emit checkpatch "$f" pass "clean${ign:+ (ignoring $ign)}"
		else
			why=$(awk -v p="$p:" '
				index($0, p) == 1 { print "line " substr($0, length(p) + 1); found = 1; exit }
				NR == 1 { first = $0 }
				END { if (!found && first != "") print first }' "$TMP/cp.$i" | head -n 1)
			emit checkpatch "$f" fail "${why:-checkpatch failed}"
		fi
	done
	[ "$FAILS" -eq 0 ]
}

case ${1:-} in
apply|check|export|checkpatch|worktree) cmd=$1; shift; "cmd_$cmd" "$@" ;;
-h|--help|help) usage ;;
'') usage 1 >&2 ;;
*) die "unknown subcommand '$1' (apply, check, export, checkpatch, worktree)" ;;
esac
