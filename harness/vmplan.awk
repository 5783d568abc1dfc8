# SPDX-License-Identifier: GPL-2.0
#
# The VM plan: the one reader of the file harness/vmtests.sh writes from
# a VM's selected plan rows (harness/plan.sh) and that init runs as
# /kq/plan. One test per line, numbered from 1 in file order:
#
#   name<TAB>timeout-seconds<TAB>command
#
# Lines that are empty or start with "#" are not tests. Every test has a
# timeout (init would take 0 as none: a VM plan never has it). Programs that
# read a VM plan load this file first and take the plan as their first
# file argument:
#
#   awk -f vmplan.awk [-f program.awk] PLAN [other files]
#
# which gives them vp_n tests in vp_name[i], vp_timeout[i], vp_cmd[i]. A
# line that breaks the rules is reported on stderr as PLAN:line and the
# program exits 1 before its own END. With -v vp_list=1 and no program
# of its own, it prints "name<TAB>timeout" per test.

FILENAME == ARGV[1] {
	if ($0 ~ /^#/ || $0 ~ /^[ \t\r]*$/)
		next
	if (split($0, vp_f, "\t") < 3 || vp_f[1] !~ /^[A-Za-z0-9_.,:+=\/-]+$/ ||
	    vp_f[2] !~ /^[1-9][0-9]*$/ || vp_f[3] !~ /[^ ]/) {
		printf "%s:%d: want name<TAB>seconds (1 or more)<TAB>command\n", FILENAME, FNR > "/dev/stderr"
		vp_bad = 1
		next
	}
	vp_n++
	vp_name[vp_n] = vp_f[1]
	vp_timeout[vp_n] = vp_f[2] + 0
	vp_cmd[vp_n] = vp_f[3]
	next
}

END {
	if (vp_bad)
		exit 1
	for (vp_i = 1; vp_list && vp_i <= vp_n; vp_i++)
		printf "%s\t%d\n", vp_name[vp_i], vp_timeout[vp_i]
}
