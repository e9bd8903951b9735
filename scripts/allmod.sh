#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# allmod.sh TREE OBJ ALLCONFIG: compile, under allmodconfig, every object in
# the kernel that uses the list_lru or shrinker API (found by grep, so new
# users are picked up: mm/, fs/, drivers/ including android, gpu/drm and md,
# kernel/, net/, arch/x86/), and fail on any error or on any warning in them.
set -euo pipefail
tree=$1 obj=$2 allconfig=$(realpath "$3")
dirs="arch/x86 drivers fs kernel mm net security virt"
api='shrinker_alloc|shrinker_register|list_lru_(add|del|walk|shrink|init|count|isolate)|struct shrink_control|SHRINK_STOP|SHRINK_EMPTY|memcg_list_lru|list_lru_one'
kmake() { "$(dirname "$0")/kmake.sh" "$tree" "$obj" "$@"; }

mkdir -p "$obj"
KCONFIG_ALLCONFIG=$allconfig kmake allmodconfig >/dev/null
kmake prepare
# list_lru.c #includes the KUnit files; they are no objects of their own
objs=$(cd "$tree" && grep -rlE "$api" --include='*.c' $dirs |
	grep -v '_kunit\.c$' | sed 's/\.c$/.o/' | sort)
echo "allmod: $(echo "$objs" | wc -l) objects use the list_lru/shrinker API"
log=$obj/allmod.log
set +e
kmake -k $objs > "$log" 2>&1
rc=$?
set -e
missing=0
for o in $objs; do
	[ -f "$obj/$o" ] || { echo "allmod: $o not built"; missing=1; }
done
warn=$(grep -cE 'warning:|error:' "$log" || true)
if [ $rc -ne 0 ] || [ $missing -ne 0 ] || [ "$warn" -ne 0 ]; then
	grep -E -B2 -A6 'warning:|error:' "$log" | head -80
	echo "allmod: FAILED (make rc=$rc, $warn warnings/errors, log $log)"
	exit 1
fi
echo "allmod: every object built, no warnings ($log)"
