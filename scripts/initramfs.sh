#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OBJ TREE SELFTESTS OUT: busybox, /init, the demo and the static
# selftests, packed by the kernel's own usr/gen_init_cpio.
set -euo pipefail
obj=$1 tree=$2 st=$3 out=$4
top=$(cd "$(dirname "$0")/.." && pwd)
gen=$obj/usr/gen_init_cpio
[ -x "$gen" ] || { echo "initramfs: $gen missing (build the kernel first)" >&2; exit 1; }
busybox=$(command -v busybox || echo /bin/busybox)
file "$busybox" | grep -q 'statically linked' ||
	{ echo "initramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }

tests=$(make -s -C "$tree/tools/testing/selftests/shrinker" emit_tests |
	sed -n 's/^[^:]*://p')
list=$(mktemp)
trap 'rm -f "$list" "$list.tests"' EXIT
printf '%s\n' $tests > "$list.tests"
{
	for d in /dev /bin /proc /sys /tmp /mnt /selftests; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "file /init $top/scripts/guest/init 0755 0 0"
	for s in "$top"/scripts/guest/*.sh; do
		echo "file /$(basename "$s") $s 0755 0 0"
	done
	echo "file /selftests/TESTS $list.tests 0644 0 0"
	for f in "$st"/*; do
		[ -x "$f" ] && echo "file /selftests/$(basename "$f") $f 0755 0 0"
	done
} > "$list"
for t in $tests; do
	[ -x "$st/$t" ] || { echo "initramfs: selftest $t was not built ($st/$t)" >&2; exit 1; }
done
"$gen" "$list" | gzip -1 > "$out"
echo "initramfs: $out ($(du -k "$out" | cut -f1) KiB, tests: $(echo $tests))"
