#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh [OPTION...] MODE KERNEL INITRD LOG: boot the guest under QEMU with
# NUMA nodes and a fresh XFS disk, its serial console in LOG; /init runs MODE
# (test, demo, bench). Fails on a hang, a kernel splat or a guest that never
# reaches the end of /init.
#
# Every input is an argument; nothing is read from the environment:
#   --accel tcg|kvm   QEMU's accelerator (default tcg)
#   --timeout S       the guest must power off within S seconds (default 1200)
#   --topology T      numa4 (default): 4 nodes, 0 and 1 with a CPU each, 2
#                     and 3 memory-only; numa16: 16 nodes, 0 and 1 with a
#                     CPU, 14 memory-only (as with CXL); bench: both CPUs on
#                     node 0, node 1 memory-only
#   --append ARGS     more kernel arguments (one word with spaces)
#   --qemu ARGS       more QEMU arguments (one word with spaces)
#   --disk IMG        the XFS disk image, made afresh and removed after the
#                     boot (default: xfs-MODE.img next to LOG)
# The Makefile passes its ACCEL, NODES, BOOT_TIMEOUT, QEMU_EXTRA and
# XFS_IMAGE as these.
set -euo pipefail
usage() {
	echo "boot: $1; usage: boot.sh [--accel A] [--timeout S] [--topology T] [--append ARGS] [--qemu ARGS] [--disk IMG] MODE KERNEL INITRD LOG" >&2
	exit 1
}
# callers from before the options: their kernel arguments would be lost
[ -z "${BOOT_APPEND+set}" ] ||
	usage "BOOT_APPEND is not read (pass --append); a caller older than boot.sh?"
accel=tcg timeout=1200 topology=numa4 append="" qemu_extra="" img=""
while [ $# -gt 0 ]; do
	case "$1" in
	--accel|--timeout|--topology|--append|--qemu|--disk)
		[ $# -ge 2 ] || usage "$1 needs a value" ;;
	esac
	case "$1" in
	--accel) accel=$2 ;;
	--timeout) timeout=$2 ;;
	--topology) topology=$2 ;;
	--append) append=$2 ;;
	--qemu) qemu_extra=$2 ;;
	--disk) img=$2 ;;
	-*) usage "unknown option '$1'" ;;
	*) break ;;
	esac
	shift 2
done
[ $# -eq 4 ] || usage "MODE KERNEL INITRD LOG expected, got $# arguments"
mode=$1 kernel=$2 initrd=$3 log=$4
here=$(cd "$(dirname "$0")" && pwd)
img=${img:-$(dirname "$log")/xfs-$mode.img}
[[ "$timeout" =~ ^[0-9]+$ ]] || usage "--timeout must be seconds, not '$timeout'"

[ -f "$kernel" ] || { echo "boot: no kernel at $kernel" >&2; exit 1; }
case "$accel" in
tcg) cpu="-accel tcg -cpu max" ;;
kvm)
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		echo "boot: ACCEL=kvm but /dev/kvm is not usable here; use ACCEL=tcg" >&2
		exit 1
	fi
	cpu="-accel kvm -cpu host" ;;
*) echo "boot: ACCEL must be tcg or kvm, not '$accel'" >&2; exit 1 ;;
esac

case "$topology" in
numa4)
	mem=2048M
	numa="-smp 2,sockets=2"
	for n in 0 1 2 3; do
		size=768M; [ $n -ge 2 ] && size=256M
		numa+=" -object memory-backend-ram,id=m$n,size=$size"
		cpus=""; [ $n -le 1 ] && cpus=",cpus=$n"
		numa+=" -numa node,nodeid=$n$cpus,memdev=m$n"
	done ;;
numa16)
	# CXL-like: two nodes with a CPU each, fourteen memory-only ones
	mem=3328M
	numa="-smp 2,sockets=2"
	for n in $(seq 0 15); do
		size=768M; [ $n -ge 2 ] && size=128M
		numa+=" -object memory-backend-ram,id=m$n,size=$size"
		cpus=""; [ $n -le 1 ] && cpus=",cpus=$n"
		numa+=" -numa node,nodeid=$n$cpus,memdev=m$n"
	done ;;
bench)
	# both CPUs on node 0, so their list_lru work meets on one node
	mem=2048M
	numa="-smp 2,sockets=1"
	numa+=" -object memory-backend-ram,id=m0,size=1536M"
	numa+=" -object memory-backend-ram,id=m1,size=512M"
	numa+=" -numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,memdev=m1" ;;
*) echo "boot: unknown --topology '$topology' (numa4, numa16, bench)" >&2; exit 1 ;;
esac

rm -f "$img"
truncate -s 1G "$img"
mkfs.xfs -q -f "$img"

start=$(date +%s)
echo "boot: $mode guest ($accel, $topology), console in $log"
# progress every 30 s: results so far and the selftest running
(
	while sleep 30; do
		[ -f "$log" ] || continue
		n=$(grep -acE '^[[:space:]]*(not )?ok [0-9]+ ' "$log" || true)
		t=$(grep -aoE '^==== selftest [^ ]+ begin' "$log" | tail -n 1 |
		    awk '{ print $3 }' || true)
		line="boot: $(( $(date +%s) - start ))s, $n results so far${t:+, selftest $t}"
		if [ -t 1 ]; then printf '\r%s ' "$line"; else echo "$line"; fi
	done
) &
ticker=$!
set +e
# shellcheck disable=SC2086
timeout --foreground -k 10 "$timeout" qemu-system-x86_64 $cpu -m $mem $numa \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 log_buf_len=16M shrinkers.mode=$mode $append" \
	-drive file="$img",if=virtio,format=raw \
	-display none -serial file:"$log" -monitor none -no-reboot \
	$qemu_extra </dev/null
rc=$?
kill $ticker 2>/dev/null
wait $ticker 2>/dev/null
[ -t 1 ] && printf '\n'
set -e
echo "boot: $mode guest finished in $(( $(date +%s) - start ))s"
rm -f "$img"
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "boot: guest hung: no power-off within ${timeout}s; last lines:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
if [ $rc -ne 0 ]; then
	hint=""
	[ "$accel" = kvm ] && hint=" (KVM does not work here: use ACCEL=tcg)"
	echo "boot: QEMU failed with exit code $rc$hint" >&2
	exit 1
fi
[ "$mode" = test ] && exit 0	# console.py results reads the log
python3 "$here/console.py" check "$log"
if [ "$mode" = demo ]; then
	python3 "$here/console.py" section "$log" demo
	# the demo checks what it printed: make fails when it did not hold
	grep -aq '^demo: ok' "$log" || {
		echo "boot: the demo did not show what it claims (see above)" >&2
		exit 1
	}
fi
