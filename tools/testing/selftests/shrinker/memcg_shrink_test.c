// SPDX-License-Identifier: GPL-2.0
/*
 * Per-memcg and per-node shrinking of the XFS superblock's dentry and
 * inode lists: NUMA locality, memcg death, deep hierarchies, memory.max
 * pressure, many memcgs, malformed input to the control files, lists
 * that cannot be allocated, and the memcg the shrink_slab tracepoints name.
 */

#include <sys/mount.h>

#include "../kselftest_harness.h"
#include "shrinker_util.h"

/* Remove a fill directory and the @files real files fill_dir() made. */
static void rm_fill(const char *sub, int files)
{
	char p[PATH_MAX + 64];
	int i;

	for (i = 0; i < files; i++) {
		snprintf(p, sizeof(p), "%s/%s/file-%d", xfs_dir(), sub, i);
		unlink(p);
	}
	rm_dir(sub);
}

/* Wait until fewer than @limit objects remain for @ino, or a deadline. */
static long wait_count_below(const char *sbdir, unsigned long ino, long limit,
			     double secs)
{
	double deadline = now_sec() + secs;
	long n;

	do {
		n = shrinker_count(sbdir, ino, NULL);
		if (n < limit)
			break;
		usleep(100000);
	} while (now_sec() < deadline);
	return n;
}

FIXTURE(sb) {
	char sbdir[PATH_MAX];
};

FIXTURE_SETUP(sb)
{
	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, sb_shrinker_dir("xfs", self->sbdir, sizeof(self->sbdir)));
}

FIXTURE_TEARDOWN(sb)
{
}

/* Pressure on node 1 frees node 1's objects and leaves node 0's. */
TEST_F(sb, numa_locality)
{
	const char *cg = "shrinker-numa";
	long before[MAX_NODES], after[MAX_NODES];
	struct fill f[2];
	char dirs[2][PATH_MAX], cmd[64], p[PATH_MAX + 8];
	int n, cpu0 = first_cpu_of(0), cpu1 = first_cpu_of(1);

	if (nr_nodes() < 2 || cpu0 < 0 || cpu1 < 0)
		SKIP(return, "needs nodes 0 and 1 with CPUs");
	ASSERT_EQ(0, cg_create(cg));
	for (n = 0; n < 2; n++) {
		snprintf(dirs[n], PATH_MAX, "%s/numa%d", xfs_dir(), n);
		f[n] = (struct fill){ .dir = dirs[n], .negative = 4000 };
		ASSERT_EQ(0, run_child(cg, n ? cpu1 : cpu0, fill_dir, &f[n]));
	}
	shrinker_count(self->sbdir, cg_ino(cg), before);
	TH_LOG("before: node0 %ld node1 %ld", before[0], before[1]);
	/* slab may hand a CPU a page of the other node now and then */
	ASSERT_GE(before[0] + before[1], 8000);
	ASSERT_GE(before[0], 3000);
	ASSERT_GE(before[1], 3000);

	/* twice the count: one pass rotates referenced dentries, one frees */
	snprintf(cmd, sizeof(cmd), "%lu 1 %ld", cg_ino(cg), 2 * before[1]);
	snprintf(p, sizeof(p), "%s/scan", self->sbdir);
	ASSERT_EQ(0, write_file(p, cmd));
	shrinker_count(self->sbdir, cg_ino(cg), after);
	TH_LOG("after scan of node 1: node0 %ld node1 %ld", after[0], after[1]);
	EXPECT_LE(after[1] * 10, before[1]);
	EXPECT_GE(after[0], before[0] - before[0] / 20);

	rm_dir("numa0");
	rm_dir("numa1");
	EXPECT_EQ(0, cg_destroy(cg));
}

/* A memcg's objects outlive it in its parent, and the parent frees them. */
TEST_F(sb, reparent_on_rmdir)
{
	char dir[PATH_MAX];
	struct fill f = { .dir = dir, .negative = 5000 };
	const char *p = "shrinker-rp", *c = "shrinker-rp/child";
	long in_child, in_parent, left;
	double deadline;

	snprintf(dir, sizeof(dir), "%s/reparent", xfs_dir());
	ASSERT_EQ(0, cg_create(p));
	ASSERT_EQ(0, cg_enable_memory(p));
	ASSERT_EQ(0, cg_create(c));
	ASSERT_EQ(0, cg_run(c, fill_dir, &f));
	in_child = shrinker_count(self->sbdir, cg_ino(c), NULL);
	ASSERT_GE(in_child, 5000);
	ASSERT_EQ(0, cg_destroy(c));

	/* offlining is asynchronous: wait for the objects to show up */
	deadline = now_sec() + 10;
	do {
		in_parent = shrinker_count(self->sbdir, cg_ino(p), NULL);
		if (in_parent >= in_child)
			break;
		usleep(100000);
	} while (now_sec() < deadline);
	TH_LOG("child had %ld, parent now has %ld", in_child, in_parent);
	EXPECT_GE(in_parent, in_child);

	cg_write(p, "memory.reclaim", "64M");
	left = wait_count_below(self->sbdir, cg_ino(p), in_parent / 10, 5);
	TH_LOG("parent after memory.reclaim: %ld", left);
	EXPECT_LT(left, in_parent / 10);

	/* the dead child goes away once nothing pins it */
	deadline = now_sec() + 30;
	while (cg_read_key(p, "cgroup.stat", "nr_dying_descendants") > 0 &&
	       now_sec() < deadline) {
		cg_write(p, "memory.reclaim", "16M");
		usleep(200000);
	}
	EXPECT_EQ(0, cg_read_key(p, "cgroup.stat", "nr_dying_descendants"));
	rm_dir("reparent");
	EXPECT_EQ(0, cg_destroy(p));
}

/* Reclaim of an ancestor reaches the objects of its deepest descendant. */
TEST_F(sb, deep_hierarchy)
{
	static const char * const lvl[] = {
		"shrinker-d1", "shrinker-d1/d2", "shrinker-d1/d2/d3",
		"shrinker-d1/d2/d3/d4",
	};
	char dir[PATH_MAX];
	struct fill f = { .dir = dir, .negative = 4000 };
	long before, after;
	int i;

	snprintf(dir, sizeof(dir), "%s/deep", xfs_dir());
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, cg_create(lvl[i]));
		if (i < 3)
			ASSERT_EQ(0, cg_enable_memory(lvl[i]));
	}
	ASSERT_EQ(0, cg_run(lvl[3], fill_dir, &f));
	before = shrinker_count(self->sbdir, cg_ino(lvl[3]), NULL);
	ASSERT_GE(before, 4000);
	cg_write(lvl[0], "memory.reclaim", "64M");
	after = shrinker_count(self->sbdir, cg_ino(lvl[3]), NULL);
	TH_LOG("deepest memcg: %ld before, %ld after reclaim at the top",
	       before, after);
	EXPECT_LE(after * 10, before);
	rm_dir("deep");
	for (i = 3; i >= 0; i--)
		EXPECT_EQ(0, cg_destroy(lvl[i]));
}

/* memory.max pressure shrinks the memcg's own slab, not a sibling's. */
TEST_F(sb, memory_max_pressure)
{
	char da[PATH_MAX], db[PATH_MAX];
	struct fill fa = { .dir = da, .negative = 60000 };
	struct fill fb = { .dir = db, .negative = 5000 };
	const char *a = "shrinker-max-a", *b = "shrinker-max-b";
	long b0, b1, a1;

	snprintf(da, sizeof(da), "%s/max-a", xfs_dir());
	snprintf(db, sizeof(db), "%s/max-b", xfs_dir());
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, cg_run(b, fill_dir, &fb));
	b0 = shrinker_count(self->sbdir, cg_ino(b), NULL);
	/* 60000 dentries are ~12 MB: A may keep 4 MB of everything */
	ASSERT_EQ(0, cg_write(a, "memory.max", "4M"));
	ASSERT_EQ(0, cg_run(a, fill_dir, &fa));
	a1 = shrinker_count(self->sbdir, cg_ino(a), NULL);
	b1 = shrinker_count(self->sbdir, cg_ino(b), NULL);
	TH_LOG("A holds %ld of 60000, B %ld -> %ld", a1, b0, b1);
	EXPECT_LT(a1, 40000);
	EXPECT_LE(labs(b1 - b0) * 10, b0);
	EXPECT_LE(cg_read_key(a, "memory.stat", "slab_reclaimable"), 4L << 20);
	rm_dir("max-a");
	rm_dir("max-b");
	EXPECT_EQ(0, cg_destroy(a));
	EXPECT_EQ(0, cg_destroy(b));
}

/* With many memcgs holding dentries, reclaim of one frees only its own. */
TEST_F_TIMEOUT(sb, many_memcgs, 300)
{
	const int n = 1000, per = 100;
	char name[64], dir[PATH_MAX];
	struct fill f = { .dir = dir, .negative = per };
	unsigned long inos[1001];
	long before[1001], after[1001], others0 = 0, others1 = 0;
	double start = now_sec();
	int i;

	ASSERT_EQ(0, cg_create("shrinker-many"));
	ASSERT_EQ(0, cg_enable_memory("shrinker-many"));
	for (i = 0; i <= n; i++) {
		/* memcg n stays empty: its line is what XFS adds to every line */
		snprintf(name, sizeof(name), "shrinker-many/m%d", i);
		snprintf(dir, sizeof(dir), "%s/many%d", xfs_dir(), i);
		ASSERT_EQ(0, cg_create(name));
		if (i < n)
			ASSERT_EQ(0, cg_run(name, fill_dir, &f));
		inos[i] = cg_ino(name);
	}
	ASSERT_EQ(0, shrinker_count_many(self->sbdir, inos, n + 1, before, NULL));
	cg_write("shrinker-many/m0", "memory.reclaim", "8M");
	ASSERT_EQ(0, shrinker_count_many(self->sbdir, inos, n + 1, after, NULL));
	for (i = 1; i < n; i++) {
		others0 += before[i] - before[n];
		others1 += after[i] - after[n];
	}
	TH_LOG("target %ld -> %ld, the other %d memcgs %ld -> %ld (%.0f s)",
	       before[0], after[0], n - 1, others0, others1, now_sec() - start);
	EXPECT_GE(before[0], per);
	EXPECT_LE((after[0] - after[n]) * 10, before[0] - before[n]);
	EXPECT_EQ(others0, others1);
	for (i = 0; i <= n; i++) {
		snprintf(name, sizeof(name), "shrinker-many/m%d", i);
		snprintf(dir, sizeof(dir), "many%d", i);
		rm_dir(dir);
		cg_destroy(name);
	}
	EXPECT_EQ(0, cg_destroy("shrinker-many"));
}

/*
 * Per-node counts of memcgs @cgs[0..n) minus those of the empty memcg
 * @cgs[n], read at once: the 6.12 superblock shrinker adds XFS's global
 * count of inodes awaiting reclaim to every memcg's line.
 */
static void sb_counts_net(const char *sbdir, const char * const *cgs, int n,
			  long (*net)[MAX_NODES])
{
	long tot[8], rows[8][MAX_NODES];
	unsigned long inos[8];
	int i, nid;

	for (i = 0; i <= n; i++)
		inos[i] = cg_ino(cgs[i]);
	shrinker_count_many(sbdir, inos, n + 1, tot, &rows[0][0]);
	for (i = 0; i < n; i++)
		for (nid = 0; nid < MAX_NODES; nid++)
			net[i][nid] = rows[i][nid] - rows[n][nid];
}

/* drop_caches empties every memcg's lists on every node, not just some. */
TEST_F(sb, drop_caches_per_node)
{
	static const char * const cgs[] = {
		"shrinker-dn-a", "shrinker-dn-b", "shrinker-dn-empty",
	};
	long before[2][MAX_NODES], after[2][MAX_NODES];
	char dirs[2][PATH_MAX];
	struct fill f[2];
	int i, nid, cells = 0;

	if (nr_nodes() < 2 || first_cpu_of(0) < 0 || first_cpu_of(1) < 0)
		SKIP(return, "needs nodes 0 and 1 with CPUs");
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, cg_create(cgs[i]));
	/* A fills from node 0, B from node 1 */
	for (i = 0; i < 2; i++) {
		snprintf(dirs[i], PATH_MAX, "%s/dropnode%d", xfs_dir(), i);
		f[i] = (struct fill){ .dir = dirs[i], .negative = 3000,
				      .files = 1000 };
		ASSERT_EQ(0, run_child(cgs[i], first_cpu_of(i), fill_dir,
				       &f[i]));
	}
	sb_counts_net(self->sbdir, cgs, 2, before);
	ASSERT_EQ(0, write_file("/proc/sys/vm/drop_caches", "2"));
	sb_counts_net(self->sbdir, cgs, 2, after);
	for (i = 0; i < 2; i++)
		for (nid = 0; nid < nr_nodes() && nid < MAX_NODES; nid++) {
			TH_LOG("memcg %c node %d: %ld -> %ld", 'A' + i, nid,
			       before[i][nid], after[i][nid]);
			if (before[i][nid] < 500)
				continue;
			cells++;
			EXPECT_LE(after[i][nid] * 10, before[i][nid]);
		}
	/* A's objects on node 0 and B's on node 1 at least */
	EXPECT_GE(cells, 2);
	rm_fill("dropnode0", 1000);
	rm_fill("dropnode1", 1000);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, cg_destroy(cgs[i]));
}

#define DIRTY_FILES	500

/* Write one page to each of the first DIRTY_FILES files of a fill dir. */
static int dirty_files(void *arg)
{
	const char *dir = arg;
	char p[PATH_MAX + 32], page[4096];
	int i, fd;

	memset(page, 'x', sizeof(page));
	for (i = 0; i < DIRTY_FILES; i++) {
		snprintf(p, sizeof(p), "%s/file-%d", dir, i);
		fd = open(p, O_WRONLY);
		if (fd < 0 || write(fd, page, sizeof(page)) != sizeof(page))
			return 1;
		close(fd);
	}
	return 0;
}

static long inodes_unused(void)
{
	char buf[128];
	long nr, unused;

	if (read_file("/proc/sys/fs/inode-nr", buf, sizeof(buf)) ||
	    sscanf(buf, "%ld %ld", &nr, &unused) != 2)
		return -1;
	return unused;
}

/*
 * Files' inodes are pinned by their dentries; pruning the dentries puts
 * the inodes on the inode LRU, still charged to the memcg, and a later
 * scan frees them. Inodes with page cache stay off the inode LRU
 * (mapping_shrinkable()) until page reclaim empties them.
 */
TEST_F(sb, inode_lru)
{
	const char *cg = "shrinker-ilru", *empty = "shrinker-ilru-0";
	const int files = 2000, clean = files - DIRTY_FILES;
	char dir[PATH_MAX];
	struct fill f = { .dir = dir, .files = files };
	long c0, c1, c2, u0, u1;

	snprintf(dir, sizeof(dir), "%s/ilru", xfs_dir());
	ASSERT_EQ(0, cg_create(cg));
	ASSERT_EQ(0, cg_create(empty));
	/*
	 * One CPU, so one node: the scan below visits node by node, and a
	 * node's dentries put inodes on other nodes' lists, which the later
	 * nodes' scans would then count and prune.
	 */
	ASSERT_EQ(0, run_child(cg, first_cpu_of(0), fill_dir, &f));
	ASSERT_EQ(0, run_child(cg, first_cpu_of(0), dirty_files, dir));
	sync();
	c0 = sb_count_net(_metadata, self->sbdir, cg, empty, NULL, NULL);
	u0 = inodes_unused();
	ASSERT_GE(c0, files);

	/* the dentries go first: no inode is on the LRU yet (all pinned) */
	sb_scan_memcg(_metadata, self->sbdir, cg, empty, false);
	c1 = sb_count_net(_metadata, self->sbdir, cg, empty, NULL, NULL);
	u1 = inodes_unused();
	TH_LOG("memcg objects %ld -> %ld, unused inodes %ld -> %ld",
	       c0, c1, u0, u1);
	EXPECT_GE(u1 - u0, clean * 9 / 10);
	EXPECT_LE(u1 - u0, clean + files / 20);
	EXPECT_GE(c1, clean * 9 / 10);

	c2 = sb_shrink_memcg(_metadata, self->sbdir, cg, empty, files / 10,
			     10, false);
	TH_LOG("after scanning the inodes: %ld objects, %ld unused inodes",
	       c2, inodes_unused());
	EXPECT_LT(c2, files / 10);
	rm_fill("ilru", files);
	EXPECT_EQ(0, cg_destroy(cg));
	EXPECT_EQ(0, cg_destroy(empty));
}

/* Malformed writes fail with EINVAL and change nothing. */
TEST_F(sb, bad_input)
{
	static const char * const scan_bad[] = {
		"garbage", "1 2", "0 -1 10", "0 4096 10", "0 0 x",
	};
	static const char * const reclaim_bad[] = {
		"lots", "-5", "10Q", "1 2",
	};
	char p[PATH_MAX + 8];
	const char *cg = "shrinker-bad";
	unsigned int i;

	snprintf(p, sizeof(p), "%s/scan", self->sbdir);
	for (i = 0; i < ARRAY_SIZE(scan_bad); i++) {
		const char *in = scan_bad[i];

		EXPECT_EQ(-EINVAL, write_file(p, in))
			TH_LOG("scan <- '%s'", in);
	}
	ASSERT_EQ(0, cg_create(cg));
	for (i = 0; i < ARRAY_SIZE(reclaim_bad); i++) {
		const char *in = reclaim_bad[i];

		EXPECT_EQ(-EINVAL, cg_write(cg, "memory.reclaim", in))
			TH_LOG("memory.reclaim <- '%s'", in);
	}
	EXPECT_EQ(0, cg_destroy(cg));
}

#define FAIL_ATTR	"/sys/kernel/debug/fail_list_lru_alloc"

/*
 * With every list allocation of this task failing: a lookup of a missing
 * name in @f->dir (whose own dentry exists) must fail with ENOMEM.
 */
static int lookup_failing(void *arg)
{
	struct fill *f = arg;
	char name[PATH_MAX + 16];
	struct stat st;

	if (write_file("/proc/self/make-it-fail", "1"))
		return 9;
	snprintf(name, sizeof(name), "%s/missing-0", f->dir);
	if (!stat(name, &st))
		return 1;
	return errno == ENOMEM ? 0 : 2;
}

static int fail_list_allocs(int on)
{
	static const char * const knobs[][2] = {
		{ "verbose", "0" }, { "task-filter", "Y" }, { "interval", "1" },
		{ "times", "-1" }, { "probability", "100" },
	};
	char p[PATH_MAX];
	unsigned int i;
	int err = 0;

	/* off in reverse order: failures stop before the task filter does */
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		unsigned int k = on ? i : ARRAY_SIZE(knobs) - 1 - i;

		snprintf(p, sizeof(p), FAIL_ATTR "/%s", knobs[k][0]);
		err = err ?: write_file(p, on ? knobs[k][1] : "0");
	}
	return err;
}

/*
 * A memcg whose lists cannot be allocated (fault injection fails every
 * block and table allocation of the task): its lookups fail with ENOMEM,
 * as in 6.12 and 7.2, and nothing of it is listed anywhere. Nothing is
 * remembered either: once allocations succeed, the same memcg's lookups
 * succeed and its dentries are on its own lists, not its parent's.
 */
TEST_F(sb, list_alloc_failure)
{
	const char *p = "shrinker-af", *c = "shrinker-af/child";
	const char *e = "shrinker-af-empty";
	char dir[PATH_MAX], pdir[PATH_MAX];
	struct fill f = { .dir = dir, .negative = 3000 };
	struct fill fd = { .dir = dir };
	struct fill fp = { .dir = pdir, .negative = 10 };
	long in_c, in_p, p_before, left;
	int i;

	/* the selftests' config asks for it: a kernel without it fails */
	ASSERT_EQ(0, access(FAIL_ATTR, F_OK))
		TH_LOG("no %s: list_lru without fault injection", FAIL_ATTR);
	snprintf(dir, sizeof(dir), "%s/allocfail", xfs_dir());
	snprintf(pdir, sizeof(pdir), "%s/allocfail-p", xfs_dir());
	ASSERT_EQ(0, cg_create(p));
	/* the parent gets its lists, and the child's directory, first */
	ASSERT_EQ(0, cg_run(p, fill_dir, &fp));
	ASSERT_EQ(0, cg_run(p, fill_dir, &fd));
	ASSERT_EQ(0, cg_enable_memory(p));
	ASSERT_EQ(0, cg_create(c));
	ASSERT_EQ(0, cg_create(e));
	p_before = sb_count_net(_metadata, self->sbdir, p, e, NULL, NULL);
	ASSERT_EQ(0, fail_list_allocs(1));
	EXPECT_EQ(0, cg_run(c, lookup_failing, &f));
	ASSERT_EQ(0, fail_list_allocs(0));
	in_c = sb_count_net(_metadata, self->sbdir, c, e, NULL, NULL);
	in_p = sb_count_net(_metadata, self->sbdir, p, e, NULL, NULL);
	TH_LOG("failing: child %ld, parent %ld (was %ld)", in_c, in_p,
	       p_before);
	EXPECT_EQ(0, in_c);
	EXPECT_LE(in_p, p_before);

	/* the next allocations succeed: the child's own lists */
	EXPECT_EQ(0, cg_run(c, fill_dir, &f));
	in_c = sb_count_net(_metadata, self->sbdir, c, e, NULL, NULL);
	in_p = sb_count_net(_metadata, self->sbdir, p, e, NULL, NULL);
	TH_LOG("after: child %ld, parent %ld", in_c, in_p);
	EXPECT_GE(in_c, f.negative);
	EXPECT_LT(in_p, p_before + f.negative / 10);

	/* offline, a grace period after rmdir, moves its objects up */
	ASSERT_EQ(0, cg_destroy(c));
	for (i = 0; i < 100; i++) {
		in_p = sb_count_net(_metadata, self->sbdir, p, e, NULL, NULL);
		if (in_p >= f.negative)
			break;
		usleep(100 * 1000);
	}
	TH_LOG("parent after rmdir: %ld", in_p);
	EXPECT_GE(in_p, f.negative);
	cg_write(p, "memory.reclaim", "64M");
	left = sb_shrink_memcg(_metadata, self->sbdir, p, e, in_p / 10, 10,
			       false);
	TH_LOG("parent after reclaim: %ld", left);
	EXPECT_LT(left, in_p / 10);
	EXPECT_EQ(0, cg_wait_dying(p, "16M", 30));
	rm_dir("allocfail");
	rm_dir("allocfail-p");
	EXPECT_EQ(0, cg_destroy(e));
	EXPECT_EQ(0, cg_destroy(p));
}

/* tracefs, mounted here if nobody has; NULL without it */
static const char *tracefs(void)
{
	static const char *dir = "/sys/kernel/tracing";
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/events/vmscan", dir);
	if (access(p, F_OK) && mount("nodev", dir, "tracefs", 0, NULL))
		return NULL;
	return access(p, F_OK) ? NULL : dir;
}

/* The whole of @path (the trace file hands it out a page per read). */
static int read_all(const char *path, char *buf, size_t len)
{
	size_t have = 0;
	ssize_t n = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (have < len - 1 &&
	       (n = read(fd, buf + have, len - 1 - have)) > 0)
		have += n;
	close(fd);
	buf[have] = '\0';
	if (n < 0)
		return -errno;
	return have < len - 1 ? 0 : -E2BIG;
}

/* Both shrink_slab events of the trace instance @inst on or off. */
static int trace_events(const char *inst, const char *on)
{
	static const char * const ev[] = { "mm_shrink_slab_start",
					   "mm_shrink_slab_end" };
	char p[PATH_MAX + 64];
	int i, ret = 0, r;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/events/vmscan/%s/enable", inst,
			 ev[i]);
		r = write_file(p, on);
		ret = ret ?: r;
	}
	return ret;
}

/*
 * memory.reclaim of a memcg calls the superblock shrinkers for that memcg:
 * mm_shrink_slab_start and mm_shrink_slab_end say which, as the memcg's
 * cgroup id (the inode number the debugfs count file prints). Traced in
 * an instance of its own (an empty buffer, removed after) for this task
 * only: every superblock shrinker call must name the memcg.
 */
TEST_F(sb, trace_memcg_id)
{
	const char *cg = "shrinker-trace", *tr = tracefs();
	char dir[PATH_MAX], inst[PATH_MAX], p[PATH_MAX + 32], want[64];
	struct fill f = { .dir = dir, .negative = 4000 };
	int start = 0, end = 0, other = 0, ret;
	char *buf, *line, *save, pid[16];
	size_t len = 4 << 20;

	if (!tr)
		SKIP(return, "no tracefs with vmscan events");
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, cg_create(cg));
	snprintf(dir, sizeof(dir), "%s/trace-fill", xfs_dir());
	ASSERT_EQ(0, cg_run(cg, fill_dir, &f));
	ASSERT_GE(shrinker_count(self->sbdir, cg_ino(cg), NULL), 2000);

	snprintf(inst, sizeof(inst), "%s/instances/shrinker-%d", tr, getpid());
	ASSERT_EQ(0, mkdir(inst, 0700));
	snprintf(p, sizeof(p), "%s/set_event_pid", inst);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ret = write_file(p, pid) ?: trace_events(inst, "1");
	if (!ret)
		cg_write(cg, "memory.reclaim", "64M");	/* -EAGAIN is fine */
	ret = trace_events(inst, "0") ?: ret;
	snprintf(p, sizeof(p), "%s/trace", inst);
	ret = ret ?: read_all(p, buf, len);
	EXPECT_EQ(0, rmdir(inst));
	ASSERT_EQ(0, ret);

	snprintf(want, sizeof(want), "memcg_id: %lu ", cg_ino(cg));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "super_cache_scan"))
			continue;
		if (!strstr(line, want))
			other++;
		else if (strstr(line, "mm_shrink_slab_start:"))
			start++;
		else if (strstr(line, "mm_shrink_slab_end:"))
			end++;
	}
	TH_LOG("superblock shrinker calls for %s: %d starts, %d ends, %d for others",
	       cg, start, end, other);
	EXPECT_GT(start, 0);
	EXPECT_EQ(start, end);
	EXPECT_EQ(0, other);

	free(buf);
	rm_dir("trace-fill");
	EXPECT_EQ(0, cg_destroy(cg));
}

TEST_HARNESS_MAIN
