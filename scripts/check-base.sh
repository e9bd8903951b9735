#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-base.sh TREE BASE PKG PIN: the unpacked TREE must be Linux BASE
# (6.12 or 7.2), and the pinned release unless the fetch fell back loudly.
set -euo pipefail
tree=$1 base=$2 pkg=$3 pin=$4
# a broken or half-unpacked tree must say so, not end the script silently
ver=$(make -s --no-print-directory -C "$tree" kernelversion 2>/dev/null) ||
	{ echo "base: $tree is no kernel tree (make kernelversion failed): remove it and rerun" >&2; exit 1; }
case "$ver" in
"$base".*) ;;
*) echo "base: $tree is Linux $ver, not $base: remove it and rerun" >&2; exit 1 ;;
esac
want=${pin%%-*}
if [ "$ver" != "$want" ]; then
	echo "base: WARNING: base is $ver, the pin is $want ($pkg $pin)" >&2
fi
