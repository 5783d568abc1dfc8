#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Series 03 (arm64 FEAT_LSUI): no QEMU implements LSUI, so its code is
# checked without running it.
#
#   03-arm64-lsui.sh encodings <kernel tree>
#     Every LSUI_* encoding of arch/arm64/include/asm/lsui.h, put through
#     the tree's own .inst helper macros with several register triples
#     and assembled with binutils, must (1) decode field by field, per the
#     Arm ARM layout written out below, to the instruction and registers
#     asked for, and (2) equal what an assembler that knows LSUI
#     (llvm-mc-NN -mattr=+lsui, LLVM 20 or later) makes of the mnemonic.
#     Without such an assembler only (1) is checked, and the log says so.
#   03-arm64-lsui.sh disasm <vmlinux>
#     A built arm64 kernel: its futex and SWP emulation functions must hold
#     both the LL/SC sequences and the LSUI instructions (the two sides of
#     the alternative), every word binutils cannot decode there must be
#     one of the LSUI encodings expected, and LLVM's disassembler
#     (llvm-objdump-NN --mattr=+lsui) must agree where installed.
#   03-arm64-lsui.sh disasm-program <vmlinux>
#     The same, as the C source of a program that prints the log and
#     exits with the verdict: tests/series/03-lsui/Makefile builds it
#     right after each kernel (harness/build.sh passes KERNEL_BUILD), so
#     that the check runs on the kernel just built and its result shows
#     up per kernel (base and patched) among the arm64 VM tests.
#
# Exit 0 pass, 1 fail, 4 skip.
set -u
usage="usage: $0 encodings <kernel tree> | disasm[-program] <vmlinux>"
mode=${1:?$usage}
arg=${2:?$usage}
name="03-arm64-lsui $mode"
fail() { echo "FAIL $name: $*"; exit 1; }
skip() { echo "SKIP $name: $*"; exit 4; }

cross=aarch64-linux-gnu-
command -v ${cross}gcc >/dev/null || fail "missing ${cross}gcc (Debian: gcc-aarch64-linux-gnu)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An assembler/disassembler that knows LSUI: the newest llvm-mc-NN.
llvm=
for v in $(ls /usr/bin/llvm-mc-* 2>/dev/null | sed 's/.*-//' | sort -rn); do
	[ "$v" -ge 20 ] 2>/dev/null && { llvm=$v; break; }
done

# The Arm ARM field layouts, as a Python decoder shared by both modes.
cat >"$tmp/decode.py" <<'EOF'
# decode(word) -> (mnemonic, size, rs, rt, rn) or None, for the FEAT_LSUI
# encodings the kernel uses (Arm ARM C6.2: LDTADD, LDTCLR, LDTSET, SWPT,
# CAST families):
#   atomics/swap: 0 sf 011001 A R 1 Rs o3 opc(3) 0 1 Rn Rt
#   CAS{A}{L}T:   1 1 001001 1 L 0 Rs o0 11111 Rn Rt   (64-bit only)
def decode(w):
    rs, rn, rt = (w >> 16) & 31, (w >> 5) & 31, w & 31
    if (w & 0xbf200c00) == 0x19200400:
        sf, a, r = (w >> 30) & 1, (w >> 23) & 1, (w >> 22) & 1
        o3, opc = (w >> 15) & 1, (w >> 12) & 7
        base = {(0, 0): "ldtadd", (0, 1): "ldtclr", (0, 3): "ldtset",
                (1, 0): "swpt"}.get((o3, opc))
        if base is None:
            return None
        return (base + ("a" if a else "") + ("l" if r else ""),
                "x" if sf else "w", rs, rt, rn)
    if (w & 0xffa07c00) == 0xc9807c00:
        l, o0 = (w >> 22) & 1, (w >> 15) & 1
        return ("cas" + ("a" if l else "") + ("l" if o0 else "") + "t",
                "x", rs, rt, rn)
    return None

def reg(size, n):
    return size + ("zr" if n == 31 else str(n))

def text(d):
    m, size, rs, rt, rn = d
    return "%s %s, %s, [x%d]" % (m, reg(size, rs), reg(size, rt), rn)
EOF

# llvm_words <file of "mnemonic ops" lines>: their encodings, one hex a line.
llvm_words() {
	"/usr/bin/llvm-mc-$llvm" -triple=aarch64 -mattr=+lsui -show-encoding <"$1" 2>&1 |
		sed -n 's/.*encoding: \[0x\(..\),0x\(..\),0x\(..\),0x\(..\)\].*/\4\3\2\1/p'
}

encodings() {
	local tree=$arg hdr=$arg/arch/arm64/include/asm/lsui.h
	[ -f "$hdr" ] || fail "$tree has no arch/arm64/include/asm/lsui.h (no LSUI support: the base tree)"
	# The header's #defines only (its C code needs the whole kernel),
	# with __emit_inst and __stringify as <asm/sysreg.h> and
	# <linux/stringify.h> define them, and the tree's <asm/gpr-num.h>.
	python3 - "$hdr" >"$tmp/defs.h" <<'EOF' || fail "cannot read $hdr"
import sys
lines, cur = [], ""
for l in open(sys.argv[1]):
    cur += l
    if l.rstrip().endswith("\\"):
        continue
    if cur.lstrip().startswith("#define"):
        lines.append(cur)
    cur = ""
print("".join(lines))
EOF
	mapfile -t names < <(sed -n 's/^#define[ \t]\+LSUI_\([A-Z0-9]*_[WX]\)[ \t]\+0x[0-9a-fA-F]\+.*/\1/p' "$hdr")
	[ ${#names[@]} -gt 0 ] || fail "no LSUI_<insn>_<W|X> encodings in $hdr"
	triples=("1 2 3" "30 29 28" "7 0 12" "0 30 1")
	{
		echo '#define __stringify_1(x...) #x'
		echo '#define __stringify(x...) __stringify_1(x)'
		echo '#define __emit_inst(x) ".inst " __stringify((x)) "\n\t"'
		echo "#include \"$tree/arch/arm64/include/asm/gpr-num.h\""
		echo "#include \"$tmp/defs.h\""
		echo 'asm(__LSUI_INSNS'
		for n in "${names[@]}"; do
			m=$(echo "${n%_*}" | tr A-Z a-z) s=$(echo "${n##*_}" | tr A-Z a-z)
			for t in "${triples[@]}"; do
				set -- $t
				echo "\"lsui_${m}_$s $s$1, $s$2, x$3\\n\""
				echo "$m $s$1, $s$2, [x$3]" >>"$tmp/want.txt"
			done
		done
		echo '__LSUI_INSNS_END);'
	} >"$tmp/t.c"
	${cross}gcc -c -o "$tmp/t.o" "$tmp/t.c" 2>"$tmp/cc.log" ||
		fail "the lsui.h helper macros do not assemble: $(head -n 3 "$tmp/cc.log" | tr '\n' ' ')"
	${cross}objdump -d "$tmp/t.o" | awk '/^ +[0-9a-f]+:/ { print $2 }' >"$tmp/got.txt"
	[ "$(wc -l <"$tmp/got.txt")" -eq "$(wc -l <"$tmp/want.txt")" ] ||
		fail "$(wc -l <"$tmp/got.txt") words assembled for $(wc -l <"$tmp/want.txt") instructions"
	if [ -n "$llvm" ]; then
		llvm_words "$tmp/want.txt" >"$tmp/llvm.txt"
		[ "$(wc -l <"$tmp/llvm.txt")" -eq "$(wc -l <"$tmp/want.txt")" ] ||
			fail "llvm-mc-$llvm rejected some: $("/usr/bin/llvm-mc-$llvm" -triple=aarch64 -mattr=+lsui <"$tmp/want.txt" 2>&1 | grep -m1 error)"
	else
		: >"$tmp/llvm.txt"
	fi
	python3 - "$tmp" "$llvm" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from decode import decode, text
d = sys.argv[1]
want = [l.strip() for l in open(d + "/want.txt")]
got = [int(l, 16) for l in open(d + "/got.txt")]
llvm = [int(l, 16) for l in open(d + "/llvm.txt")]
bad = 0
for i, (w, g) in enumerate(zip(want, got)):
    dec = decode(g)
    ok = dec is not None and text(dec) == w
    ref = ""
    if llvm:
        ok = ok and llvm[i] == g
        ref = "  llvm 0x%08x" % llvm[i]
    print("%-4s %-28s 0x%08x  decodes as %-28s%s" % ("ok" if ok else "BAD", w, g,
          text(dec) if dec else "(not LSUI)", ref))
    bad += not ok
sys.exit(1 if bad else 0)
EOF
	[ $? -eq 0 ] || fail "some encodings are wrong (see above)"
	if [ -n "$llvm" ]; then
		echo "PASS $name: ${#names[@]} encodings x ${#triples[@]} register sets from lsui.h's macros decode per the Arm ARM and match llvm-mc-$llvm -mattr=+lsui"
	else
		echo "PASS $name: ${#names[@]} encodings x ${#triples[@]} register sets decode per the Arm ARM (no llvm-mc-20+ installed: not checked against an assembler)"
	fi
}

disasm() {
	local vmlinux=$arg
	[ -f "$vmlinux" ] || fail "no $vmlinux"
	# The functions the futex and SWP code is inlined into.
	${cross}nm -S "$vmlinux" | awk 'tolower($3) == "t" && $4 ~ /^(futex_|emulate_swpX|swp_handler|try_emulate_swp)/ { print $1, $2, $4 }' >"$tmp/funcs"
	[ -s "$tmp/funcs" ] || fail "no futex or SWP emulation functions in $vmlinux"
	while read -r addr size fn; do
		${cross}objdump -d --start-address=0x$addr \
			--stop-address=$(printf '0x%x' $((0x$addr + 0x$size))) "$vmlinux" 2>/dev/null |
			awk -v fn="$fn" '/^ *[0-9a-f]+:\t/ { print fn "\t" $0 }'
		if [ -n "$llvm" ]; then
			"/usr/bin/llvm-objdump-$llvm" -d --mattr=+lsui --start-address=0x$addr \
				--stop-address=$(printf '0x%x' $((0x$addr + 0x$size))) "$vmlinux" 2>/dev/null |
				awk -v fn="$fn" '/^ *[0-9a-f]+:/ { print fn "\t" $0 }' >>"$tmp/llvm.dis"
		fi
	done <"$tmp/funcs" >"$tmp/gnu.dis"
	[ -n "$llvm" ] || : >"$tmp/llvm.dis"
	python3 - "$tmp" "$llvm" <<'EOF'
import re, sys
sys.path.insert(0, sys.argv[1])
from decode import decode, text
d = sys.argv[1]
futex_want = {"swptal", "ldtaddal", "ldtsetal", "ldtclral", "casalt"}
swp_want = {"swpt", "cast"}
llvm = {}
for l in open(d + "/llvm.dis"):
    f = l.rstrip("\n").split("\t")
    m = re.match(r"\s*([0-9a-f]+):\s+([0-9a-f]{8}|(?:[0-9a-f]{2} ){4})\s*(.*)",
                 "\t".join(f[1:]))
    if m:
        llvm[int(m.group(1), 16)] = " ".join(m.group(3).split())
seen = {}        # kind -> set of mnemonics
llsc = {}        # kind -> ldxr/stxr seen
bad = 0
lines = [l.rstrip("\n").split("\t") for l in open(d + "/gnu.dis")]
for i, f in enumerate(lines):
    if len(f) < 4:
        continue
    fn, addr, word = f[0], int(f[1].strip().rstrip(":"), 16), f[2].strip()
    insn = " ".join(" ".join(f[3:]).split())
    kind = "swp" if "swp" in fn else "futex"
    if re.match(r"(ldxr|stxr|stlxr|ldaxr)", insn):
        llsc[kind] = llsc.get(kind, 0) + 1
    if "undefined" not in insn:
        continue
    w = int(word, 16)
    dec = decode(w)
    if dec is None:
        print("BAD %s+%#x: 0x%08x is not an LSUI encoding" % (fn, addr, w))
        bad += 1
        continue
    seen.setdefault(kind, set()).add(dec[0])
    ref = llvm.get(addr)
    ok = ref is None or " ".join(text(dec).replace(",", ", ").split()) == \
        " ".join(ref.replace(",", ", ").split())
    if not ok:
        bad += 1
    print("%-3s %s %#x: 0x%08x %-30s%s" % ("ok" if ok else "BAD", fn, addr, w, text(dec),
          ("  llvm-objdump: " + ref) if ref else ""))
    if len(seen[kind]) == 1 and sum(1 for x in seen.values() for _ in x) == 1:
        # Show one LSUI site with its surroundings (the alternative's
        # branch to it, the LL/SC side nearby).
        for g in lines[max(0, i - 8):i + 4]:
            print("    | " + "\t".join(g[1:]))
for kind, want in (("futex", futex_want), ("swp", swp_want)):
    got = seen.get(kind, set())
    print("%s: LL/SC exclusives %d, LSUI %s" % (kind, llsc.get(kind, 0), sorted(got)))
    if got != want:
        print("BAD %s: LSUI instructions %s, expected %s" % (kind, sorted(got), sorted(want)))
        bad += 1
    if not llsc.get(kind):
        print("BAD %s: no LL/SC fallback left" % kind)
        bad += 1
sys.exit(1 if bad else 0)
EOF
	[ $? -eq 0 ] || fail "the LSUI code in $vmlinux is not as expected (see above)"
	echo "PASS $name: futex and SWP emulation code in vmlinux has both the LL/SC and the LSUI side; every LSUI word decodes per the Arm ARM${llvm:+ and as llvm-objdump-$llvm says}"
}

# disasm_program: disasm's log and exit status as a C program.
disasm_program() {
	local rc
	name="03-arm64-lsui disasm"
	( disasm ) >"$tmp/log" 2>&1
	rc=$?
	echo '/* Generated by tests/series/03-arm64-lsui.sh disasm-program. */'
	echo '#include <stdio.h>'
	echo 'int main(void)'
	echo '{'
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/.*/\tputs("&");/' "$tmp/log"
	echo "	return $rc;"
	echo '}'
}

case $mode in
encodings) encodings ;;
disasm) disasm ;;
disasm-program) disasm_program ;;
*) fail "unknown mode '$mode' (encodings or disasm)" ;;
esac
