# SPDX-License-Identifier: GPL-2.0
# The run as one JSON document, for dashboards: "meta" (report-meta.tsv:
# what was tested with what, the step times), "counts" (rows per verdict)
# and "rows" (the verdict table, harness/verdict.sh, one object per row,
# keyed by its column names; the times and splat counts as numbers).
# Run by report.sh:
#
#   awk -f json.awk report-meta.tsv verdict.tsv
BEGIN { FS = "\t" }
function j(s) {
	gsub(/\\/, "&&", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s)
	gsub(/\r/, "\\r", s); gsub(/[\001-\010\013\014\016-\037]/, "?", s)
	return "\"" s "\""
}
FNR == 1 { file++ }
file == 1 { m[++nm] = j($1) ": " j($2); next }
FNR == 1 { for (i = 1; i <= NF; i++) { col[i] = $i; if ($i == "verdict") vc = i }; nc = NF; next }
{
	o = ""
	for (i = 1; i <= nc; i++)
		o = o (i > 1 ? ", " : "") j(col[i]) ": " (col[i] ~ /_(ms|splats)$/ ? $i + 0 : j($i))
	r[++nr] = "{" o "}"
	cnt[$vc]++
}
END {
	print "{"
	print "  \"meta\": {"
	for (i = 1; i <= nm; i++) printf "    %s%s\n", m[i], i < nm ? "," : ""
	print "  },"
	printf "  \"counts\": {\"rows\": %d, \"pass\": %d, \"proven\": %d, \"skip\": %d, \"FAIL\": %d},\n",
	       nr, cnt["pass"], cnt["proven"], cnt["skip"], cnt["FAIL"]
	print "  \"rows\": ["
	for (i = 1; i <= nr; i++) printf "    %s%s\n", r[i], i < nr ? "," : ""
	print "  ]"
	print "}"
}
