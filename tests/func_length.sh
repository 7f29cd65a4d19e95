#!/bin/sh
# Counts the C functions longer than 60 and than 100 lines (from the line
# that names the function to its closing brace, as Universal Ctags reads
# them) in src/, scenarios/, tests/ and bench/, and lists them longest first.
# The house rule (issue 22): none over 100 lines, at most 10 over 60.
# Exits 77 (skipped) without Universal Ctags, 1 when the rule is broken.
# FUNC_LENGTH_LIST=0 prints the counts alone.
srcdir=${srcdir:-.}
command -v ctags >/dev/null 2>&1 && ctags --version 2>/dev/null | grep -q Universal || {
	echo "func_length: Universal Ctags is not installed; skipped"; exit 77; }
cd "$srcdir" || exit 1
files=$(find src scenarios tests bench -name '*.c' | LC_ALL=C sort)
# shellcheck disable=SC2086
ctags --c-kinds=f --fields=+ne -o - $files | awk -F'\t' -v list="${FUNC_LENGTH_LIST:-1}" '
	{
		start = 0; end = 0
		for (i = 4; i <= NF; i++) {
			if ($i ~ /^line:/) start = substr($i, 6) + 0
			if ($i ~ /^end:/) end = substr($i, 5) + 0
		}
		if (start == 0 || end == 0) next
		n = end - start + 1
		if (n > 60) { over60++; if ($2 ~ /^src\//) src60++; if (list) printf "%5d %s %s\n", n, $2, $1 | "sort -rn" }
		if (n > 100) over100++
	}
	END {
		close("sort -rn")
		printf "func_length: %d functions over 60 lines (%d in src/), %d over 100\n", over60, src60, over100
		exit (over100 > 0 || over60 > 10) ? 1 : 0
	}'
