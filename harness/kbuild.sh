# SPDX-License-Identifier: GPL-2.0
# Configuring and running kbuild, for build.sh (the kernels kq boots) and
# cross.sh (the arches it only builds). Sourced after lib.sh, never run.

# kbuild_init <arch> <src> <O>: the kmake array (make of <src> into <O>
# for the arch, at nice 10: ./kq run boots the VMs of one arch while the
# next arch builds, and their tests should see the CPU they would have
# alone), the cc and hostcc it uses, and kbuild's environment. Callers
# run kbuild_tools first, before they look at trees or build dirs.
#
# KQ_CCACHE=1 compiles through ccache ($KQ_OUT/ccache). Off by default:
# a build dir that lives as long as its tree makes make alone rebuild
# only what changed, and in a cold build ccache's extra preprocessing
# pass costs 10-20 % of each object's compile time.
kbuild_init() {
	local arch=$1 src=$2 O=$3 karch cross
	karch=$(arch_get "$arch" karch) cross=$(arch_get "$arch" cross)
	cc=${cross}gcc hostcc=gcc
	[ "${KQ_CCACHE:-0}" != 1 ] || cc="ccache $cc" hostcc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$KQ_OUT/ccache}
	# Base and patched compile command lines are the same when their
	# build dirs sit at the same place in their trees: the working
	# directory is left out of the hash. Not depend mode (which would
	# spare a miss its preprocessing): Debian 12's ccache (4.7.5) does
	# not see .incbin there, and the vDSO wrappers
	# (arch/*/kernel/vdso-wrap.S) would get a stale object for a changed
	# vdso.so.
	export CCACHE_BASEDIR=$KQ_OUT CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
	export KBUILD_BUILD_TIMESTAMP='Sat Jan  1 00:00:00 UTC 2000'
	export KBUILD_BUILD_USER=kq KBUILD_BUILD_HOST=kq
	kbuild_src=$src kbuild_O=$O
	kmake=(nice -n 10 make -C "$src" O="$O" ARCH="$karch" CROSS_COMPILE="$cross"
	       CC="$cc" HOSTCC="$hostcc" -j"$KQ_JOBS")
}

# kbuild_tools <arch>: stop with the Debian package to install if a
# program or header that kbuild needs for the arch is missing.
kbuild_tools() {
	need_tool make make
	need_tool bison bison
	need_tool flex flex
	need_tool bc bc
	need_tool "$(arch_get "$1" cross)gcc" "$(arch_get "$1" cross_pkg)"
	[ -f /usr/include/libelf.h ] ||
		die "missing libelf headers: install the Debian package 'libelf-dev'"
	[ -f /usr/include/openssl/ssl.h ] ||
		die "missing OpenSSL headers: install the Debian package 'libssl-dev'"
	[ "${KQ_CCACHE:-0}" != 1 ] || need_tool ccache ccache
}

# kbuild_config <start> <log> <label> <fragment>...: make <start>
# (tinyconfig, a defconfig), merge the fragments in order
# (scripts/kconfig/merge_config.sh), make olddefconfig and check that
# every option asked for is in the final .config (config_verify). On
# failure: false, with kbuild_failed naming the step. Output goes to log.
kbuild_config() {
	local start=$1 log=$2 label=$3 O=$kbuild_O
	shift 3
	kbuild_failed=
	if ! "${kmake[@]}" -s "$start" >"$log" 2>&1; then
		kbuild_failed=$start
	elif ! (cd "$O" && "$kbuild_src/scripts/kconfig/merge_config.sh" -m -O "$O" .config "$@") \
		>>"$log" 2>&1; then
		kbuild_failed=merge_config.sh
	elif ! "${kmake[@]}" -s olddefconfig >>"$log" 2>&1; then
		kbuild_failed=olddefconfig
	elif ! config_verify "$O/.config" "$label" "$@"; then
		kbuild_failed="the kernel config check (requested options dropped: the lines above name them and their fragments)"
	fi
	[ -z "$kbuild_failed" ]
}
