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
 *
 * And XFS's cache of evicted inodes, which is not per memcg: a memcg's
 * reclaim frees only its own from it, a sibling keeps its (memcg).
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
	left = sb_shrink_memcg(_metadata, sbdir, cg, empty, DQUOTS / 10, 10,
			       false);
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

/*
 * XFS's evicted inodes stay in its cache (a lookup recycles them) until its
 * background worker frees them, xfssyncd_centisecs * 10 / 6 ms after the
 * first is evicted (5 s by default), or a shrinker does. The memcg case
 * sets a 30 s period, lets a worker queued before run, and has 30 s from
 * a sibling's evictions for a memcg's reclaim next to them; it puts the
 * period back and lets the worker queued with 30 s run before the next
 * case, which expects 5 s (the guest's init resets the period after a
 * killed binary).
 */
#define XFS_SYNCD	"/proc/sys/fs/xfs/xfssyncd_centisecs"
#define EV_SYNCD	"18000"
#define EV_WINDOW	30
#define EV_FILES	2000
/* memory.stat is flushed every 2 s when few events are pending */
#define STAT_FLUSH_US	2200000

/* XFS's inode cache lookups read from disk and inodes it freed, or -1 */
static int xfs_ig(long *missed, long *reclaims)
{
	long att, found, frecycle, miss, dup, rec;
	char buf[16384], *p;

	if (read_file("/sys/fs/xfs/stats/stats", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "\nig ");
	if (!p || sscanf(p + 1, "ig %ld %ld %ld %ld %ld %ld", &att, &found,
			 &frecycle, &miss, &dup, &rec) != 6)
		return -1;
	if (missed)
		*missed = miss;
	if (reclaims)
		*reclaims = rec;
	return 0;
}

/* Look every file of fill_dir() up again. */
static int stat_files(void *arg)
{
	struct fill *f = arg;
	char name[PATH_MAX + 32];
	struct stat st;
	int i;

	for (i = 0; i < f->files; i++) {
		snprintf(name, sizeof(name), "%s/file-%d", f->dir, i);
		if (stat(name, &st))
			return 1;
	}
	return 0;
}

FIXTURE(memcg) {
	char sbdir[PATH_MAX], syncd[32];
	char sdir[PATH_MAX], tdir[PATH_MAX];
	double evicted;
	int cpu0, period_set;
};

FIXTURE_SETUP(memcg)
{
	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	self->cpu0 = first_cpu_of(0);
	ASSERT_LE(0, self->cpu0);
	ASSERT_EQ(0, read_file(XFS_SYNCD, self->syncd, sizeof(self->syncd)));
	snprintf(self->sdir, sizeof(self->sdir), "%s/ev-s", xfs_dir());
	snprintf(self->tdir, sizeof(self->tdir), "%s/ev-t", xfs_dir());
}

/* XFS's period back, and the worker queued with 30 s run */
static void restore_period(struct _test_data_memcg *self)
{
	if (!self->period_set)
		return;
	self->period_set = 0;
	write_file(XFS_SYNCD, self->syncd);
	quiesce();	/* the log worker: queued again with the restored period */
	while (self->evicted > 0 && now_sec() < self->evicted + EV_WINDOW + 1)
		usleep(500000);
}

FIXTURE_TEARDOWN(memcg)
{
	struct fill f = { .files = EV_FILES };

	restore_period(self);
	f.dir = self->sdir;
	unfill_dir(&f);
	f.dir = self->tdir;
	unfill_dir(&f);
	cg_destroy("xfs-ev-s");
	cg_destroy("xfs-ev-t");
	cg_destroy("xfs-ev-e");
}

/*
 * A sibling S has evicted inodes in XFS's cache; reclaim of memcg T (75% of
 * its slab) must leave them: S's slab stays, and S's lookups find them
 * there. 7.2's XFS shrinker frees whichever evicted inodes it finds first.
 */
TEST_F_TIMEOUT(memcg, sibling_keeps_evicted_inodes, 200)
{
	struct fill fs = { .files = EV_FILES }, ft = { .files = EV_FILES };
	long left, s0, s1, t0, t1, rec0, rec1, rec2, miss0, miss1;
	const char *S = "xfs-ev-s", *T = "xfs-ev-t", *E = "xfs-ev-e";
	double done;
	char ask[32];
	int rc;

	fs.dir = self->sdir;
	ft.dir = self->tdir;
	ASSERT_EQ(0, sb_shrinker_dir("xfs", self->sbdir, sizeof(self->sbdir)));
	ASSERT_EQ(0, write_file(XFS_SYNCD, EV_SYNCD));
	self->period_set = 1;
	/*
	 * Empty XFS's cache, then wait out any worker queued before: with
	 * the old period, or with 30 s by the evictions of drop_all()
	 */
	ASSERT_EQ(0, run_on_cpu(self->cpu0, drop_all, NULL));
	sleep(EV_WINDOW + 1);
	ASSERT_EQ(0, cg_create(S));
	ASSERT_EQ(0, cg_create(T));
	ASSERT_EQ(0, cg_create(E));
	ASSERT_EQ(0, run_child(S, self->cpu0, fill_dir, &fs));
	ASSERT_EQ(0, run_child(T, self->cpu0, fill_dir, &ft));
	ASSERT_EQ(0, quiesce());	/* clean: a shrinker may free them */

	ASSERT_EQ(0, xfs_ig(NULL, &rec0));
	self->evicted = now_sec();	/* the first eviction queues the worker */
	left = sb_shrink_memcg(_metadata, self->sbdir, S, E, EV_FILES / 10 + 1,
			       10, true);
	ASSERT_EQ(0, xfs_ig(NULL, &rec1));
	TH_LOG("S: %ld dentries and inodes left, XFS freed %ld inodes",
	       left, rec1 - rec0);
	ASSERT_LE(left, EV_FILES / 10);
	/* evicted, not freed: S's inodes wait in XFS's cache */
	ASSERT_LE(rec1 - rec0, EV_FILES / 4);

	s0 = settled_slab(S, STAT_FLUSH_US);
	t0 = settled_slab(T, 300000);
	ASSERT_LT(0, s0);
	ASSERT_LT(0, t0);
	snprintf(ask, sizeof(ask), "%ld", t0 * 3 / 4);
	rc = cg_write(T, "memory.reclaim", ask);
	t1 = settled_slab(T, 300000);
	s1 = settled_slab(S, STAT_FLUSH_US);
	ASSERT_EQ(0, xfs_ig(&miss0, &rec2));
	ASSERT_EQ(0, run_child(S, self->cpu0, stat_files, &fs));
	ASSERT_EQ(0, xfs_ig(&miss1, NULL));
	done = now_sec();
	restore_period(self);
	TH_LOG("T's reclaim of %s (rc %d): T's slab %ld -> %ld, S's %ld -> %ld",
	       ask, rc, t0, t1, s0, s1);
	TH_LOG("XFS freed %ld inodes meanwhile", rec2 - rec1);
	TH_LOG("S's lookups read %ld inodes from disk", miss1 - miss0);
	ASSERT_GT(self->evicted + EV_WINDOW, done)
		TH_LOG("XFS's worker may have run: the case took %.0f s",
		       done - self->evicted);
	/* T's reclaim succeeded, its inodes freed too, not just dentries */
	EXPECT_EQ(0, rc);
	ASSERT_LE(t1, t0 / 2);
	EXPECT_GE(s1, s0 * 9 / 10);
	EXPECT_LE(miss1 - miss0, rec1 - rec0 + EV_FILES / 10);
}

TEST_HARNESS_MAIN
