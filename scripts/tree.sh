#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tree.sh BASE WORK SERIES_DIR OWNED_ROOT
#
# Make WORK equal to BASE + the quilt series + our owned files, writing only
# the files whose content changes, so that kbuild rebuilds incrementally.
set -euo pipefail
base=$1 work=$2 pdir=$3 root=$4
owned_dirs="mm include fs tools/testing/selftests/shrinker Documentation/mm"

[ -f "$base/Makefile" ] || { echo "tree: no base tree at $base" >&2; exit 1; }
if [ ! -f "$work/Makefile" ]; then
	echo "tree: copying $base to $work"
	mkdir -p "$work"
	cp -a "$base/." "$work/"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

owned=$(cd "$root" && find $owned_dirs -type f ! -name '*.orig' ! -name '*.rej' 2>/dev/null | sort)
series=$(grep -v -e '^#' -e '^[[:space:]]*$' "$pdir/series" 2>/dev/null || true)
patched=""
for p in $series; do
	[ -f "$pdir/$p" ] || { echo "tree: patches/series names $p, which does not exist" >&2; exit 1; }
	patched+=" $(sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$pdir/$p")"
done
previous=$(cat "$work/.shrinkers-touched" 2>/dev/null || true)
touched=$(printf '%s\n' $owned $patched $previous | sort -u)

for f in $touched; do
	if [ -f "$base/$f" ]; then
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$base/$f" "$stage/$f"
	fi
done
for p in $series; do
	if ! out=$(patch -d "$stage" -p1 -f -s --no-backup-if-mismatch < "$pdir/$p" 2>&1); then
		echo "tree: patch $p does not apply to the base:" >&2
		echo "$out" | grep -i -E 'file|hunk|fail' | head -5 >&2
		exit 1
	fi
done
for f in $owned; do
	mkdir -p "$stage/$(dirname "$f")"
	cp "$root/$f" "$stage/$f"
done

changed=0
for f in $touched; do
	if [ -f "$stage/$f" ]; then
		if ! cmp -s "$stage/$f" "$work/$f"; then
			mkdir -p "$work/$(dirname "$f")"
			cp "$stage/$f" "$work/$f"
			changed=$((changed + 1))
		fi
	elif [ -e "$work/$f" ]; then
		rm -f "$work/$f"
		changed=$((changed + 1))
	fi
done
printf '%s\n' $owned $patched | sort -u > "$work/.shrinkers-touched"
echo "tree: $(echo $series | wc -w) patches, $(echo $owned | wc -w) owned files, $changed files updated"
