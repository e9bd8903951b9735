#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tree.sh BASE WORK KIND
#
# Make WORK equal to BASE plus what scripts/manifest.sh KIND lists (patches
# applied in order, then files copied over), writing only the files whose
# content changes, so that kbuild rebuilds incrementally.
set -euo pipefail
base=$1 work=$2 kind=$3
here=$(cd "$(dirname "$0")" && pwd)

[ -f "$base/Makefile" ] || { echo "tree: no base tree at $base" >&2; exit 1; }
if [ ! -f "$work/Makefile" ]; then
	echo "tree: copying $base to $work"
	mkdir -p "$work"
	cp -a "$base/." "$work/"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
manifest=$("$here/manifest.sh" "$kind")
patches=$(echo "$manifest" | awk '$1 == "patch" { print $2 }')
files=$(echo "$manifest" | awk '$1 == "file" { print $3 }')

patched=""
for p in $patches; do
	[ -f "$p" ] || { echo "tree: missing patch $p" >&2; exit 1; }
	patched+=" $(sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$p")"
done
previous=$(cat "$work/.shrinkers-touched" 2>/dev/null || true)
touched=$(printf '%s\n' $files $patched $previous | sort -u)

for f in $touched; do
	if [ -f "$base/$f" ]; then
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$base/$f" "$stage/$f"
	fi
done
for p in $patches; do
	if ! out=$(patch -d "$stage" -p1 -f -s --no-backup-if-mismatch < "$p" 2>&1); then
		echo "tree: patch $(basename "$p") does not apply to the base:" >&2
		echo "$out" | head -5 >&2
		exit 1
	fi
done
echo "$manifest" | awk '$1 == "file" { print $2, $3 }' | while read -r src dst; do
	mkdir -p "$stage/$(dirname "$dst")"
	cp "$src" "$stage/$dst"
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
printf '%s\n' $files $patched | sort -u > "$work/.shrinkers-touched"
echo "tree: $kind: $(echo $patches | wc -w) patches, $(echo $files | wc -w) files, $changed updated"
