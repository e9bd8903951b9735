// SPDX-License-Identifier: GPL-2.0
/*
 * XFS's own list_lru users, node by node: the buffer cache ("xfs-buf"
 * shrinker) and the dquot cache ("xfs-qm" shrinker). Both are NUMA-aware
 * and not memcg-aware: an object goes on the list of the node its memory
 * came from, and a scan of one node frees that node's objects only. The
 * superblock shrinker's dentries and inodes (memcg-aware) too, in every
 * boot: on lists per memcg or, without them, on the node's.
 *
 * Objects are made by a task bound to a CPU of node 1, so they land on node
 * 1's lists; node 0 is scanned first (node 1 must keep everything), then
 * node 1 (its new objects must go). Counts come from the debugfs count
 * files, scans from the debugfs scan files.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <linux/fs.h>

#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define TREE_DIRS	32
#define TREE_FILES	128	/* 4096 inodes: 128 inode cluster buffers */
#define DQUOTS		400
#define DQ_UID0		30000
#define SCAN_ALL	1000000L

/* Freeze and thaw: XFS writes back every dirty buffer and dquot. */
static int quiesce(void)
{
	int fd, ret = 0;

	fd = open(xfs_dir(), O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, FIFREEZE, 0) || ioctl(fd, FITHAW, 0))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Empty every cache, XFS's reclaimable inodes included. Run on node 0: the
 * slab allocator keeps slabs of freed objects on the freeing CPU, and node
 * 1's CPU should allocate from node 1's slabs afterwards.
 */
static int drop_all(void *unused)
{
	int i, ret = quiesce();

	for (i = 0; i < 2 && !ret; i++) {
		ret = write_file("/proc/sys/vm/drop_caches", "3");
		usleep(200000);
	}
	return ret ? 1 : 0;
}

static void tree_path(char *out, int d, int f)
{
	if (f < 0)
		snprintf(out, PATH_MAX, "%s/bufs/d%d", xfs_dir(), d);
	else
		snprintf(out, PATH_MAX, "%s/bufs/d%d/f%d", xfs_dir(), d, f);
}

/* TREE_DIRS directories of TREE_FILES empty files (kept between runs). */
static int make_tree(void)
{
	char p[PATH_MAX];
	int d, f, fd;

	snprintf(p, sizeof(p), "%s/bufs", xfs_dir());
	if (mkdir(p, 0755) && errno != EEXIST)
		return -errno;
	for (d = 0; d < TREE_DIRS; d++) {
		tree_path(p, d, -1);
		if (mkdir(p, 0755) && errno != EEXIST)
			return -errno;
		for (f = 0; f < TREE_FILES; f++) {
			tree_path(p, d, f);
			fd = open(p, O_CREAT | O_WRONLY, 0644);
			if (fd < 0)
				return -errno;
			close(fd);
		}
	}
	return 0;
}

/* Read every inode of the tree back from disk (runs on node 1). */
static int stat_tree(void *unused)
{
	char p[PATH_MAX];
	struct stat st;
	int d, f;

	for (d = 0; d < TREE_DIRS; d++)
		for (f = 0; f < TREE_FILES; f++) {
			tree_path(p, d, f);
			if (stat(p, &st))
				return 1;
		}
	return 0;
}

static int quota_on(void)
{
	char line[512];
	int on = 0;
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, xfs_dir()) && strstr(line, " xfs ") &&
		    (strstr(line, "usrquota") || strstr(line, "uquota")))
			on = 1;
	fclose(f);
	return on;
}

static void dq_path(char *out, int i)
{
	snprintf(out, PATH_MAX, "%s/dq/f%d", xfs_dir(), i);
}

/* One file per uid: every chown brings one more dquot in */
static int make_dquots(void *unused)
{
	char p[PATH_MAX];
	int i, fd;

	snprintf(p, sizeof(p), "%s/dq", xfs_dir());
	if (mkdir(p, 0755) && errno != EEXIST)
		return 1;
	for (i = 0; i < DQUOTS; i++) {
		dq_path(p, i);
		fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return 2;
		if (fchown(fd, DQ_UID0 + i, 0))
			return 3;
		close(fd);
	}
	return 0;
}

FIXTURE(xfs) {
	char dir[PATH_MAX];
	int cpu1;
};

FIXTURE_SETUP(xfs)
{
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	self->cpu1 = first_cpu_of(1);
	if (nr_nodes() < 2 || first_cpu_of(0) < 0 || self->cpu1 < 0)
		SKIP(return, "needs nodes 0 and 1 with CPUs");
}

FIXTURE_TEARDOWN(xfs)
{
}

/*
 * Scan node 0 then node 1 of the shrinker in @dir, checking that the first
 * scan empties node 0 (to 10%) and leaves node 1 its objects, and that the
 * second frees at least 90% of the @made ones node 1 got in @mid.
 */
static void scan_nodes_check(struct __test_metadata *_metadata,
			     const char *dir, const long *mid, long made)
{
	long after0[MAX_NODES], after1[MAX_NODES];

	ASSERT_EQ(0, quiesce());
	ASSERT_EQ(0, shrinker_scan(dir, 0, 0, SCAN_ALL));
	shrinker_count_global(dir, after0);
	TH_LOG("after scanning node 0: node0 %ld node1 %ld",
	       after0[0], after0[1]);
	EXPECT_GE(after0[1], mid[1] - made / 10);
	EXPECT_LE(after0[0] * 10, mid[0]);

	ASSERT_EQ(0, shrinker_scan(dir, 0, 1, SCAN_ALL));
	shrinker_count_global(dir, after1);
	TH_LOG("after scanning node 1: node0 %ld node1 %ld",
	       after1[0], after1[1]);
	EXPECT_LE(after1[1], mid[1] - made * 9 / 10);
	EXPECT_GE(after1[0], after0[0] - made / 10);
}

/* Inode cluster buffers read on node 1 sit on node 1's buffer LRU. */
TEST_F(xfs, buffer_cache_per_node)
{
	long before[MAX_NODES], mid[MAX_NODES], made;

	ASSERT_EQ(0, shrinker_dir("xfs-buf:", self->dir, sizeof(self->dir)));
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, run_on_cpu(first_cpu_of(0), drop_all, NULL));
	shrinker_count_global(self->dir, before);
	ASSERT_EQ(0, run_on_cpu(self->cpu1, stat_tree, NULL));
	shrinker_count_global(self->dir, mid);
	made = mid[1] - before[1];
	TH_LOG("buffers: node0 %ld -> %ld, node1 %ld -> %ld",
	       before[0], mid[0], before[1], mid[1]);
	/*
	 * At least one buffer per two inode clusters read lands on node 1
	 * (slab may still hand node 1's CPU a node 0 object: the lists follow
	 * the object's memory, not the CPU).
	 */
	ASSERT_GE(made, TREE_DIRS * TREE_FILES / 64);
	scan_nodes_check(_metadata, self->dir, mid, made);
}

/*
 * The root memcg's id in the superblock shrinker's debugfs files: the
 * cgroup root's inode number when the memory controller is on, 0 (one
 * line, no memcg) when it is disabled.
 */
static unsigned long sb_root_ino(void)
{
	char buf[4096];

	if (read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		return 0;
	return cg_ino("");
}

/* Dentries in the system (/proc/sys/fs/dentry-state's first field), or -1 */
static long nr_dentry(void)
{
	char buf[256];

	if (read_file("/proc/sys/fs/dentry-state", buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

/* Root's per-node sb shrinker count once it holds still 1 s, within 30 s */
static long sb_stable(const char *dir, unsigned long ino, long *per_node)
{
	double deadline = now_sec() + 30;
	long prev = -2, cur;

	for (;;) {
		cur = shrinker_count(dir, ino, per_node);
		if (cur < 0 || cur == prev || now_sec() > deadline)
			return cur;
		prev = cur;
		sleep(1);
	}
}

/*
 * Scan node @nid of root's lists, up to five times, until root's count on
 * that node is at most @limit: a freed dentry puts its inode on the inode
 * LRU, which the next scan takes, and an evicted inode waits for XFS's
 * background reclaim, whose count XFS adds to every node's. Root's count
 * in @per_node; -1 on a failed scan or count.
 */
static long sb_scan_down(const char *dir, unsigned long ino, int nid,
			 long limit, long *per_node)
{
	double deadline;
	long cur = -1;
	int round;

	for (round = 0; round < 5; round++) {
		if (shrinker_scan(dir, ino, nid, SCAN_ALL))
			return -1;
		deadline = now_sec() + 10;
		do {
			cur = shrinker_count(dir, ino, per_node);
			if (cur < 0 || per_node[nid] <= limit)
				return cur;
			sleep(1);
		} while (now_sec() < deadline);
	}
	return cur;
}

/*
 * The superblock shrinker's dentries and inodes (memcg-aware lrus) are kept
 * per node in every boot: on the root memcg's lists per node, and where
 * list_lru keeps no lists per memcg (cgroup.memory=nokmem,
 * cgroup_disable=memory) on the node's lists. A tree stat'ed on node 1 is
 * counted on node 1; a scan of node 0 leaves it; scans of node 1 free it.
 */
TEST_F_TIMEOUT(xfs, sb_cache_per_node, 150)
{
	long before[MAX_NODES], mid[MAX_NODES], after[MAX_NODES], made;
	unsigned long ino = sb_root_ino();
	long dentries;

	ASSERT_EQ(0, sb_shrinker_dir("xfs", self->dir, sizeof(self->dir)));
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, run_on_cpu(first_cpu_of(0), drop_all, NULL));
	ASSERT_LE(0, sb_stable(self->dir, ino, before));
	ASSERT_EQ(0, run_on_cpu(self->cpu1, stat_tree, NULL));
	ASSERT_LE(0, shrinker_count(self->dir, ino, mid));
	made = mid[1] - before[1];
	TH_LOG("memcg %lu: node0 %ld -> %ld, node1 %ld -> %ld", ino,
	       before[0], mid[0], before[1], mid[1]);
	/*
	 * A dentry per file (its inode, which the dentry holds, is on no
	 * list): at least half of them on node 1 (slab may hand node 1's CPU
	 * an object of node 0's memory)
	 */
	ASSERT_GE(made, TREE_DIRS * TREE_FILES / 2);

	/*
	 * A dentry of node 1 that the node 0 scan freed would put its inode
	 * on node 1's inode LRU, and node 1's count would hardly move: the
	 * system's dentries must not fall by more than node 0 held
	 */
	dentries = nr_dentry();
	ASSERT_LT(0, dentries);
	ASSERT_EQ(0, shrinker_scan(self->dir, ino, 0, SCAN_ALL));
	ASSERT_LE(0, shrinker_count(self->dir, ino, after));
	TH_LOG("after scanning node 0: node0 %ld node1 %ld, dentries %ld -> %ld",
	       after[0], after[1], dentries, nr_dentry());
	EXPECT_GE(after[1], mid[1] - made / 10);
	EXPECT_LE(dentries - nr_dentry(), mid[0] + made / 10);

	ASSERT_LE(0, sb_scan_down(self->dir, ino, 1, mid[1] - made * 9 / 10,
				  after));
	TH_LOG("after scanning node 1: node0 %ld node1 %ld",
	       after[0], after[1]);
	EXPECT_LE(after[1], mid[1] - made * 9 / 10);
}

/*
 * Dquots brought in on node 1 sit on node 1's dquot LRU once no inode holds
 * them: the files are made in a memcg whose inodes the superblock shrinker
 * then evicts (eviction drops the inode's dquot references).
 */
TEST_F(xfs, dquot_cache_per_node)
{
	const char *cg = "shrinker-dq", *empty = "shrinker-dq-0";
	long before[MAX_NODES], mid[MAX_NODES], made, left;
	char p[PATH_MAX], sbdir[PATH_MAX];
	double deadline;
	int i;

	if (!quota_on())
		SKIP(return, "%s is not mounted with -o uquota", xfs_dir());
	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	ASSERT_EQ(0, shrinker_dir("xfs-qm:", self->dir, sizeof(self->dir)));
	ASSERT_EQ(0, sb_shrinker_dir("xfs", sbdir, sizeof(sbdir)));
	ASSERT_EQ(0, cg_create(cg));
	ASSERT_EQ(0, cg_create(empty));
	shrinker_count_global(self->dir, before);
	ASSERT_EQ(0, run_child(cg, self->cpu1, make_dquots, NULL));
	left = sb_shrink_memcg(_metadata, sbdir, cg, empty, DQUOTS / 10, 10);
	TH_LOG("memcg's dentries and inodes left after eviction: %ld", left);
	deadline = now_sec() + 10;
	do {
		ASSERT_EQ(0, quiesce());
		shrinker_count_global(self->dir, mid);
		made = mid[1] - before[1];
	} while (made < DQUOTS * 9 / 10 && now_sec() < deadline);
	TH_LOG("dquots: node0 %ld -> %ld, node1 %ld -> %ld",
	       before[0], mid[0], before[1], mid[1]);
	ASSERT_GE(made, DQUOTS * 9 / 10);
	scan_nodes_check(_metadata, self->dir, mid, made);

	for (i = 0; i < DQUOTS; i++) {
		dq_path(p, i);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/dq", xfs_dir());
	rmdir(p);
	EXPECT_EQ(0, cg_destroy(cg));
	EXPECT_EQ(0, cg_destroy(empty));
}

TEST_HARNESS_MAIN
