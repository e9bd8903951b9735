#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# record.sh NAME SINCE FILE: keep what a run printed as results/NAME.txt,
# headed by the commit it ran on and how long it took (SINCE: its start,
# seconds since the epoch). The README's generated block is made from
# results/ (scripts/readme.sh); a run on uncommitted changes is marked so.
set -euo pipefail
name=$1 since=$2 file=$3
top=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
# shellcheck disable=SC2046
git -C "$top" diff --quiet HEAD -- $("$top/scripts/owned.sh" dirs) patches \
	configs bench scripts 2>/dev/null ||
	commit="$commit+uncommitted"
mkdir -p "$top/results"
{
	echo "commit $commit"
	echo "date $(date -u +%Y-%m-%d)"
	echo "seconds $(( $(date +%s) - since ))"
	cat "$file"
} > "$top/results/$name.txt"
