#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the harness needs from Debian's archive (nothing else).
# As root it installs; otherwise it names the missing packages and stops.
#
#   setup.sh [package...]   also these (e.g. the cross compilers, which
#                           run.sh asks for only when it cross-builds)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(git make gcc libc6-dev bc bison flex libelf-dev libssl-dev cpio
      xz-utils ccache python3 perl file
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
      gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
      llvm-22 libnuma-dev libcap-dev
      qemu-system-x86 qemu-system-arm qemu-system-misc "$@")
# gcc-arm-linux-gnueabihf: series 03's AArch32 SWP/SWPB emulation test.
# libnuma-dev, libcap-dev: static libnuma.a and libcap.a for the mm
# selftests (migration, ksm_tests; memfd_secret, mlock-random-test).
# llvm-22 (bookworm-security): llvm-mc/llvm-objdump that know FEAT_LSUI,
# the independent check of series 03's .inst encodings (LLVM < 20 doesn't).
pin=$KQ_ROOT/base/pin
src=$(kv "$pin" package) srcver=$(kv "$pin" version)

missing=()
for p in "${pkgs[@]}" "$src"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { say "setup: all ${#pkgs[@]} packages and $src present"; exit 0; }

if [ "$(id -u)" -ne 0 ]; then
	die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
fi
export DEBIAN_FRONTEND=noninteractive
say "setup: installing ${missing[*]}"
apt_install() { apt-get install -y -q --no-install-recommends "$@" >>"$KQ_OUT/apt.log" 2>&1; }
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
