// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel memory pressure listeners (vmpressure_listen()), watched
 * through /sys/kernel/debug/vmpressure_listeners (CONFIG_VMPRESSURE_DEBUG).
 *
 * Listeners on a memcg A, its sibling B and their parent P; pressure in A
 * (memory.high written far below the page cache A holds) must reach A's
 * and P's listeners and not B's. Bad writes to the file fail with a clear
 * error and change nothing. A local listener on P hears P's own reports,
 * not A's. A removed memcg's listeners are taken off at its offline, so a
 * listener keeps no zombie.
 *
 * The vmap-node pools (mm/vmalloc.c) listen locally on the root, from
 * medium up: thread churn fills them (kernel stacks are vmalloc'ed with
 * CONFIG_VMAP_STACK), a critical report for a memcg and a low one for the
 * root leave them, a medium one for the root empties them. Real
 * machine-wide pressure (an anonymous hog over a hot mapped file) must
 * empty them whenever the root heard medium; with lru_gen too. That case
 * also runs on 6.12 (the pools' shrinker count) and prints
 * "PRESSURE vmap_<row> <value>" for make bench.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define LISTENERS	"/sys/kernel/debug/vmpressure_listeners"
#define VMPRESSURE_LEVELS	3	/* low, medium, critical */
#define FILES		48
#define FILE_BYTES	(1024 * 1024)

static char data[FILE_BYTES];
static char dir[PATH_MAX];

static int write_files(void *arg)
{
	char name[PATH_MAX + 32];
	int i, fd, ret = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return 1;
	memset(data, 'v', sizeof(data));
	for (i = 0; i < FILES && !ret; i++) {
		snprintf(name, sizeof(name), "%s/f%d", dir, i);
		fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0)
			return 2;
		if (write(fd, data, sizeof(data)) != sizeof(data) || fsync(fd))
			ret = 3;
		close(fd);
	}
	return ret;
}

static int listeners_write(const char *s)
{
	return write_file(LISTENERS, s);
}

/*
 * The notifications, per level, of the listener on @ino whose level reads
 * @as (NULL: any) in @n[]; -1 if there is none.
 */
static int heard_levels(unsigned long ino, const char *as,
			long n[VMPRESSURE_LEVELS])
{
	char buf[4096], *line;
	unsigned long i;
	char lvl[32];

	if (read_file(LISTENERS, buf, sizeof(buf)))
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lu %31s %ld %ld %ld", &i, lvl, &n[0], &n[1],
			   &n[2]) == 5 && i == ino && (!as || !strcmp(lvl, as)))
			return 0;
	}
	return -1;
}

/* the same, all levels together */
static long heard_as(unsigned long ino, const char *as)
{
	long n[VMPRESSURE_LEVELS];

	return heard_levels(ino, as, n) ? -1 : n[0] + n[1] + n[2];
}

static long heard(unsigned long ino)
{
	return heard_as(ino, NULL);
}

/* reclaim for @cg reported @level, as far as in-kernel listeners know */
static int report(const char *cg, const char *level)
{
	char req[64];

	snprintf(req, sizeof(req), "!%lu %s", cg_ino(cg), level);
	return listeners_write(req);
}

static int listen_on(const char *cg, const char *level)
{
	char req[64];

	snprintf(req, sizeof(req), "%lu %s", cg_ino(cg), level);
	return listeners_write(req);
}

static int unlisten(const char *cg)
{
	char req[64];

	snprintf(req, sizeof(req), "-%lu", cg_ino(cg));
	return listeners_write(req);
}

TEST(memcg_and_ancestors_only)
{
	const char *p = "vp", *a = "vp/a", *b = "vp/b";
	double deadline;
	long ha, hb, hp, hl;
	int i;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller");
	/* a memcg kernel without the listeners (a base kernel) fails */
	ASSERT_EQ(0, access(LISTENERS, W_OK))
		TH_LOG("no %s: no in-kernel pressure listeners", LISTENERS);
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, cg_create(p));
	ASSERT_EQ(0, cg_enable_memory(p));
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, listen_on(a, "low"));
	ASSERT_EQ(0, listen_on(b, "low"));
	ASSERT_EQ(0, listen_on(p, "low"));
	ASSERT_EQ(0, listen_on(p, "low local"));
	EXPECT_EQ(0, heard(cg_ino(a)));

	snprintf(dir, sizeof(dir), "%s/vp-a", xfs_dir());
	ASSERT_EQ(0, cg_run(a, write_files, NULL));
	/* 48 MB of page cache against a limit of 8 MB */
	ASSERT_EQ(0, cg_write(a, "memory.high", "8M"));
	deadline = now_sec() + 10;
	while (heard(cg_ino(a)) <= 0 && now_sec() < deadline)
		usleep(100000);
	usleep(500000);
	ha = heard(cg_ino(a));
	hb = heard(cg_ino(b));
	hp = heard_as(cg_ino(p), "low");
	hl = heard_as(cg_ino(p), "low/local");
	TH_LOG("notifications: A %ld, sibling B %ld, parent %ld, parent's local listener %ld",
	       ha, hb, hp, hl);
	EXPECT_GT(ha, 0);
	EXPECT_EQ(0, hb);
	EXPECT_GT(hp, 0);
	EXPECT_EQ(0, hl);

	/* bad requests: a clear error, nothing added or removed */
	EXPECT_EQ(-EINVAL, listeners_write("nonsense"));
	EXPECT_EQ(-EINVAL, listen_on(a, "extreme"));
	EXPECT_EQ(-EINVAL, listeners_write("-x"));
	EXPECT_EQ(-ENOENT, listeners_write("-4000000000"));
	EXPECT_EQ(ha, heard(cg_ino(a)));

	EXPECT_EQ(0, unlisten(a));
	EXPECT_EQ(0, unlisten(b));
	EXPECT_EQ(0, unlisten(p));
	EXPECT_EQ(-1, heard(cg_ino(a)));
	EXPECT_EQ(-ENOENT, unlisten(a));

	for (i = 0; i < FILES; i++) {
		char f[PATH_MAX + 32];

		snprintf(f, sizeof(f), "%s/f%d", dir, i);
		unlink(f);
	}
	rmdir(dir);
	EXPECT_EQ(0, cg_destroy(a));
	EXPECT_EQ(0, cg_destroy(b));
	EXPECT_EQ(0, cg_destroy(p));
}

/* memcg @p, with the memory controller for its children, and its child @c */
static void parent_child(struct __test_metadata *_metadata, const char *p,
			 const char *c)
{
	/* a memcg kernel without the listeners (a base kernel) fails */
	ASSERT_EQ(0, access(LISTENERS, W_OK))
		TH_LOG("no %s: no in-kernel pressure listeners", LISTENERS);
	ASSERT_EQ(0, cg_create(p));
	ASSERT_EQ(0, cg_enable_memory(p));
	ASSERT_EQ(0, cg_create(c));
}

TEST(local_listener)
{
	const char *p = "vl", *a = "vl/a";
	char req[64];

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller");
	parent_child(_metadata, p, a);
	ASSERT_EQ(0, listen_on(p, "low"));
	ASSERT_EQ(0, listen_on(p, "low local"));
	EXPECT_EQ(0, heard_as(cg_ino(p), "low/local"));

	/* A's report walks up to P: only P's other listener hears it */
	ASSERT_EQ(0, report(a, "medium"));
	EXPECT_EQ(0, heard_as(cg_ino(p), "low/local"));
	EXPECT_EQ(1, heard_as(cg_ino(p), "low"));
	/* P's own report reaches both */
	ASSERT_EQ(0, report(p, "critical"));
	EXPECT_EQ(1, heard_as(cg_ino(p), "low/local"));
	EXPECT_EQ(2, heard_as(cg_ino(p), "low"));

	/* bad requests: EINVAL or ENOENT, nobody told */
	EXPECT_EQ(-EINVAL, listen_on(p, "low global"));
	EXPECT_EQ(-EINVAL, listeners_write("!x low"));
	EXPECT_EQ(-EINVAL, report(p, "high"));
	snprintf(req, sizeof(req), "!%lu low local", cg_ino(p));
	EXPECT_EQ(-EINVAL, listeners_write(req));
	EXPECT_EQ(-ENOENT, listeners_write("!4000000000 low"));
	EXPECT_EQ(1, heard_as(cg_ino(p), "low/local"));
	EXPECT_EQ(2, heard_as(cg_ino(p), "low"));

	EXPECT_EQ(0, unlisten(p));
	EXPECT_EQ(0, cg_destroy(a));
	EXPECT_EQ(0, cg_destroy(p));
}

/* whether the listener on @ino reads "offline": 1, 0, or -1 if none */
static int reads_offline(unsigned long ino)
{
	char buf[4096], *line, *end;

	if (read_file(LISTENERS, buf, sizeof(buf)))
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strtoul(line, &end, 10) != ino || *end != ' ')
			continue;
		end = strrchr(line, ' ');
		return end && !strcmp(end, " offline");
	}
	return -1;
}

/*
 * A listener holds a reference on its memcg; when the cgroup is removed,
 * the memcg's offline must take the listener off, or the memcg stays dying
 * for as long as the listener listens.
 */
TEST(listener_offline)
{
	const char *p = "vo", *c = "vo/c";
	unsigned long ino;
	char req[64];

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller");
	parent_child(_metadata, p, c);
	ino = cg_ino(c);
	ASSERT_NE(0, ino);
	ASSERT_EQ(0, listen_on(c, "low"));
	ASSERT_EQ(0, reads_offline(ino));
	ASSERT_EQ(0, cg_destroy(c));

	EXPECT_EQ(0, cg_wait_dying(p, NULL, 10))
		TH_LOG("the removed memcg stays dying: its listener pins it");
	EXPECT_EQ(1, reads_offline(ino));
	EXPECT_EQ(0, heard(ino));

	/* the owner's unlisten afterwards does nothing more, and works */
	snprintf(req, sizeof(req), "-%lu", ino);
	EXPECT_EQ(0, listeners_write(req));
	EXPECT_EQ(-1, reads_offline(ino));
	EXPECT_EQ(0, cg_destroy(p));
}

#define VMAP_POOLS	"/sys/kernel/debug/vmap_pools"
/*
 * A lazy purge runs once 32 MB per fls(CPUs) of vmap space waits: 16384
 * pages on two CPUs, 3277 kernel stacks of 16 KB and a guard page. With
 * 3600 threads alive at once and then gone, a purge puts their stacks'
 * areas in the pools, and nothing takes them out again.
 */
#define CHURN_THREADS	3600

/*
 * Areas in the vmap pools: our debugfs file (CONFIG_SHRINKER_DEBUG), or on
 * 6.12 the count of the pools' shrinker ("0 <count> <count>...", the same
 * total on every node). -1 when neither is there.
 */
static long vmap_pooled(void)
{
	char buf[512], dir[PATH_MAX], *p, *end;
	long sum = 0;

	if (!read_file(VMAP_POOLS, buf, sizeof(buf))) {
		/* the first line: one count per vmap node */
		for (p = buf; *p && *p != '\n'; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			sum += v;
		}
		return sum;
	}
	if (shrinker_dir("vmap-node", dir, sizeof(dir)))
		return -1;
	strcat(dir, "/count");
	if (read_file(dir, buf, sizeof(buf)))
		return -1;
	/* "0 <count> ..." */
	p = strchr(buf, ' ');
	return p ? strtol(p, NULL, 10) : 0;
}

/* how often pressure emptied the pools (ours only), -1 if unknown */
static long vmap_drains(void)
{
	char buf[512], *p;

	if (read_file(VMAP_POOLS, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "drains ");
	return p ? strtol(p + 7, NULL, 10) : -1;
}

/* a thread that lives until it reads its byte from the pipe @arg */
static void *churn_thread(void *arg)
{
	char c;

	return read(*(int *)arg, &c, 1) == 1 ? NULL : arg;
}

/*
 * @threads threads alive together, so that their kernel stacks are
 * vmalloc'ed and vfree'd rather than kept in the two-stack per-CPU cache.
 * 0 on success.
 */
static int thread_churn(int threads)
{
	pthread_t *t = calloc(threads, sizeof(*t));
	pthread_attr_t attr;
	int i, n, ret = 0;
	int fds[2];
	char *bytes;

	if (!t || pipe(fds)) {
		free(t);
		return -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (n = 0; n < threads; n++)
		if (pthread_create(&t[n], &attr, churn_thread, &fds[0]))
			break;
	bytes = calloc(n + 1, 1);
	if (!bytes || write(fds[1], bytes, n) != n)
		ret = -1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (n < threads)
		ret = -1;
	pthread_attr_destroy(&attr);
	close(fds[0]);
	close(fds[1]);
	free(bytes);
	free(t);
	return ret;
}

/* the pools once the purge work and the RCU-deferred stack frees settle */
static long vmap_pooled_settled(void)
{
	long prev = -1, cur = vmap_pooled();
	double deadline = now_sec() + 5;

	while (cur != prev && now_sec() < deadline) {
		usleep(200000);
		prev = cur;
		cur = vmap_pooled();
	}
	return cur;
}

/*
 * Churn until the pools hold at least @want areas (a lazy purge ran);
 * at most three rounds. The areas pooled, or -1 if the churn failed.
 */
static long fill_pools(long want)
{
	long pooled = vmap_pooled_settled();
	int round;

	for (round = 0; round < 3 && pooled < want; round++) {
		if (thread_churn(CHURN_THREADS))
			return -1;
		pooled = vmap_pooled_settled();
	}
	return pooled;
}

/* wait up to @secs for the pools to hold at most @most areas */
static long vmap_pooled_until(long most, double secs)
{
	double deadline = now_sec() + secs;
	long cur;

	while ((cur = vmap_pooled()) > most && now_sec() < deadline)
		usleep(100000);
	return cur;
}

FIXTURE(pools) {
	int unused;
};

FIXTURE_SETUP(pools)
{
}

FIXTURE_TEARDOWN(pools)
{
	cg_destroy("vv");
}

/* up to three rounds of churn, each settling for up to 5 s */
TEST_F_TIMEOUT(pools, vmap_pools, 120)
{
	long pooled, drains, memcg, low, medium;
	double deadline;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller");
	/* a memcg kernel without the listeners (a base kernel) fails */
	ASSERT_EQ(0, access(LISTENERS, W_OK))
		TH_LOG("no %s: no in-kernel pressure listeners", LISTENERS);
	ASSERT_LE(0, vmap_drains())
		TH_LOG("no %s: the vmap pools do not listen", VMAP_POOLS);
	pooled = fill_pools(1000);
	ASSERT_GE(pooled, 0);
	if (pooled < 1000)
		SKIP(return, "thread churn pooled %ld areas (no VMAP_STACK?)",
		     pooled);
	ASSERT_EQ(0, cg_create("vv"));
	drains = vmap_drains();

	/* a memcg's pressure is not the machine's: the pools stay */
	ASSERT_EQ(0, report("vv", "critical"));
	usleep(300000);
	memcg = vmap_drains();
	/* low is the machine's everyday state: they stay */
	ASSERT_EQ(0, report("", "low"));
	usleep(300000);
	low = vmap_drains();
	/*
	 * medium: emptied, by a work item of their own. Wait for the drain
	 * it counts before reading the pools: a lazy purge's partial decay
	 * shows a pool as empty while it has it detached (7.2).
	 */
	ASSERT_EQ(0, report("", "medium"));
	for (deadline = now_sec() + 5;
	     vmap_drains() == drains && now_sec() < deadline;)
		usleep(100000);
	medium = vmap_pooled();
	TH_LOG("vmap pools: %ld areas, %ld drains", pooled, drains);
	TH_LOG("drains after a memcg's critical %ld, the root's low %ld",
	       memcg, low);
	TH_LOG("after the root's medium: %ld areas, %ld drains", medium,
	       vmap_drains());
	EXPECT_EQ(drains, memcg);
	EXPECT_EQ(drains, low);
	EXPECT_EQ(0, medium);
	EXPECT_EQ(drains + 1, vmap_drains());
}

/* anonymous memory until the machine reclaims @push bytes past MemFree */
static int hog(void *arg)
{
	size_t push = *(size_t *)arg, len;
	long free_kb;
	char *m;

	/* a harness that times out kills the test's process, not ours */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	free_kb = meminfo_kb("MemFree:");
	if (free_kb < 0)
		return 1;
	len = (size_t)free_kb * 1024 + push;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 2;
	for (size_t off = 0; off < len; off += 4096)
		m[off] = 1;
	munmap(m, len);
	return 0;
}

/* one load the compiler keeps: the page must be referenced */
static inline char touch_byte(const char *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

struct touch {
	const char *file;
	int ready;	/* pipe: a byte once every page was touched */
};

/* keep the pages of a file mapped and referenced until killed */
static int toucher(void *arg)
{
	struct touch *t = arg;
	const char *m;
	size_t len, off;
	struct stat st;
	int fd, sum = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open(t->file, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return 1;
	len = st.st_size;
	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 2;
	for (off = 0; off < len; off += 4096)
		sum += touch_byte(&m[off]);
	if (write(t->ready, &sum, 1) != 1)
		return 3;
	for (;;)
		for (off = 0; off < len; off += 4096)
			sum += touch_byte(&m[off]);
	return 0;
}

#define CACHE_MB	448
#define HOG_PUSH_MB	192

static int write_cache_file(const char *file)
{
	int fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int i, ret = 0;

	if (fd < 0)
		return -1;
	memset(data, 'c', sizeof(data));
	for (i = 0; i < CACHE_MB && !ret; i++)
		if (write(fd, data, sizeof(data)) != sizeof(data))
			ret = -1;
	if (!ret && fsync(fd))
		ret = -1;
	close(fd);
	return ret;
}

#define LRU_GEN	"/sys/kernel/mm/lru_gen/enabled"

/* lru_gen on (1) or off (0); -1 when the kernel has no lru_gen */
static int set_lru_gen(int on)
{
	return write_file(LRU_GEN, on ? "y" : "n") ? -1 : 0;
}

/*
 * One hog over a hot mapped file with the pools filled (at least 1000
 * areas: -2 otherwise). Returns the areas left pooled, -1 on failure;
 * sets *@pooled, *@ms and, with the listeners' debugfs file, the root's
 * reports (all, and medium or critical) in *@heard_all and *@heard_mc.
 */
static long hog_round(const char *file, long *pooled, double *ms,
		      long *heard_mc, long *heard_all)
{
	size_t push = (size_t)HOG_PUSH_MB << 20;
	struct touch t = { .file = file };
	long n[VMPRESSURE_LEVELS];
	int fds[2], status, listening;
	char c;
	pid_t touch;
	double t0;

	*heard_mc = *heard_all = -1;
	*pooled = fill_pools(1000);
	if (*pooled < 1000)
		return *pooled < 0 ? -1 : -2;
	if (pipe(fds))
		return -1;
	t.ready = fds[1];
	touch = start_child(NULL, -1, toucher, &t);
	close(fds[1]);
	if (touch < 0 || read(fds[0], &c, 1) != 1) {
		close(fds[0]);
		if (touch > 0)
			kill(touch, SIGKILL);
		wait_child(touch);
		return -1;
	}
	close(fds[0]);
	/* no listener without memcg (the pools keep their shrinker then) */
	listening = !access(LISTENERS, W_OK) && !listeners_write("1 low local");
	t0 = now_sec();
	status = run_child(NULL, -1, hog, &push);
	*ms = (now_sec() - t0) * 1e3;
	kill(touch, SIGKILL);
	wait_child(touch);
	/* the vmpressure work and the drain work run after the hog */
	usleep(500000);
	if (listening) {
		/* the root cgroup's inode is 1 */
		if (heard_levels(1, "low/local", n))
			return -1;
		*heard_mc = n[1] + n[2];
		*heard_all = n[0] + n[1] + n[2];
		listeners_write("-1");
	}
	if (status)
		return -1;
	return vmap_pooled_until(0, *heard_mc > 0 ? 5 : 0);
}

FIXTURE(hog) {
	char file[PATH_MAX];
	char lru_gen[16];
	int ready;
};

FIXTURE_SETUP(hog)
{
	self->ready = 0;
	if (read_file(LRU_GEN, self->lru_gen, sizeof(self->lru_gen)))
		self->lru_gen[0] = '\0';
	if (vmap_pooled() < 0 || !have_xfs())
		return;
	snprintf(self->file, sizeof(self->file), "%s/vmap-cache", xfs_dir());
	if (write_cache_file(self->file)) {
		unlink(self->file);
		ASSERT_EQ(0, -1);
	}
	self->ready = 1;
}

FIXTURE_TEARDOWN(hog)
{
	if (self->lru_gen[0])
		write_file(LRU_GEN, self->lru_gen);
	if (!access(LISTENERS, W_OK))
		listeners_write("-1");
	if (self->ready)
		unlink(self->file);
}

/*
 * Real pressure, on any kernel: thread churn fills the pools, a process
 * keeps 448 MB of page cache on XFS mapped and referenced, and a hog
 * needs 192 MB more than is free. On ours the root's local listener must
 * hear it with lru_gen off and on, and medium must empty the pools.
 * Below the guest's 300 s a binary: the harness kills on its own timeout.
 */
TEST_F_TIMEOUT(hog, vmap_pools_kswapd, 200)
{
	long pooled, left, heard_mc, heard_all;
	double ms;
	int mglru;

	if (!self->ready)
		SKIP(return, "no %s and no vmap-node shrinker, or no XFS",
		     VMAP_POOLS);
	for (mglru = 0; mglru < 2; mglru++) {
		if (set_lru_gen(mglru) && mglru)
			break;
		left = hog_round(self->file, &pooled, &ms, &heard_mc,
				 &heard_all);
		if (left == -2)
			SKIP(return, "thread churn pooled %ld areas (no VMAP_STACK?)",
			     pooled);
		ASSERT_LE(0, left);
		TH_LOG("lru_gen %s: %ld areas pooled, %ld left after the hog (%.0f ms)",
		       mglru ? "on" : "off", pooled, left, ms);
		TH_LOG("the root heard %ld reports, %ld medium or critical",
		       heard_all, heard_mc);
		if (!mglru) {
			printf("PRESSURE vmap_pooled %ld\n", pooled);
			printf("PRESSURE vmap_left %ld\n", left);
			printf("PRESSURE vmap_hog_ms %.0f\n", ms);
		}
		/* the pools keep their shrinker without memcg: numbers only */
		if (heard_all < 0 && !cg_available())
			SKIP(return, "no memcg in this boot: no pressure listeners");
		/* a memcg kernel without the listeners (a base kernel) fails */
		ASSERT_LE(0, heard_all) TH_LOG("cannot listen through %s",
					       LISTENERS);
		/*
		 * The machine's pressure reaches the root's local listener
		 * (with lru_gen only since patch 0009: 6.12 reported it
		 * there at priority 3 alone), and medium empties the pools.
		 */
		EXPECT_GT(heard_all, 10);
		EXPECT_GT(heard_mc, 0);
		EXPECT_EQ(0, left);
	}
}

TEST_HARNESS_MAIN
