#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-check-test.sh: the refusals of scripts/series-check.sh, on a clone of
# this repository and a fake base (no kernel is built): a dirty tree, a base
# that is not unpacked, and a patch that does not apply. Each must be one
# line naming the problem, with a non-zero exit. Run by `make test` on the
# host, with deps-test.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

git clone -q "$here" "$tmp/top" 2>/dev/null ||
	{ echo "series-check-test: cannot clone $here" >&2; exit 1; }
# a base with a Makefile and none of the files the patches change
mkdir -p "$tmp/base"
printf 'kernelversion:\n\t@echo 6.12.0\n' > "$tmp/base/Makefile"

# case NAME EXPECTED-LINE COMMAND...: exit non-zero, one line on stderr
# containing EXPECTED-LINE
case_() {
	local name=$1 want=$2 rc lines
	shift 2
	"$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	rc=$?
	lines=$(grep -c . "$tmp/$name.err")
	if [ $rc -ne 0 ] && [ "$lines" = 1 ] &&
	   grep -qF -- "$want" "$tmp/$name.err"; then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "not ok $name (exit $rc, $lines lines on stderr):"
		sed 's/^/    /' "$tmp/$name.err"
	fi
}

# the 6.12 series of the clone, as `make series-check BASE=6.12` sets it
check() {
	SERIES=$tmp/top/patches/6.12 SHRINKERS_BASE=6.12 \
		"$tmp/top/scripts/series-check.sh" "$@"
}

case_ no-base "no unpacked base at $tmp/nowhere" \
	check "$tmp/nowhere" "$tmp/top" "$tmp/build"
case_ no-apply "series: patches/6.12/0001-mm-list_lru-shrinker-core.patch no longer applies" \
	check "$tmp/base" "$tmp/top" "$tmp/build"
echo "/* stray */" > "$tmp/top/mm/stray.c"
case_ dirty "uncommitted changes in $tmp/top" \
	check "$tmp/base" "$tmp/top" "$tmp/build"

echo "series-check.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
