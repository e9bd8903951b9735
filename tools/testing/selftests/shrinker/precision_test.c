// SPDX-License-Identifier: GPL-2.0
/*
 * Memcg reclaim frees what it is asked for, slab included.
 *
 * A target memcg holds dentries and XFS inodes (and, for the mixed cases,
 * the clean page cache of its files); a sibling holds the same kind of
 * objects. memory.reclaim asks the target for 25%, 50% and 75% of what it
 * holds; a memory.high write puts it a third over its limit. Each time the
 * drop of memory.current, once RCU frees and XFS's background inode reclaim
 * have settled, must be 0.8 to 1.25 times the ask (0.8 to 2 times the
 * excess for memory.high), memory.reclaim must succeed, and the sibling
 * must lose nothing.
 *
 * Before memcg reclaim counted the slab it frees, every ask emptied the
 * target: 6.12 frees 199% of a half ask.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define FILES		8000
#define NEGATIVE	8000
#define DATA_BYTES	8192	/* per file in the mixed cases */

/* Sibling losses up to this are noise (per-CPU charge stocks). */
#define SIBLING_SLACK	(512L << 10)

static const char *T = "prec/t", *S = "prec/s", *D = "prec/d";

/* Charge a dentry to D from this CPU: that flushes another memcg's stocks */
static int charge_one(void *arg)
{
	char name[PATH_MAX];
	struct stat st;

	snprintf(name, sizeof(name), "%s/prec-d-%d-%d", xfs_dir(),
		 sched_getcpu(), getpid());
	return !stat(name, &st) || errno != ENOENT;
}

/*
 * Per-CPU charge stocks hold up to 64 pages of a memcg that memory.current
 * still counts (or no longer counts); a charge of another memcg on the same
 * CPU flushes them.
 */
static void flush_stocks(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu;

	for (cpu = 0; cpu < cpus; cpu++)
		run_child(D, cpu, charge_one, NULL);
}

/*
 * memory.current once it stops moving: two reads 300 ms apart within
 * 0.5%, no earlier than @min_secs (after a reclaim: 6 s, past the 5 s
 * period of XFS's worker that frees the inodes the VFS evicted), at most
 * 15 s.
 */
static long settled_current(const char *cg, double min_secs)
{
	double start = now_sec();
	long prev, cur;

	flush_stocks();
	prev = cg_current(cg);
	for (;;) {
		usleep(300000);
		flush_stocks();
		cur = cg_current(cg);
		if (cur < 0)
			return -1;
		if (now_sec() - start >= min_secs &&
		    labs(cur - prev) * 200 <= prev)
			return cur;
		if (now_sec() - start > 15)
			return cur;
		prev = cur;
	}
}

/* Files of @bytes each (clean: syncfs()), plus negative dentries. */
struct pfill {
	const char *dir;
	int bytes;
};

static int fill_files(void *arg)
{
	struct pfill *pf = arg;
	struct fill f = { .dir = pf->dir, .negative = NEGATIVE };
	static char data[DATA_BYTES];
	int i, fd, dfd, ret;
	struct stat st;
	char name[32];

	ret = fill_dir(&f);
	if (ret)
		return ret;
	dfd = open(pf->dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 1;
	memset(data, 'p', sizeof(data));
	for (i = 0; i < FILES && !ret; i++) {
		snprintf(name, sizeof(name), "file-%d", i);
		fd = openat(dfd, name, O_CREAT | O_RDWR, 0644);
		if (fd < 0 || fstat(fd, &st)) {
			ret = 3;
		} else if (pf->bytes) {
			/* written once; later fills read it back */
			if (st.st_size < pf->bytes)
				ret = pwrite(fd, data, pf->bytes, 0) !=
				      pf->bytes ? 4 : 0;
			else
				ret = pread(fd, data, pf->bytes, 0) !=
				      pf->bytes ? 5 : 0;
		}
		if (fd >= 0)
			close(fd);
	}
	if (!ret && syncfs(dfd))
		ret = 6;
	close(dfd);
	return ret;
}

struct setup {
	char tdir[PATH_MAX], sdir[PATH_MAX];
	long held, sib;
};

/* (Re)fill target and sibling; the settled memory.current of each. */
static int setup(struct setup *st, int bytes)
{
	struct pfill ft = { .dir = st->tdir, .bytes = bytes };
	struct pfill fs = { .dir = st->sdir, .bytes = bytes };

	snprintf(st->tdir, sizeof(st->tdir), "%s/prec-t%d", xfs_dir(), bytes);
	snprintf(st->sdir, sizeof(st->sdir), "%s/prec-s%d", xfs_dir(), bytes);
	if (cg_create("prec") || cg_enable_memory("prec") || cg_create(T) ||
	    cg_create(S) || cg_create(D))
		return -1;
	if (cg_write(T, "memory.high", "max") || cg_run(T, fill_files, &ft) ||
	    cg_run(S, fill_files, &fs))
		return -1;
	st->held = settled_current(T, 1);
	st->sib = settled_current(S, 0);
	return st->held > 0 && st->sib > 0 ? 0 : -1;
}

static void reclaim_case(struct __test_metadata *_metadata, int pct,
			 int bytes)
{
	struct setup st;
	long ask, now, sib, drop;
	char val[32];
	int ret;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, setup(&st, bytes));

	ask = st.held / 100 * pct;
	snprintf(val, sizeof(val), "%ld", ask);
	ret = cg_write(T, "memory.reclaim", val);
	now = settled_current(T, 6);
	sib = settled_current(S, 0);
	drop = st.held - now;
	TH_LOG("held %ld, ask %ld (%d%%), freed %ld (%ld%%), sibling %ld -> %ld, rc %d",
	       st.held, ask, pct, drop, drop * 100 / ask, st.sib, sib, ret);
	printf("PRECISION reclaim%s%d_pct %ld\n", bytes ? "_mixed" : "_slab",
	       pct, drop * 100 / ask);
	EXPECT_EQ(0, ret);
	EXPECT_GE(drop * 10, ask * 8);
	EXPECT_LE(drop * 100, ask * 125);
	EXPECT_LE(st.sib - sib, SIBLING_SLACK);
}

/*
 * A case settles memory.current up to four times, 15 s at most each: past
 * the harness's 30 s default when the first mixed fill writes its files.
 */
FIXTURE(prec) {
	int unused;
};

FIXTURE_SETUP(prec)
{
}

FIXTURE_TEARDOWN(prec)
{
}

#define PREC_TIMEOUT	90

TEST_F_TIMEOUT(prec, slab_25, PREC_TIMEOUT) { reclaim_case(_metadata, 25, 0); }
TEST_F_TIMEOUT(prec, slab_50, PREC_TIMEOUT) { reclaim_case(_metadata, 50, 0); }
TEST_F_TIMEOUT(prec, slab_75, PREC_TIMEOUT) { reclaim_case(_metadata, 75, 0); }
/* memory.high written a third below what the memcg holds */
TEST_F_TIMEOUT(prec, high_slab, PREC_TIMEOUT)
{
	struct setup st;
	long excess, now, sib, back;
	char val[32];

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, setup(&st, 0));

	excess = st.held / 3;
	snprintf(val, sizeof(val), "%ld", st.held - excess);
	ASSERT_EQ(0, cg_write(T, "memory.high", val));
	now = settled_current(T, 6);
	sib = settled_current(S, 0);
	back = st.held - now;
	TH_LOG("held %ld, high %ld over by %ld, gave back %ld (%ld%%), sibling %ld -> %ld",
	       st.held, st.held - excess, excess, back, back * 100 / excess,
	       st.sib, sib);
	printf("PRECISION high_slab_pct %ld\n", back * 100 / excess);
	EXPECT_EQ(0, cg_write(T, "memory.high", "max"));
	EXPECT_GE(back * 10, excess * 8);
	/*
	 * Mostly 96-100%, but 156% and 183% in 2 of 6 runs of 2026-12-07 (on
	 * 6.12 and 7.2): inodes the VFS evicted that XFS's worker frees later,
	 * credited to no reclaim, land in the settle window. Unpatched 7.2
	 * gives back about 300%.
	 */
	EXPECT_LE(back * 10, excess * 20);
	EXPECT_LE(st.sib - sib, SIBLING_SLACK);
}

TEST_F_TIMEOUT(prec, mixed_25, PREC_TIMEOUT)
{
	reclaim_case(_metadata, 25, DATA_BYTES);
}

TEST_F_TIMEOUT(prec, mixed_50, PREC_TIMEOUT)
{
	reclaim_case(_metadata, 50, DATA_BYTES);
}

TEST_F_TIMEOUT(prec, mixed_75, PREC_TIMEOUT)
{
	reclaim_case(_metadata, 75, DATA_BYTES);
}

static pid_t prec_main;

static void __attribute__((constructor)) prec_start(void)
{
	prec_main = getpid();
}

/*
 * Leaves the tree as it found it, once the harness's own process exits
 * after its last case (cases and their helpers leave with _exit()).
 */
static void __attribute__((destructor)) prec_cleanup(void)
{
	struct fill f = { .negative = NEGATIVE, .files = FILES };
	char dir[PATH_MAX];
	int i;

	if (getpid() != prec_main)
		return;

	for (i = 0; i < 4; i++) {
		snprintf(dir, sizeof(dir), "%s/prec-%c%d", xfs_dir(),
			 i & 1 ? 's' : 't', i & 2 ? DATA_BYTES : 0);
		f.dir = dir;
		if (!access(dir, F_OK) && unfill_dir(&f))
			fprintf(stderr, "# precision_test: cannot empty %s\n",
				dir);
	}
	cg_destroy(T);
	cg_destroy(S);
	cg_destroy(D);
	cg_destroy("prec");
}

TEST_HARNESS_MAIN
