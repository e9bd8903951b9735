#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bench workloads, run inside a bench guest (both CPUs on node 0, node 1
# memory-only). Prints "BENCH <metric> <value>" lines; the host pairs them
# across kernels (scripts/bench.py). shrinkers.bench=<set> on the kernel
# command line picks "timed" (real time, two CPUs) or "icount" (guest time
# follows instructions: single-CPU costs only).
cg=/sys/fs/cgroup
dbg=/sys/kernel/debug/list_lru_bench
set=timed
n=10000
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	shrinkers.bench=*) set=${arg#shrinkers.bench=} ;;
	shrinkers.memcgs=*) n=${arg#shrinkers.memcgs=} ;;
	esac
done
echo "==== bench begin"

# run CMD in memcg CG on CPU, print what the bench file answers
lru() {	# memcg cpu command...
	m=$1 cpu=$2
	shift 2
	sh -c "echo \$\$ > $cg/$m/cgroup.procs &&
	       exec taskset -c $cpu sh -c 'exec 3<>$dbg; echo \"$*\" >&3 &&
	       cat <&3'"
}

mkdir -p $cg/A $cg/B
case "$set" in
icount)
	echo "BENCH addel_1cpu_ns $(lru A 0 addel 200000 1)"
	echo "BENCH addel_root_1cpu_ns $(lru A 0 addel_root 200000 1)"
	echo "BENCH addel_steady_1cpu_ns $(lru A 0 addel_steady 200000 1)"
	echo "BENCH floor_ns $(lru A 0 floor 200000)"
	echo "BENCH walk_ns $(lru A 0 walk 100000)"
	echo "BENCH lrumem_bytes $(lru A 0 lrumem)"
	;;
timed)
	# two CPUs of node 0, two memcgs: separate lists
	lru A 0 addel 200000 2 > /tmp/a & lru B 1 addel 200000 2 > /tmp/b
	wait
	echo "BENCH addel_2cpu_2memcg_ns $(( ($(cat /tmp/a) + $(cat /tmp/b)) / 2 ))"
	# two CPUs, one memcg: the same list, contended in both kernels
	lru A 0 addel 200000 2 > /tmp/a & lru A 1 addel 200000 2 > /tmp/b
	wait
	echo "BENCH addel_2cpu_1memcg_ns $(( ($(cat /tmp/a) + $(cat /tmp/b)) / 2 ))"
	echo "BENCH addel_1cpu_timed_ns $(lru A 0 addel 200000 1)"
	echo "BENCH floor_timed_ns $(lru A 0 floor 200000)"

	# dentry churn on XFS: one task, then two in two memcgs
	run() { sh -c "echo \$\$ > $cg/$1/cgroup.procs &&
		       exec taskset -c $2 /selftests/shrinker_churn $3 $4 $5"; }
	one=$(run A 0 /mnt/xfs/c1 3000)
	run A 0 /mnt/xfs/ca 3000 > /tmp/a & run B 1 /mnt/xfs/cb 3000 > /tmp/b
	wait
	two=$(( $(cat /tmp/a) + $(cat /tmp/b) ))
	echo "BENCH churn_1task_ops $one"
	echo "BENCH churn_2task_ops $two"
	echo "BENCH churn_scaling_pct $(( two * 100 / (2 * one) ))"
	# inode-LRU variant: stat 1000 files, have their dentries shrunk
	echo "BENCH churn_inode_ops $(run A 0 --inodes /mnt/xfs/ci 3000)"

	# memory.reclaim of one memcg with 1, 100, 1000 others holding
	# dentries; then what a sibling loses to it
	/selftests/shrinker_reclaim /mnt/xfs/rb 1 100 1000
	# rcu_barrier() on CPU 0, idle, then while a memcg on CPU 1 fills its
	# slab with negative dentries and writes memory.high 64 KB below its
	# usage in a loop, as a user it is delegated to can: what a module
	# unload, or any rcu_barrier() user, then waits, and how many writes
	# the loop made a second meanwhile (a barrier in the write path would
	# show in both)
	echo "BENCH rcu_barrier_idle_ns $(lru A 0 rcu_barrier 20)"
	mkdir -p $cg/H
	echo 0 > /tmp/hwrites	# appended to: a read never sees it emptied
	sh -c "echo \$\$ > $cg/H/cgroup.procs && exec taskset -c 1 sh -c '
		i=0
		n=0
		while :; do
			i=\$((i + 1))
			[ -e /mnt/xfs/h-\$i ]
			[ \$((i % 256)) -ne 0 ] && continue
			c=\$(cat $cg/H/memory.current)
			echo \$((c - 65536)) > $cg/H/memory.high
			echo max > $cg/H/memory.high
			n=\$((n + 1))
			echo \$n >> /tmp/hwrites
		done'" &
	hog=$!
	sleep 3
	cs() { tr -d . < /proc/uptime | cut -d' ' -f1; }
	w0=$(tail -n 1 /tmp/hwrites) t0=$(cs)
	echo "BENCH rcu_barrier_high_ns $(lru A 0 rcu_barrier 20)"
	w1=$(tail -n 1 /tmp/hwrites) t1=$(cs)
	echo "BENCH high_writes_per_s $(( (w1 - w0) * 100 / (t1 - t0 + 1) ))"
	kill $hog
	wait $hog 2>/dev/null
	rm -f /tmp/hwrites
	for i in 1 2 3 4 5; do rmdir $cg/H 2>/dev/null && break; sleep 1; done
	# what memory.reclaim (25/50/75% asks, slab and mixed memcgs) and a
	# memory.high write free, over what they ask
	/selftests/precision_test 2>/dev/null | sed -n 's/^PRECISION /BENCH /p'
	# 200 dying memcgs pinned by page cache, a live working set, one
	# root memory.reclaim of what the dying ones hold
	/selftests/reap_test 2>/dev/null | sed -n 's/^REAP /BENCH reap_/p'
	# thread churn fills the vmap-node pools, then a hog pushes out page
	# cache: what the pools give back (6.12: a shrinker, ours: a listener)
	/selftests/pressure_test -t vmap_pools_kswapd 2>/dev/null |
		sed -n 's/^PRESSURE /BENCH /p'

	# shrinker registration with many memcgs existing
	i=0
	mkdir -p $cg/many
	echo +memory > $cg/many/cgroup.subtree_control
	while [ $i -lt $n ]; do
		mkdir $cg/many/m$i
		i=$((i + 1))
	done
	echo "BENCH shrinker_reg_${n}memcg_ns $(lru A 0 shrinker 64)"
	# what two lrus (a superblock's) spend on lists and lookup for them
	echo "BENCH lrutable_bytes $(lru A 0 lrutable)"

	# umount of an XFS whose dentries are charged to all of them: the
	# superblock shrink walks and counts every memcg's lists (last: it
	# remounts /mnt/xfs with default options)
	echo "BENCH umount_memcgs_ns $(/selftests/shrinker_umount \
		$cg/many $n 10 /mnt/xfs /dev/vda)"

	;;
esac
echo "==== bench end"
