#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh TREE TOP OBJ: checkpatch --strict on every owned C file (no errors
# or warnings allowed; CHECKs are listed), sparse on the objects built from
# owned files (no warning allowed), those objects and their callers built
# without CONFIG_MEMCG, and a Sphinx build of Documentation/mm with
# warnings treated as failures for our documents.
set -uo pipefail
tree=$1 top=$2 obj=$3
cd "$top"
fail=0

files=$("$top/scripts/owned.sh" sources)
out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files 2>&1 | grep -v '^total:')
bad=$(echo "$out" | grep -E ': (ERROR|WARNING):')
checks=$(echo "$out" | grep -c ': CHECK:')
if [ -n "$bad" ]; then
	echo "$bad"
	echo "check: checkpatch --strict: errors or warnings in owned files" >&2
	fail=1
else
	echo "check: checkpatch --strict: $(echo $files | wc -w) owned files, no errors or warnings ($checks CHECKs)"
	[ "$checks" -gt 0 ] && echo "$out" | grep ': CHECK:'
fi

# The objects our C files are compiled into (the KUnit suites are included
# by the files they test), built with the test config in OBJ.
objs="mm/list_lru.o mm/shrinker.o mm/vmpressure.o mm/lru_park.o"
if ! command -v sparse >/dev/null; then
	echo "check: sparse missing (make deps installs it)" >&2
	exit 1
fi
# judge RC OUTPUT FAILED PASSED: a step fails on a non-zero exit or on any
# warning or error in its output
judge() {
	if [ "$1" -ne 0 ] || echo "$2" | grep -qE '(warning|error):'; then
		echo "$2" | grep -E '(warning|error):' || echo "$2" | tail -20
		echo "check: $3" >&2
		fail=1
	else
		echo "check: $4"
	fi
}
out=$("$top/scripts/kmake.sh" "$tree" "$obj" C=2 $objs 2>&1)
judge $? "$out" "sparse: warnings in $objs" "sparse: $objs, no warnings"

# The same objects, and the callers that change with them, without the
# memory controller: every config sets CONFIG_MEMCG=y, and the boots with
# cgroup_disable=memory do not compile the !CONFIG_MEMCG side.
nomemcg=$(dirname "$obj")/obj-nomemcg
mkdir -p "$nomemcg"
# (nomemcg.config turns off what the test config's memcg symbols ask for)
out=$(CONFIG_VERIFY=0 "$top/scripts/config.sh" "$tree" "$nomemcg" \
	${TEST_CONFIG:?TEST_CONFIG: set by the Makefile} \
	"$top/configs/nomemcg.config" 2>&1 &&
      ! grep -q '^CONFIG_MEMCG=y' "$nomemcg/.config" &&
      "$top/scripts/kmake.sh" "$tree" "$nomemcg" mm/list_lru.o \
	mm/shrinker.o mm/vmscan.o mm/workingset.o mm/huge_memory.o \
	fs/dcache.o fs/inode.o fs/super.o 2>&1)
judge $? "$out" "build without CONFIG_MEMCG failed" \
	"without CONFIG_MEMCG: list_lru, shrinker and their callers build, no warnings"

if ! command -v sphinx-build >/dev/null; then
	echo "check: python3-sphinx missing (make deps installs it)" >&2
	exit 1
fi
log=$(mktemp)
if ! make -s -C "$tree" O="$(dirname "$obj")/docs" PYTHON3=/usr/bin/python3 SPHINXDIRS=mm htmldocs >"$log" 2>&1; then
	tail -20 "$log"
	echo "check: docs build failed" >&2
	fail=1
fi
ours=$(grep -E 'list_lru|shrinker' "$log" | grep -iE 'warning|error')
if [ -n "$ours" ]; then
	echo "$ours"
	echo "check: docs build warns about our documents" >&2
	fail=1
else
	echo "check: docs: Documentation/mm built, no warnings from our files" \
	     "($(dirname "$obj")/docs/Documentation/output/mm/list_lru.html)"
fi
rm -f "$log"

# the README's figures are made from results/, not typed
if python3 "$top/scripts/readme.py" --check; then
	echo "check: README's results block matches results/"
else
	fail=1
fi
exit $fail
