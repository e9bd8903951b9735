#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo: memcgs A and B fill the dentry and inode caches of an XFS
# filesystem from CPU 0 (node 0) and CPU 1 (node 1); then memory.reclaim on A,
# then drop_caches. Prints, per memcg and per node, the objects on the
# superblock shrinker's lists and the memcg's reclaimable slab.
cg=/sys/fs/cgroup
sb=$(ls -d /sys/kernel/debug/shrinker/sb-xfs:* 2>/dev/null | head -n 1)
echo "==== demo begin"
if [ -z "$sb" ]; then
	echo "demo: no XFS superblock shrinker in debugfs"
	echo "==== demo end"
	exit 1
fi

fill() {	# memcg cpu dir negative files
	sh -c "echo \$\$ > $cg/$1/cgroup.procs &&
	       exec taskset -c $2 /selftests/shrinker_fill $3 $4 $5"
}

# XFS adds its global count of inodes awaiting background reclaim to every
# memcg's line of the superblock shrinker's count; memcg C stays empty, so
# its line is exactly that term, and the tables subtract it.
line() {	# memcg: its four per-node counts
	objs=$(awk -v i="$(stat -c %i $cg/$1)" '$1 == i { print $2, $3, $4, $5 }' \
		"$sb/count")
	echo "${objs:-0 0 0 0}"
}

snapshot() {	# label: print a table, keep the numbers in /tmp/snap.$label
	printf '\n%s\n' "$1"
	printf '%-6s %12s %9s %9s %9s %9s\n' memcg slab_KiB node0 node1 node2 node3
	set -- "$1" "$2" $(line C)
	for m in A B; do
		slab=$(awk '$1 == "slab_reclaimable" { print int($2 / 1024) }' \
			$cg/$m/memory.stat)
		objs=$(line $m | awk -v a="$3" -v b="$4" -v c="$5" -v d="$6" \
			'{ print $1 - a, $2 - b, $3 - c, $4 - d }')
		echo "$m $slab $objs" >> "/tmp/snap.$2"
		printf '%-6s %12s %9s %9s %9s %9s\n' $m $slab $objs
	done
	echo "(XFS inodes awaiting background reclaim, on no list: $3 $4 $5 $6)"
}

freed() {	# from to: what each memcg lost between two snapshots
	printf '\nfreed between "%s" and "%s"\n' "$1" "$2"
	printf '%-6s %12s %9s %9s %9s %9s\n' memcg slab_KiB node0 node1 node2 node3
	paste -d ' ' "/tmp/snap.$1" "/tmp/snap.$2" | awk '{
		printf "%-6s %12d %9d %9d %9d %9d\n", $1, $2 - $8, $3 - $9,
			$4 - $10, $5 - $11, $6 - $12 }'
}

mkdir -p $cg/A $cg/B $cg/C
start=$(date +%s)
fill A 0 /mnt/xfs/a-node0 6000 1500
fill A 1 /mnt/xfs/a-node1 6000 1500
fill B 0 /mnt/xfs/b-node0 6000 1500
fill B 1 /mnt/xfs/b-node1 6000 1500
echo "demo: filled in $(( $(date +%s) - start ))s: each memcg looked up 6000" \
     "missing names and created 1500 files from each of CPU 0 and CPU 1"
sleep 2		# let the memcg statistics flush
snapshot "after filling (dentries and inodes on the XFS superblock's lists)" filled

# memory.reclaim answers EAGAIN when it freed less than asked: shown, and
# the check below says whether A's objects went
echo 64M > $cg/A/memory.reclaim || echo "demo: memory.reclaim of A failed"
sleep 2
snapshot "after 'echo 64M > A/memory.reclaim'" reclaim
freed filled reclaim

echo 2 > /proc/sys/vm/drop_caches
sleep 2
snapshot "after 'echo 2 > /proc/sys/vm/drop_caches'" drop
freed reclaim drop

# What the demo shows, checked: memory.reclaim of A left none of A's
# objects on nodes 0 and 1 (where they were made) and took none of B's.
bad=$(paste -d ' ' /tmp/snap.filled /tmp/snap.reclaim | awk '
	$1 == "A" && ($9 != 0 || $10 != 0) { print "A kept " $9 " and " $10 " objects on nodes 0 and 1" }
	$1 == "B" && ($9 != $3 || $10 != $4) { print "B went from " $3 " " $4 " to " $9 " " $10 " objects on nodes 0 and 1" }
	$1 == "A" && ($3 == 0 || $4 == 0) { print "A had no objects on node 0 or 1 to free" }')
if [ -n "$bad" ]; then
	echo "demo: FAILED: $bad"
else
	echo "demo: ok: memory.reclaim freed all of A's objects on every node and none of B's"
fi
echo "==== demo end"
