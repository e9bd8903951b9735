#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# step.sh "what" command...: run a long step, print one line with its time.
what=$1
shift
start=$(date +%s)
echo "$what: started"
if "$@"; then
	echo "$what: done in $(( $(date +%s) - start ))s"
else
	rc=$?
	echo "$what: FAILED after $(( $(date +%s) - start ))s" >&2
	exit $rc
fi
