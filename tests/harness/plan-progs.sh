#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plan_progs (harness/plan.sh), what build.sh builds of a selftest_dirs=
# directory: the programs directly under it that the plans of the arch
# and of its lanes run, with or without ab/, also as a wrapper's argument,
# once each; not those of other dirs, subdirs, comments or other arches.
# Then plan_progs of the real x86_64 plans is every mm program of the
# x86_64 lanes' plans (x86_64-mm, the heavy x86_64-mmfull).
. "$(dirname "$0")/vmtestlib"

r=$W/root
mkdir -p "$r/arch" "$r/plans"
printf 'karch=x86_64\n' >"$r/arch/a1.conf"
printf 'lane_of=a1\n' >"$r/arch/a1-l.conf"
printf 'karch=x86_64\n' >"$r/arch/a2.conf"
cat >"$r/plans/a1.plan" <<'EOP'
# mm/commented 1 pass mm/commented
-  t1  60 pass mm/prog1 -x
-  t2  60 fail ab/mm/prog2 # reason mm/prog9
-  t3  60 pass mm/sub/prog3
-  t4  60 pass kvm/prog4
-  t5  60 pass mmx/prog5
-  t6  60 pass mm/prog1 -y
-  t7  60 pass 04-mm/noskip mm/prog8 -t x
EOP
printf -- '-  l1 60 pass mm/prog6\n' >"$r/plans/a1-l.plan"
printf -- '-  o1 60 pass mm/prog7\n' >"$r/plans/a2.plan"
got=$(KQ_ROOT=$r; . "$ROOT/harness/lib.sh"; . "$ROOT/harness/plan.sh"; plan_progs a1 mm | tr '\n' ' '; echo "|$(plan_progs a1 mm/sub)")
[ "$got" = "prog1 prog2 prog6 prog8 |prog3" ] || fail "plan_progs a1: got '$got', want 'prog1 prog2 prog6 prog8 |prog3'"

. "$ROOT/harness/lib.sh"
. "$ROOT/harness/plan.sh"
want=$(awk '!/^[ \t]*#/ { sub(/ # .*/, ""); for (i = 5; i <= NF; i++) if ($i ~ /^mm\//) { sub(/^mm\//, "", $i); print $i } }' "$ROOT"/plans/x86_64-*.plan | sort -u)
[ -n "$want" ] || fail "no mm rows in plans/x86_64-*.plan"
[ "$(plan_progs x86_64 mm)" = "$want" ] || fail "x86_64 mm: got '$(plan_progs x86_64 mm | tr '\n' ' ')'"
pass "the programs of a dir that an arch's and its lanes' plans run, once each; $(echo "$want" | wc -l) mm programs for x86_64"
