#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./kq check builds no base kernel for the arches in check.sh's default
# KQ_NO_BASE, so a row there cannot prove its series (fail, skip or absent
# on base, pass patched). Every series with such a row must have one on an
# arch whose base check does boot, or CI would prove it nowhere.
. "$(dirname "$0")/vmtestlib"
. "$ROOT/harness/lib.sh"
. "$ROOT/harness/plan.sh"

nobase=$(sed -n 's/^export KQ_NO_BASE=\${KQ_NO_BASE-\(.*\)}$/\1/p' "$ROOT/harness/check.sh")
[ -n "$nobase" ] || skip "check.sh sets no KQ_NO_BASE"
# series<TAB>vm of each proving row, in every VM's plan.
for p in "$ROOT"/plans/*.plan; do
	v=$(basename "$p" .plan)
	[ "$v" = host ] && continue
	[ "$(arch_get "$v" heavy)" = 1 ] && continue
	plan_rows "$p" | awk -F'\t' -v v="$v" '$1 != "-" && $5 == "pass" && $4 ~ /^(fail|skip|absent)$/ { print $1 "\t" v }'
done >"$W/proofs.tsv"
[ -s "$W/proofs.tsv" ] || fail "no proving rows in plans/"
bad= n=0
for s in $(cut -f1 "$W/proofs.tsv" | sort -u); do
	n=$((n + 1))
	elsewhere=0
	while IFS=$'\t' read -r ser v; do
		[ "$ser" = "$s" ] || continue
		case " $nobase " in *" $(arch_of "$v") "*) ;; *) elsewhere=1 ;; esac
	done <"$W/proofs.tsv"
	[ $elsewhere = 1 ] || bad="$bad $s"
done
[ -z "$bad" ] || fail "series$bad: proven only on $nobase, whose base ./kq check does not boot"
pass "each of the $n series with a proving row has one outside KQ_NO_BASE ($nobase)"
