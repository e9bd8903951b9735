#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# manifest.sh KIND: what goes over the base for one kind of tree, as lines
#   patch <absolute path>
#   file <absolute source> <path in the tree>
# KIND: test (our series), bench-base (the unpatched base plus the bench
# code), bench-ours (our series plus the bench code).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# the series of the base (the Makefile sets it: patches, or patches/6.12)
series=${SERIES:?SERIES: the folder of the series to apply}
# the folders of our own files (scripts/owned.sh defines them)
owned_dirs=$("$top/scripts/owned.sh" dirs)

ours() {
	local p
	for p in $(grep -v -e '^#' -e '^[[:space:]]*$' "$series/series"); do
		echo "patch $series/$p"
	done
	local dirs="" d
	for d in $owned_dirs; do
		[ -d "$top/$d" ] && dirs+=" $d"
	done
	(cd "$top" && find $dirs -type f ! -name '*.orig' ! -name '*.rej' | sort) |
	while read -r f; do
		echo "file $top/$f $f"
	done
}

bench() {
	echo "patch $top/bench/bench.patch"
	echo "file $top/bench/list_lru_bench.c mm/list_lru_bench.c"
}

case "${1:-}" in
test) ours ;;
bench-base) bench ;;
bench-ours) ours; bench ;;
*) echo "manifest: unknown kind '${1:-}'" >&2; exit 1 ;;
esac
