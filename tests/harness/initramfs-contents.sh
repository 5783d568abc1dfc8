#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh puts /init, /kq/plan, /dev/console and the bin tree (nested
# paths, modes, symlinks) under /kq/bin into the cpio; relative paths
# (vm.sh --out o, ...) work too.
. "$(dirname "$0")/vmtestlib"

command -v cpio >/dev/null || skip "no cpio to list the archive"
mkdir -p "$W/bin/kvm/aarch64" && cp "$ROOT/tests/harness/kqtest.c" "$W/bin/kvm/aarch64/vgic_irq" &&
	chmod 755 "$W/bin/kvm/aarch64/vgic_irq" && ln -s kvm/aarch64/vgic_irq "$W/bin/link" &&
	printf 't\t1\t@hang\n' >"$W/plan" || fail "cannot make the bin tree"
"$ROOT/harness/initramfs.sh" x86_64 "$W/i.cpio" "$W/plan" "$W/bin" >"$W/log" 2>&1 ||
	fail "initramfs.sh failed: $(tail -n 2 "$W/log" | tr '\n' '|')"
cpio -itv <"$W/i.cpio" 2>/dev/null | awk '{ print $1, $NF }' >"$W/list"
for want in "-rwxr-xr-x init" "-rw-r--r-- kq/plan" "crw------- dev/console" \
	    "-rwxr-xr-x kq/bin/kvm/aarch64/vgic_irq" "lrwxrwxrwx kvm/aarch64/vgic_irq" \
	    "drwxrwxrwt tmp" "drwxr-xr-x kq/bin/kvm"; do
	grep -qxF -- "$want" "$W/list" || fail "no '$want' in the cpio: $(tr '\n' ',' <"$W/list")"
done
cpio -i --to-stdout kq/plan <"$W/i.cpio" 2>/dev/null | cmp -s - "$W/plan" || fail "kq/plan differs"
cpio -i --to-stdout kq/bin/kvm/aarch64/vgic_irq <"$W/i.cpio" 2>/dev/null |
	cmp -s - "$W/bin/kvm/aarch64/vgic_irq" || fail "kq/bin/kvm/aarch64/vgic_irq differs"
(cd "$W" && "$ROOT/harness/initramfs.sh" x86_64 rel.cpio plan bin) >"$W/log" 2>&1 ||
	fail "initramfs.sh with relative paths failed: $(tail -n 1 "$W/log")"
cpio -itv <"$W/rel.cpio" 2>/dev/null | awk '{ print $1, $NF }' | cmp -s - "$W/list" ||
	fail "relative paths gave another file list"
pass "initramfs.sh packs /init, /kq/plan, /dev/console and the nested bin tree with modes and symlinks, from absolute or relative paths"
