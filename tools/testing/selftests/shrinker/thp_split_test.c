// SPDX-License-Identifier: GPL-2.0
/*
 * THP's deferred split queue on list_lru: one list per node and memcg.
 *
 * Memcg a faults 8 THPs on node 1 and unmaps one page of 4 of them (now
 * partially mapped, their split is deferred); its sibling b faults 4 on
 * node 0 and keeps them whole. With shrink_underused on (the default) a
 * new THP is queued at fault as well, so the split shrinker's count file
 * shows a: 8 on node 1 and nothing elsewhere, b: 4 on node 0.
 *
 * Scanning a on node 0 does nothing; scanning a on node 1 splits exactly
 * the 4 partially mapped folios (the PMD-size "split" stat), dequeues the whole ones
 * (not mostly zero: khugepaged's max_ptes_none is 511) and leaves b alone.
 *
 * Then memcg c queues 4 partially mapped THPs on node 1, its task moves to
 * b and c is removed: c's queue moves to the parent, where a scan of the
 * parent on node 1 splits them. (6.12 leaves them on the dead memcg's
 * queue, which its count file no longer shows.)
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/syscall.h>
#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define THP_SIZE	(2UL << 20)
#define PAGE		4096UL
#define TOP		"thp_split_test"
#define MPOL_BIND_	2
#define THP_SYS		"/sys/kernel/mm/transparent_hugepage/"

static long read_long(const char *path)
{
	char buf[64];

	return read_file(path, buf, sizeof(buf)) ? -1 : atol(buf);
}

/* A PMD-size THP counter (CONFIG_VM_EVENT_COUNTERS is not needed) */
static long thp_stat(const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), THP_SYS "hugepages-2048kB/stats/%s", name);
	return read_long(p);
}

/* What a faulting child does; it reports to, then waits on, its pipes. */
struct thp_child {
	int nid;	/* node its memory is bound to */
	int nr;		/* THPs to fault */
	int partial;	/* of which this many lose a page */
	int ready[2];	/* child -> parent: one byte, 0 or an error */
	int go[2];	/* parent -> child: exit */
};

static int fault_thps(void *arg)
{
	struct thp_child *c = arg;
	unsigned long mask = 1UL << c->nid;
	char ok = 0, *map, *p;
	int i;

	close(c->ready[0]);
	close(c->go[1]);
	if (syscall(SYS_set_mempolicy, MPOL_BIND_, &mask, 64))
		ok = 1;
	map = mmap(NULL, (c->nr + 1) * THP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ok && map == MAP_FAILED)
		ok = 2;
	if (!ok) {
		p = (char *)(((unsigned long)map + THP_SIZE - 1) &
			     ~(THP_SIZE - 1));
		if (madvise(p, c->nr * THP_SIZE, MADV_HUGEPAGE))
			ok = 3;
		for (i = 0; !ok && i < c->nr; i++)
			p[i * THP_SIZE] = 1;
		/* the last page of the first few: partially mapped */
		for (i = 0; !ok && i < c->partial; i++)
			if (madvise(p + (i + 1) * THP_SIZE - PAGE, PAGE,
				    MADV_DONTNEED))
				ok = 4;
	}
	if (write(c->ready[1], &ok, 1) != 1)
		return 1;
	/* keep the memory until told to go */
	if (read(c->go[0], &ok, 1) < 0)
		return 1;
	return 0;
}

/*
 * Free and defragment memory before asking for THPs, so that a guest whose
 * free memory earlier cases left fragmented still has 2 MB blocks to fault
 * (a fault that gets none falls back to small pages, and the case would
 * skip: configs/skips lets no boot skip it for that). Page cache only:
 * dropping slab runs every shrinker, the split queue's among them, which
 * would split and dequeue what an earlier faulter queued.
 */
static void thp_make_room(void)
{
	write_file("/proc/sys/vm/drop_caches", "1");
	write_file("/proc/sys/vm/compact_memory", "1");
}

static pid_t start_faulter(const char *cg, struct thp_child *c, int nid,
			   int nr, int partial, char *err)
{
	pid_t pid;

	thp_make_room();

	c->nid = nid;
	c->nr = nr;
	c->partial = partial;
	if (pipe(c->ready) || pipe(c->go))
		return -1;
	pid = start_child(cg, -1, fault_thps, c);
	close(c->ready[1]);
	close(c->go[0]);
	*err = 5;
	if (pid > 0 && read(c->ready[0], err, 1) != 1)
		*err = 6;
	return pid;
}

static void stop_faulter(struct thp_child *c, pid_t pid)
{
	char go = 0;

	/* a byte, not EOF: later children hold copies of this pipe's end */
	if (write(c->go[1], &go, 1) != 1)
		kill(pid, SIGKILL);
	close(c->go[1]);
	close(c->ready[0]);
	wait_child(pid);
}

/* The split shrinker's count of memcg @cg on every node, from one read */
static long thp_queued(const char *dir, const char *cg, long *per_node)
{
	return shrinker_count(dir, cg_ino(cg), per_node);
}

/* knobs the test sets, and what they were */
static const char *const knobs[] = {
	THP_SYS "enabled",
	THP_SYS "shrink_underused",
	THP_SYS "khugepaged/max_ptes_none",
};

FIXTURE(thp) {
	char dir[PATH_MAX];
	char was[3][64];
};

FIXTURE_SETUP(thp)
{
	char buf[256];
	int i;

	if (read_file(THP_SYS "enabled", buf, sizeof(buf)))
		SKIP(return, "no transparent hugepages");
	for (i = 0; i < 3; i++) {
		self->was[i][0] = '\0';
		read_file(knobs[i], self->was[i], sizeof(self->was[i]));
	}
	/* "always [madvise] never": the bracketed word */
	if (strchr(self->was[0], '[')) {
		memmove(self->was[0], strchr(self->was[0], '[') + 1,
			strlen(strchr(self->was[0], '[')));
		*strchrnul(self->was[0], ']') = '\0';
	}
	if (strstr(buf, "[never]"))
		write_file(THP_SYS "enabled", "madvise");
	if (nr_nodes() < 2)
		SKIP(return, "needs two NUMA nodes");
	if (!cg_available())
		SKIP(return, "needs memcg with kmem accounting");
	if (shrinker_dir("thp-deferred_split", self->dir, sizeof(self->dir)))
		SKIP(return, "no thp-deferred_split in shrinker debugfs");
	/*
	 * New THPs queued at fault (shrink_underused), and none of them
	 * "underused" (max_ptes_none 511): a scan splits exactly the
	 * partially mapped ones.
	 */
	write_file(knobs[1], "1");
	write_file(knobs[2], "511");
	ASSERT_EQ(cg_create(TOP), 0);
	ASSERT_EQ(cg_enable_memory(TOP), 0);
	ASSERT_EQ(cg_create(TOP "/a"), 0);
	ASSERT_EQ(cg_create(TOP "/b"), 0);
	ASSERT_EQ(cg_create(TOP "/c"), 0);
}

FIXTURE_TEARDOWN(thp)
{
	int i;

	for (i = 0; i < 3; i++)
		if (self->was[i][0])
			write_file(knobs[i], self->was[i]);
	cg_destroy(TOP "/a");
	cg_destroy(TOP "/b");
	cg_destroy(TOP "/c");
	cg_destroy(TOP);
}

TEST_F_TIMEOUT(thp, per_node_per_memcg, 120)
{
	long a[MAX_NODES], b[MAX_NODES], top[MAX_NODES];
	struct thp_child ca, cb, cc;
	pid_t pa, pb, pc;
	long splits, faults, partial;
	double deadline;
	char err, pid[16];
	int nid;

	faults = thp_stat("anon_fault_alloc");
	partial = thp_stat("nr_anon_partially_mapped");
	pa = start_faulter(TOP "/a", &ca, 1, 8, 4, &err);
	ASSERT_GT(pa, 0);
	ASSERT_EQ(err, 0);
	pb = start_faulter(TOP "/b", &cb, 0, 4, 0, &err);
	ASSERT_GT(pb, 0);
	ASSERT_EQ(err, 0);
	if (thp_stat("anon_fault_alloc") - faults < 12) {
		stop_faulter(&ca, pa);
		stop_faulter(&cb, pb);
		SKIP(return, "no THPs to be had");
	}

	/* a: 8 queued on node 1 only; b: 4 on node 0 only */
	EXPECT_EQ(thp_queued(self->dir, TOP "/a", a), 8);
	EXPECT_EQ(a[1], 8);
	EXPECT_EQ(thp_queued(self->dir, TOP "/b", b), 4);
	EXPECT_EQ(b[0], 4);
	for (nid = 0; nid < nr_nodes() && nid < MAX_NODES; nid++)
		TH_LOG("queued on node %d: a %ld, b %ld", nid, a[nid], b[nid]);

	/* a on node 0: nothing of a's is there */
	splits = thp_stat("split");
	ASSERT_EQ(shrinker_scan(self->dir, cg_ino(TOP "/a"), 0, 128), 0);
	EXPECT_EQ(thp_queued(self->dir, TOP "/a", a), 8);
	EXPECT_EQ(thp_stat("split"), splits);

	/* a on node 1: the 4 partially mapped split, the rest dequeued */
	EXPECT_EQ(thp_stat("nr_anon_partially_mapped") - partial, 4);
	ASSERT_EQ(shrinker_scan(self->dir, cg_ino(TOP "/a"), 1, 128), 0);
	EXPECT_EQ(thp_stat("split") - splits, 4);
	EXPECT_EQ(thp_queued(self->dir, TOP "/a", a), 0);
	/* split folios are no longer counted as partially mapped */
	EXPECT_EQ(thp_stat("nr_anon_partially_mapped"), partial);
	/* b untouched */
	EXPECT_EQ(thp_queued(self->dir, TOP "/b", b), 4);
	EXPECT_EQ(b[0], 4);

	/* c's queue outlives c, in its parent */
	faults = thp_stat("anon_fault_alloc");
	pc = start_faulter(TOP "/c", &cc, 1, 4, 4, &err);
	ASSERT_GT(pc, 0);
	ASSERT_EQ(err, 0);
	if (thp_stat("anon_fault_alloc") - faults < 4) {
		stop_faulter(&ca, pa);
		stop_faulter(&cb, pb);
		stop_faulter(&cc, pc);
		SKIP(return, "no THPs to be had");
	}
	EXPECT_EQ(thp_queued(self->dir, TOP "/c", NULL), 4);
	snprintf(pid, sizeof(pid), "%d", pc);
	ASSERT_EQ(cg_write(TOP "/b", "cgroup.procs", pid), 0);
	ASSERT_EQ(cg_destroy(TOP "/c"), 0);
	/* offlining runs from a work item after the rmdir */
	deadline = now_sec() + 10;
	while (thp_queued(self->dir, TOP, top) < 4 && now_sec() < deadline)
		usleep(50000);
	EXPECT_EQ(thp_queued(self->dir, TOP, top), 4);
	EXPECT_EQ(top[1], 4);
	splits = thp_stat("split");
	ASSERT_EQ(shrinker_scan(self->dir, cg_ino(TOP), 1, 128), 0);
	EXPECT_EQ(thp_stat("split") - splits, 4);
	EXPECT_EQ(thp_queued(self->dir, TOP, NULL), 0);
	EXPECT_EQ(thp_stat("nr_anon_partially_mapped"), partial);

	stop_faulter(&ca, pa);
	stop_faulter(&cb, pb);
	stop_faulter(&cc, pc);
}

TEST_HARNESS_MAIN
