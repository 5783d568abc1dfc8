#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make $KQ_OUT/linux: a git tree whose single commit (tag "base") is the
# 6.12 source. Usage: base.sh [--tarball FILE | --tree DIR]
#
# The Debian tarball's top-level .gitignore ends with a block that ignores
# every top-level path ("/*", "!/debian/"); the base commit drops that
# block so that git shows new files as usual. Nothing else is changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PIN=${KQ_PIN:-$KQ_ROOT/base/pin}
tarball= tree=
while [ $# -gt 0 ]; do
	case $1 in
	--tarball) tarball=${2:?}; shift 2 ;;
	--tree) tree=${2:?}; shift 2 ;;
	*) die "base: unknown argument '$1'" ;;
	esac
done
: "${tarball:=${KQ_BASE_TARBALL:-}}"
: "${tree:=${KQ_BASE_TREE:-}}"

need_tool git git
need_tool tar tar
need_tool xz xz-utils
mkdir -p "$KQ_OUT"
info=$KQ_OUT/base.info

# check_version <dir>: the tree must be Linux 6.12.y; prints the sublevel.
check_version() {
	local mk=$1/Makefile v p s
	[ -f "$mk" ] || die "base: $1 is not a kernel tree (no Makefile)"
	v=$(sed -n 's/^VERSION = //p' "$mk" | head -n 1)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk" | head -n 1)
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk" | head -n 1)
	[ "$v.$p" = 6.12 ] ||
		die "base: unsupported kernel version '$v.$p.$s' in $1 (the queue is for 6.12.y)"
	echo "$s"
}

if [ -n "$tree" ]; then
	[ -d "$tree/.git" ] || git -C "$tree" rev-parse --git-dir >/dev/null 2>&1 ||
		die "base: '$tree' is not a git tree"
	sub=$(check_version "$tree")
	rev=$(git -C "$tree" rev-parse HEAD)
	src="tree:$(cd "$tree" && pwd)@$rev"
	pkg=- ver=- sha=-
else
	pkg=$(kv "$PIN" package); pinver=$(kv "$PIN" version)
	pinsha=$(kv "$PIN" sha256)
	if [ -n "$tarball" ]; then
		[ -f "$tarball" ] || die "base: tarball '$tarball' not found"
		pkg=- ver=-
	else
		tarball=$(kv "$PIN" tarball)
		ver=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
		[ -n "$ver" ] && [ -f "$tarball" ] ||
			die "base: $tarball missing: install the Debian package '$pkg' (./kq setup does)"
	fi
	sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$ver" = "$pinver" ] && [ "$sha" != "$pinsha" ]; then
		die "base: sha256 mismatch for $pkg $ver: $tarball is $sha, pinned $pinsha"
	elif [ "$ver" != - ] && [ "$ver" != "$pinver" ]; then
		warn "base: $pkg is $ver, the pin says $pinver; continuing, the report records it"
	fi
	src="tarball:$tarball"
fi

# Reuse a tree made from the same source.
if [ -d "$KQ_TREE/.git" ] && [ -f "$info" ] && [ "$(kv "$info" source)" = "$src" ] &&
   [ "$(kv "$info" sha256)" = "$sha" ] && git -C "$KQ_TREE" rev-parse -q --verify base >/dev/null; then
	say "base: reusing $KQ_TREE ($(kv "$info" kernel))"
	exit 0
fi

tmp=$KQ_OUT/linux.new
rm -rf "$tmp" "$KQ_TREE.old"
trap 'rm -rf "$tmp"' EXIT
if [ -n "$tree" ]; then
	say "base: cloning $tree at $rev"
	git clone -q --no-checkout "$tree" "$tmp"
	git -C "$tmp" checkout -q -B main "$rev"
	git -C "$tmp" tag -f base "$rev" >/dev/null
else
	say "base: extracting $tarball"
	mkdir -p "$tmp"
	tar -C "$tmp" --strip-components=1 -xf "$tarball" ||
		die "base: cannot extract $tarball"
	sub=$(check_version "$tmp")
	# Drop Debian's "ignore the whole top level" block (see header).
	awk '/^#$/ { if (hold != "") print hold; hold = $0; next }
	     /^# Debian packaging: ignore everything/ { skip = 1 }
	     !skip && hold != "" { print hold }
	     { hold = "" } !skip { print } /^!\/debian\/$/ { skip = 0 }
	     END { if (hold != "") print hold }' \
		"$tmp/.gitignore" >"$tmp/.gitignore.kq" && mv "$tmp/.gitignore.kq" "$tmp/.gitignore"
	say "base: committing $(find "$tmp" -type f | wc -l) files (about a minute)"
	git -C "$tmp" init -q -b main
	git -C "$tmp" config core.autocrlf false
	# No automatic gc: the base commit's 86000 loose objects would make
	# the queue's first "git am" repack them all in the background, a
	# minute of CPU in every cold run that nothing needs.
	git -C "$tmp" config gc.auto 0
	# -f: commit exactly what the tarball holds, ignored or not. A
	# progress line every 30 s (run_logged).
	run_logged "$KQ_OUT/base-commit.log" "base commit" git -C "$tmp" add -A -f ||
		die "base: git add failed (see $KQ_OUT/base-commit.log)"
	kq_git_fixed -C "$tmp" commit -q -m "Linux 6.12.$sub ($pkg $ver)" \
		-m "Imported from $(basename "$tarball"), sha256 $sha." ||
		die "base: git commit failed ($(df -Ph "$KQ_OUT" | awk 'NR == 2 { print $4 }') free under $KQ_OUT)"
	git -C "$tmp" tag base
fi
git -C "$tmp" config user.name >/dev/null ||
	git -C "$tmp" config user.name "$(git -C "$KQ_ROOT" config user.name || echo kq)"
git -C "$tmp" config user.email >/dev/null ||
	git -C "$tmp" config user.email "$(git -C "$KQ_ROOT" config user.email || echo kq@localhost)"
[ -d "$KQ_TREE" ] && mv "$KQ_TREE" "$KQ_TREE.old"
mv "$tmp" "$KQ_TREE"
rm -rf "$KQ_TREE.old"
trap - EXIT
{
	echo "source=$src"
	echo "package=$pkg"
	echo "version=$ver"
	echo "sha256=$sha"
	echo "kernel=6.12.$sub"
	echo "commit=$(git -C "$KQ_TREE" rev-parse base)"
} >"$info"
say "base: $KQ_TREE at $(git -C "$KQ_TREE" rev-parse --short base) (6.12.$sub)"
