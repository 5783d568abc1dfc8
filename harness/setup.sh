#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the harness needs from Debian's archive (nothing else).
# As root it installs; otherwise it names the missing packages and stops.
#
#   setup.sh [need|package...]   also the packages of these needs of
#                           harness/tools.tsv (cross, fresh, drift, lava: run.sh
#                           asks for cross only when it cross-builds), or
#                           these packages
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The packages of harness/tools.tsv for every arch, and of the needs
# named (cross, fresh, drift, lava) or packages given.
needs=(x86_64 arm64 riscv64) extra=()
for a in "$@"; do
	if grep -q "	$a\$" "$KQ_ROOT/harness/tools.tsv"; then needs+=("$a"); else extra+=("$a"); fi
done
mapfile -t pkgs < <("$KQ_ROOT/harness/tools.sh" packages "${needs[@]}")
pkgs+=("${extra[@]}")
pin=$KQ_ROOT/base/pin
src=$(kv "$pin" package) srcver=$(kv "$pin" version)

missing=()
for p in "${pkgs[@]}" "$src"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# The source package at the pinned version, if the archive has it.
if [ "$(id -u)" -eq 0 ] && [[ " ${missing[*]} " != *" $src "* ]] &&
   [ "$(dpkg-query -W -f '${Version}' "$src")" != "$srcver" ] &&
   apt-cache show "$src=$srcver" >/dev/null 2>&1; then
	missing+=("$src")
fi
[ ${#missing[@]} -eq 0 ] && { say "setup: all ${#pkgs[@]} packages and $src present"; exit 0; }

if [ "$(id -u)" -ne 0 ]; then
	die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
fi
export DEBIAN_FRONTEND=noninteractive
say "setup: installing ${missing[*]}"
apt_install() { apt-get install -y -q --no-install-recommends --allow-downgrades "$@" >>"$KQ_OUT/apt.log" 2>&1; }
mkdir -p "$KQ_OUT"
if ! apt-cache show "$src=$srcver" >/dev/null 2>&1 || ! apt_install "${missing[@]/#$src/$src=$srcver}"; then
	say "setup: apt-get update"
	apt-get update -q >>"$KQ_OUT/apt.log" 2>&1 || die "setup: apt-get update failed (see $KQ_OUT/apt.log)"
	# The pinned source version may have left the archive: take the newest
	# 6.12 one then; base.sh warns and the report records it.
	if apt-cache show "$src=$srcver" >/dev/null 2>&1; then
		apt_install "${missing[@]/#$src/$src=$srcver}" ||
			die "setup: apt-get install failed (see $KQ_OUT/apt.log)"
	else
		warn "setup: $src $srcver is no longer in the archive; installing the newest"
		apt_install "${missing[@]}" || die "setup: apt-get install failed (see $KQ_OUT/apt.log)"
	fi
fi
say "setup: done"
