# SPDX-License-Identifier: GPL-2.0
# Plan files: plans/<arch>.plan (tests run in the arch's VM) and
# plans/host.plan (tests run on the host against the kernel tree).
#
#   <series> <name> <timeout-s> <expect> <command...> [# reason]
#
# series: NN of the series the test proves, or "-" for the 6.12 baseline.
# expect: <base>/<patched> or one word for both, each of pass, fail, skip
# or absent (the test does not exist in that tree); the base may also be
# notrun (a costly test of the patched kernel that the base run would not
# prove anything by: not run there). Anything but "pass" must give its
# reason after " # ". Sourced, never run.

# plan_rows <plan-file> [series-filter] [test-glob]: TSV rows
#   series name timeout exp_base exp_patched command reason
plan_rows() {
	local f=$1 sf=${2:-} tf=${3:-}
	[ -f "$f" ] || return 0
	awk -v file="$f" -v sf="$sf" -v tf="$tf" '
	function bad(msg) { printf "kq: error: %s:%d: %s\n", file, NR, msg > "/dev/stderr"; err = 1 }
	/^[ \t]*(#|$)/ { next }
	{
		reason = ""
		if ((i = index($0, " # ")) > 0) {
			reason = substr($0, i + 3); $0 = substr($0, 1, i - 1)
		}
		if (NF < 5) { bad("need: series name timeout expect command"); next }
		if ($3 !~ /^[1-9][0-9]*$/) { bad("timeout \"" $3 "\" is not a number of seconds (1 or more)"); next }
		n = split($4, e, "/")
		if (n == 1) e[2] = e[1]
		if (n > 2 || e[1] !~ /^(pass|fail|skip|absent|notrun)$/ || e[2] !~ /^(pass|fail|skip|absent)$/) {
			bad("expect \"" $4 "\" is not <base>/<patched> of pass|fail|skip|absent (base: or notrun)"); next
		}
		if ((e[1] != "pass" || e[2] != "pass") && reason == "") {
			bad("expect \"" $4 "\" needs a reason after \" # \""); next
		}
		if (seen[$2]++) { bad("duplicate test name " $2); next }
		cmd = $5
		for (i = 6; i <= NF; i++) cmd = cmd " " $i
		if (sf != "" && $1 != sf) next
		if (tf != "" && !glob($2, tf)) next
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $3, e[1], e[2], cmd, reason
	}
	function glob(s, g) {
		gsub(/\./, "\\.", g); gsub(/\*/, ".*", g); gsub(/\?/, ".", g)
		return s ~ ("^" g "$")
	}
	END { exit err }' "$f"
}

# plan_progs <arch> <dir>: the programs under <dir>/ that the plans of
# <arch> and of its lanes run (command <dir>/<prog> or ab/<dir>/<prog>,
# or a wrapper's argument: 04-mm/noskip mm/migration), one per line:
# what build.sh builds of a selftest_dirs= directory.
plan_progs() {
	local p
	for p in "$1" $(lanes_of "$1"); do
		plan_rows "$KQ_ROOT/plans/$p.plan"
	done | awk -F'\t' -v d="${2%/}/" '
		{ n = split($6, w, " ")
		  for (i = 1; i <= n; i++) {
			c = w[i]; sub(/^ab\//, "", c)
			if (index(c, d) == 1 && substr(c, length(d) + 1) ~ /^[^\/]+$/)
				print substr(c, length(d) + 1)
		  } }' |
		sort -u
}
