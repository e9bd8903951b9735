#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh [--accel A] [--timeout S] RESULTS INITRD NAME=KERNEL...: boot the
# kernels alternately (scripts/boot.sh, with these two of its options),
# BENCH_ROUNDS rounds (default 10), each round one real-time boot (two
# CPUs) and one -icount boot (single-CPU costs) of every kernel, in an
# order that rotates from round to round so that drift hits all alike,
# then pair the results (scripts/bench.py). NAME is <base>-base (the
# unpatched base with the bench code) or <base>-ours (the series on it).
# BENCH_SETS=icount runs the single-CPU instruction counts alone (a few
# minutes a round); BENCH_TOPOLOGY=numa16 boots with 16 NUMA nodes (two
# with a CPU, fourteen memory-only) instead of the default two-node guest.
#
# A boot that dies before /init (7.2 under TCG sometimes takes an int3
# while patching kernel text at early boot) is retried, up to three
# times; each retry is counted in RESULTS/<run>/retries and printed. A boot
# whose kernel reports a problem after /init is left out of the pairing
# (its round of that base then pairs nothing), named in RESULTS/<run>/failed
# and in the table.
set -euo pipefail
boot_opts=()
while [ $# -gt 0 ]; do
	case "$1" in
	--accel|--timeout)
		[ $# -ge 2 ] || { echo "bench: $1 needs a value" >&2; exit 1; }
		boot_opts+=("$1" "$2")
		shift 2 ;;
	-*) echo "bench: unknown option '$1' (--accel, --timeout)" >&2; exit 1 ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] || { echo "usage: bench.sh [--accel A] [--timeout S] RESULTS INITRD NAME=KERNEL..." >&2; exit 1; }
results=$1 initrd=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-10}
out=$results/$(date -u +%Y%m%d-%H%M%S)${BENCH_TOPOLOGY:+-$BENCH_TOPOLOGY}
mkdir -p "$out"
: > "$out/retries"
: > "$out/failed"
names=()
for k in "$@"; do
	name=${k%%=*} kernel=${k#*=}
	[ -f "$kernel" ] || { echo "bench: no kernel $kernel for $name" >&2; exit 1; }
	names+=("$name")
done
sets=${BENCH_SETS:-timed icount}
total=$(( rounds * ${#names[@]} * $(echo $sets | wc -w) ))
start=$(date +%s)
done_boots=0
echo "bench: $rounds rounds of ${#names[@]} kernels (${names[*]}), $total boots, logs in $out"
# the commit make started from (RUN_COMMIT, +uncommitted when it was not
# clean), as results/ names it; git's own when run by hand
commit=${RUN_COMMIT:-$(git -C "$here" log -1 --format=%h 2>/dev/null ||
	echo unknown)}
echo "$commit $(git -C "$here" log -1 --format=%s "${commit%+*}" \
	2>/dev/null)" > "$out/commit"

boot_one() {	# name kernel set round
	local name=$1 kernel=$2 set=$3 r=$4 extra="" try
	[ "$set" = icount ] && extra="-icount shift=0,sleep=off"
	for try in 1 2 3 4; do
		if "$here/boot.sh" ${boot_opts[@]+"${boot_opts[@]}"} \
			--topology "${BENCH_TOPOLOGY:-bench}" --qemu "$extra" \
			--append "shrinkers.bench=$set shrinkers.memcgs=${BENCH_MEMCGS:-10000}" \
			--disk "$out/xfs.img" bench "$kernel" "$initrd" \
			"$out/$name-$set-$r.log" >/dev/null 2>"$out/boot.err"; then
			return 0
		fi
		if grep -q '^==== shrinkers init' "$out/$name-$set-$r.log"; then
			# the workload made the kernel report a problem (an
			# OOM kill in a hog, say): the boot's numbers are not
			# used, and the boot is counted and named in the table
			head -n 3 "$out/boot.err" >&2
			mv "$out/$name-$set-$r.log" "$out/$name-$set-$r.failed.log"
			echo "$name $set $r" >> "$out/failed"
			echo "bench: $name ($set, round $r) failed after /init, left out: $out/$name-$set-$r.failed.log" >&2
			return 0
		fi
		cp "$out/$name-$set-$r.log" "$out/$name-$set-$r.died-$try.log"
		echo "$name $set $r" >> "$out/retries"
		echo "bench: $name ($set, round $r) died before /init, retry $try"
	done
	echo "bench: $name ($set, round $r) died before /init four times" >&2
	return 1
}

for r in $(seq 1 "$rounds"); do
	n=${#names[@]}
	for i in $(seq 0 $((n - 1))); do
		k=$(( (i + r - 1) % n ))
		name=${names[$k]}
		kernel=""
		for spec in "$@"; do
			[ "${spec%%=*}" = "$name" ] && kernel=${spec#*=}
		done
		for set in $sets; do
			boot_one "$name" "$kernel" "$set" "$r"
			done_boots=$((done_boots + 1))
		done
	done
	echo "bench: round $r/$rounds done, $done_boots of $total boots ($(( $(date +%s) - start ))s)"
done
echo "bench: $(wc -l < "$out/retries") boots retried after dying before /init, $(wc -l < "$out/failed") failed after it"
python3 "$here/bench.py" "$out"
ln -sfn "$out" "$results/latest"
