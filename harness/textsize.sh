#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Text size of the base and the patched kernel of an arch, per directory:
# size(1)'s text (code and read-only data) summed over the objects that
# the directory's built-in.a links into vmlinux, leaving out KUnit suites
# (objects named *kunit* or under tests/: a series' new tests are not
# what its code costs), and of the whole vmlinux.o (vmlinux itself is
# padded to large-page boundaries on x86).
#
#   textsize.sh <arch> [<dir>...]     (default dirs: mm fs/proc)
#
# Prints TSV rows "arch dir base_text patched_text" (bytes). Also writes
# the kernel's scripts/bloat-o-meter comparison of the two vmlinux.o to
# $KQ_OUT/results/textsize-<arch>.bloat, symbol by symbol, when python3
# is there. Needs both builds in $KQ_OUT/build/<arch>-{base,patched}.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: textsize.sh <arch> [<dir>...]"
arch=$1; shift
[ $# -gt 0 ] || set -- mm fs/proc
cross=$(arch_get "$arch" cross)
need_tool "${cross}size" binutils
need_tool "${cross}ar" binutils
B=$KQ_OUT/build/$arch-base P=$KQ_OUT/build/$arch-patched
for o in "$B" "$P"; do
	[ -f "$o/vmlinux.o" ] || die "textsize: $arch: no kernel in $o (build base and patched first)"
	for d in "$@"; do
		[ -f "$o/${d%/}/built-in.a" ] || die "textsize: $arch: no ${d%/}/built-in.a in $o"
	done
done

# text <build dir> <dir>: the summed text of the dir's linked objects,
# named relative to the build dir. A patched build starts as a copy of the
# base one, so a thin archive may name the base's objects: every member is
# taken from this build dir.
text() {
	local o=$1 a=$2/built-in.a
	(cd "$o" && "${cross}ar" t "$a") | sed -E 's#^.*/(kq-build-[^/]+|build/[^/]+)/##' |
		grep -Ev '(^|/)tests/|kunit[^/]*$' |
		(cd "$o" && xargs -r "${cross}size" -t) |
		awk '$NF == "(TOTALS)" { t = $1 } END { if (t == "") exit 1; print t }' ||
		{ echo "kq: error: textsize: $arch: cannot size the objects of $a" >&2; echo -; }
}

for d in "$@"; do
	printf '%s\t%s\t%s\t%s\n' "$arch" "${d%/}/" "$(text "$B" "${d%/}")" "$(text "$P" "${d%/}")"
done
printf '%s\tvmlinux.o\t%s\t%s\n' "$arch" \
	"$("${cross}size" "$B/vmlinux.o" | awk 'NR == 2 { print $1 }')" \
	"$("${cross}size" "$P/vmlinux.o" | awk 'NR == 2 { print $1 }')"

bloat=$KQ_TREE/scripts/bloat-o-meter
if command -v python3 >/dev/null && [ -f "$bloat" ]; then
	mkdir -p "$KQ_OUT/results"
	python3 "$bloat" -t ${cross:+-p "$cross"} "$B/vmlinux.o" "$P/vmlinux.o" \
		>"$KQ_OUT/results/textsize-$arch.bloat" 2>&1 || true
fi
