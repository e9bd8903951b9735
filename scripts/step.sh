#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# step.sh "what" command...: run a long step, print one line with its time.
#
# While it runs, a line every 30 s says how long it has taken; with
# STEP_OBJ=dir (a kernel object tree), also how many objects it has
# compiled so far, and how many the tree held after its last build.
# On a terminal the line is rewritten in place.
what=$1
shift
start=$(date +%s)
echo "$what: started"
stamp=""
if [ -n "${STEP_OBJ:-}" ] && mkdir -p "$STEP_OBJ"; then
	stamp=$STEP_OBJ/.step-start
	touch "$stamp"
	last=$(cat "$STEP_OBJ/.step-objects" 2>/dev/null)
fi
objects() {
	find "$STEP_OBJ" -name '*.o' -newer "$stamp" 2>/dev/null | wc -l
}
(
	while sleep 30; do
		line="$what: $(( $(date +%s) - start ))s"
		if [ -n "$stamp" ]; then
			n=$(objects)
			line+=", $n objects compiled${last:+ (the tree held $last)}"
		fi
		if [ -t 1 ]; then printf '\r%s ' "$line"; else echo "$line"; fi
	done
) &
ticker=$!
"$@"
rc=$?
kill $ticker 2>/dev/null
wait $ticker 2>/dev/null
[ -t 1 ] && printf '\n'
if [ $rc -eq 0 ]; then
	[ -n "$stamp" ] && find "$STEP_OBJ" -name '*.o' | wc -l \
		> "$STEP_OBJ/.step-objects"
	echo "$what: done in $(( $(date +%s) - start ))s"
else
	echo "$what: FAILED after $(( $(date +%s) - start ))s" >&2
	exit $rc
fi
