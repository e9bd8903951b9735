#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# owned.sh dirs|files|sources: what this repository owns of the kernel tree,
# defined here and nowhere else (manifest.sh, series.sh, series-check.sh,
# check.sh and record.sh read it):
#   dirs     the folders our own files live in, as kernel tree paths
#   files    the files git has in them
#   sources  the C files and headers among those
# Which commit of the series adds each owned file is patches/owned
# (patches/6.12/owned); series.sh fails when a file here is in none.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dirs="mm include fs tools/testing/selftests/shrinker Documentation/mm"

# shellcheck disable=SC2086
case "${1:-}" in
dirs) echo "$dirs" ;;
files) git -C "$top" ls-files -- $dirs ;;
sources) git -C "$top" ls-files -- $dirs | grep -E '\.[ch]$' ;;
*) echo "owned: usage: owned.sh dirs|files|sources" >&2; exit 1 ;;
esac
