#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh BUILD INITRD: boot the unpatched (bench-base) and the patched
# (bench-ours) kernel alternately, BENCH_ROUNDS rounds (default 10), each
# round one real-time boot (two CPUs) and one -icount boot (single-CPU
# costs), then pair the results (scripts/bench.py). BENCH_SETS=icount
# runs the single-CPU instruction counts alone (a few minutes a round);
# BENCH_TOPOLOGY=numa16 boots both kernels with 16 NUMA nodes (two with a
# CPU, fourteen memory-only) instead of the default two-node guest.
set -euo pipefail
build=$1 initrd=$2
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-10}
out=$build/bench-results/$(date -u +%Y%m%d-%H%M%S)${BENCH_TOPOLOGY:+-$BENCH_TOPOLOGY}
mkdir -p "$out"
start=$(date +%s)
echo "bench: $rounds rounds, logs in $out"
for r in $(seq 1 "$rounds"); do
	# alternate which kernel goes first, so drift hits both alike
	kinds="bench-base bench-ours"
	[ $((r % 2)) -eq 0 ] && kinds="bench-ours bench-base"
	for k in $kinds; do
		for set in ${BENCH_SETS:-timed icount}; do
			extra=""
			[ "$set" = icount ] && extra="-icount shift=0,sleep=off"
			QEMU_TOPOLOGY=${BENCH_TOPOLOGY:-bench} QEMU_EXTRA="$extra" \
			BOOT_APPEND="shrinkers.bench=$set shrinkers.memcgs=${BENCH_MEMCGS:-10000}" \
			XFS_IMAGE="$out/xfs.img" \
				"$here/boot.sh" bench "$build/obj-$k/arch/x86/boot/bzImage" \
				"$initrd" "$out/$k-$set-$r.log" >/dev/null
		done
	done
	echo "bench: round $r/$rounds done ($(( $(date +%s) - start ))s)"
done
python3 "$here/bench.py" "$out"
ln -sfn "$out" "$build/bench-results/latest"
