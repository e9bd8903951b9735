#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-base.sh BASE PKG PIN: the unpacked base must be a 6.12 tree, and the
# pinned one unless deps.sh fell back loudly.
set -euo pipefail
base=$1 pkg=$2 pin=$3
# a broken or half-unpacked tree must say so, not end the script silently
ver=$(make -s --no-print-directory -C "$base" kernelversion 2>/dev/null) ||
	{ echo "base: $base is no kernel tree (make kernelversion failed): remove it and rerun" >&2; exit 1; }
case "$ver" in
6.12.*) ;;
*) echo "base: $base is Linux $ver, not 6.12: remove it and rerun" >&2; exit 1 ;;
esac
want=${pin%%-*}
if [ "$ver" != "$want" ]; then
	echo "base: WARNING: base is $ver, the pin is $want ($pkg $pin)" >&2
fi
