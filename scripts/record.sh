#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# record.sh NAME SINCE FILE: keep what a run printed as results/NAME.txt,
# headed by the commit it ran on and how long it took (SINCE: its start,
# seconds since the epoch). The README's generated block is made from
# results/ (scripts/readme.sh); a run on uncommitted changes is marked so.
#
# record.sh --commit prints the commit as this names it; make runs that when
# it starts (RUN_COMMIT), since a run builds from the tree as it was then:
# a commit made while it boots is not what it tested.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
now_commit() {
	local c
	c=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
	# shellcheck disable=SC2046
	git -C "$top" diff --quiet HEAD -- $("$top/scripts/owned.sh" dirs) \
		patches configs bench scripts 2>/dev/null || c="$c+uncommitted"
	echo "$c"
}
if [ "${1:-}" = --commit ]; then
	now_commit
	exit 0
fi
name=$1 since=$2 file=$3
commit=${RUN_COMMIT:-$(now_commit)}
mkdir -p "$top/results"
{
	echo "commit $commit"
	echo "date $(date -u +%Y-%m-%d)"
	echo "seconds $(( $(date +%s) - since ))"
	cat "$file"
} > "$top/results/$name.txt"
