#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A lane that names a test_patch (arch/<lane>.conf) boots its own patched
# kernel (build_of, kernel_of); the others, and every base, the arch's.
# harness/build.sh lane refuses, with one error line naming the lane and
# the patch (also in the build's "failed" file, which ./kq run's build
# row shows): a lane without test_patch, an arch, a missing patch file,
# an arch build dir made from another commit than the patched tree's
# (its objects would be taken as up to date), and a patch that does not
# apply on the patched tree. The real build is ./kq run's (the
# arm64-notds lane, whose first row shows its hook).
. "$(dirname "$0")/queuetestlib"

start
R=$W/root
mkdir -p "$R/arch" "$R/tp"
ln -s "$ROOT/harness" "$R/harness"
ln -s "$ROOT/configs" "$R/configs"
cp "$ROOT/arch/arm64.conf" "$R/arch/"
printf 'lane_of=arm64\ntest_patch=tp/hook.patch\nappend=x=1\n' >"$R/arch/arm64-tp.conf"
printf 'lane_of=arm64\nappend=y=1\n' >"$R/arch/arm64-plain.conf"

got=$(
	KQ_ROOT=$R
	. "$ROOT/harness/lib.sh"
	echo "$(build_of arm64-tp patched) $(build_of arm64-tp base) $(build_of arm64-plain patched) $(build_of arm64 patched)"
	kernel_of arm64-tp patched
	kernel_of arm64-plain patched
) 2>&1
want="arm64-tp-patched arm64-base arm64-patched arm64-patched
$KQ_OUT/build/arm64-tp-patched/arch/arm64/boot/Image
$KQ_OUT/build/arm64-patched/arch/arm64/boot/Image"
[ "$got" = "$want" ] || fail "build_of/kernel_of: got '$(echo "$got" | tr '\n' '/')'"

# lane <name> <log>: build.sh lane with the selftest tree as both trees;
# a stand-in for the arch's patched build (its vmlinux) is all it looks
# at before the patch.
mkdir -p "$T/kq-build-arm64" && : >"$T/kq-build-arm64/vmlinux"
cleanup() {
	rm -rf "$T/kq-build-arm64"
	tg worktree remove --force "$KQ_OUT/lanes/arm64-tp" >/dev/null 2>&1
	tg worktree prune
}
trap cleanup EXIT
lane() {
	KQ_ROOT=$R KQ_TREE=$T KQ_PTREE=$T "$ROOT/harness/build.sh" lane "$1" patched >"$2" 2>&1
}
one_line() {
	[ "$(grep -c 'kq: error' "$1")" = 1 ] || fail "$2: want one error line, got: $(tr '\n' '/' <"$1")"
	grep 'kq: error' "$1"
}

lane arm64-plain "$W/log1" && fail "a lane without test_patch was built"
case $(one_line "$W/log1" plain) in *arm64-plain*"names no test_patch"*) ;; *) fail "plain: $(cat "$W/log1")" ;; esac
lane arm64 "$W/log2" && fail "an arch was built as a lane"
case $(one_line "$W/log2" arch) in *"arm64 is an arch"*) ;; *) fail "arch: $(cat "$W/log2")" ;; esac
lane arm64-tp "$W/log3" && fail "a missing test_patch was built"
case $(one_line "$W/log3" missing) in *arm64-tp-patched*"tp/hook.patch: no such file"*) ;; *) fail "missing: $(cat "$W/log3")" ;; esac
grep -qF "tp/hook.patch: no such file" "$KQ_OUT/build/arm64-tp-patched/failed" 2>/dev/null ||
	fail "missing patch: no build row reason in $KQ_OUT/build/arm64-tp-patched/failed"

# A patch whose context the tree does not have.
cat >"$R/tp/hook.patch" <<'PATCH'
diff --git a/README b/README
--- a/README
+++ b/README
@@ -1,3 +1,3 @@
-This line is in no README.
+kq selftest
 Neither is this one.
 Nor this.
PATCH
# The arch's build dir says it was built from another commit.
echo 0000000000000000000000000000000000000000 >"$T/kq-build-arm64/.kq-head"
lane arm64-tp "$W/log5" && fail "a lane was built on a stale arch build"
case $(one_line "$W/log5" stale) in *arm64-tp-patched*"build arm64-patched first"*) ;; *) fail "stale: $(cat "$W/log5")" ;; esac
tg rev-parse HEAD >"$T/kq-build-arm64/.kq-head"
lane arm64-tp "$W/log4" && fail "a test_patch that does not apply was built"
e=$(one_line "$W/log4" "does not apply")
case $e in *arm64-tp-patched*"tp/hook.patch does not apply"*) ;; *) fail "does not apply: $e" ;; esac
grep -qF "tp/hook.patch does not apply" "$KQ_OUT/build/arm64-tp-patched/failed" 2>/dev/null ||
	fail "no build row reason in $KQ_OUT/build/arm64-tp-patched/failed"
pass "build_of/kernel_of pick the lane's kernel only for a test_patch lane's patched side; no test_patch, an arch, a missing patch, a stale arch build, a patch that does not apply: one error line each"
