#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Series 06: scripts/get_maintainer.pl lists Gautam Menghani for
# arch/powerpc/kvm/, and the KVM/powerpc MAINTAINERS entry is still in the
# field order scripts/parse-maintainers.pl --order produces.
# Usage: 06-maintainers-ppc-kvm.sh <kernel tree>. Exit 0 pass, 1 fail.
set -u
tree=${1:?usage: $0 <kernel tree>}
who=gautam@linux.ibm.com
file=arch/powerpc/kvm/powerpc.c
entry='KERNEL VIRTUAL MACHINE FOR POWERPC (KVM/powerpc)'
regex='^KERNEL VIRTUAL MACHINE FOR POWERPC \(KVM/powerpc\)$'

fail() { echo "FAIL 06-maintainers-ppc-kvm: $*"; exit 1; }
[ -f "$tree/MAINTAINERS" ] && [ -f "$tree/$file" ] ||
	fail "$tree is not a 6.12 tree (no MAINTAINERS or $file)"
tree=$(cd "$tree" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Offline: no git history (--no-git, --no-git-fallback), plain names.
out=$(cd "$tree" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
	--no-rolestats -f "$file" 2>&1) ||
	fail "get_maintainer.pl failed: $(printf '%s\n' "$out" | head -n 1)"
printf '%s\n' "$out" | grep -qiF "<$who>" ||
	fail "get_maintainer.pl does not list $who for $file"

# parse-maintainers.pl --order sorts each entry's fields (M R L S W Q B C P
# T F X N K; F and X alphabetically, others kept in place). Only this entry
# is compared: on the 6.12 base the script also moves unrelated entries
# (the file as a whole is not in its order).
(cd "$tmp" && perl "$tree/scripts/parse-maintainers.pl" --input="$tree/MAINTAINERS" \
	--output=rest --section=sorted --order "$regex") ||
	fail "parse-maintainers.pl failed"
[ -s "$tmp/sorted" ] || fail "no '$entry' entry in MAINTAINERS"
awk -v e="$entry" '$0 == e { on = 1 } on && /^$/ { exit } on' "$tree/MAINTAINERS" >"$tmp/entry"
cmp -s "$tmp/entry" "$tmp/sorted" ||
	fail "the '$entry' entry is out of order: parse-maintainers.pl --order changes line $(cmp "$tmp/entry" "$tmp/sorted" | awk '{ print $NF }')"
echo "PASS 06-maintainers-ppc-kvm: get_maintainer.pl lists $who for $file; the entry is in MAINTAINERS order"
