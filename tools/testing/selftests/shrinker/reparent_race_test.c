// SPDX-License-Identifier: GPL-2.0
/*
 * Memcg offline against deletes through the VFS: a memcg is removed, and
 * its list_lru lists reparented, while tasks on both CPUs unlink files and
 * remove directories whose dentries and inodes are charged to it, on node
 * 0 and node 1.
 *
 * The kernel side (list corruption, lockdep) is checked by the harness,
 * which scans the console for splats; here every cycle must succeed and
 * leave no dying memcg behind.
 */
#define _GNU_SOURCE

#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define FILES		320	/* per racer, and as many missing names */
#define SUBDIRS		16	/* removed one by one, 25 ms apart */
/* test kernels: reparenting sleeps this long after each node */
#define DELAY_PARAM	"/sys/module/lru_park/parameters/reparent_delay_us"
#define DELAY_US	"20000"
#define BUDGET		20	/* seconds of cycles, at least MIN_CYCLES */
#define MIN_CYCLES	3

/*
 * C is the memcg that dies; the racers move to its sibling S to delete (a
 * memcg with children can hold no task), so what they delete is still
 * charged to C and goes to P when C goes offline.
 */
static const char *race_p = "shrinker-race", *race_c = "shrinker-race/c";
static const char *race_s = "shrinker-race/s";
/* holds nothing: its count is XFS's global term, subtracted from P's */
static const char *race_e = "shrinker-race/e";

struct racer {
	struct fill fill[SUBDIRS];
	int *ready;	/* pipe: closed by the racer once it is filled */
	int *go;	/* pipe: closed by the test when C is about to go */
};

/*
 * In C: fill directories, move to S (so that C can be removed), then at
 * the go signal delete everything, still charged to C: unlink the files
 * and remove the directories (shrink_dcache_parent() takes their negative
 * dentries off the LRU), one directory every 25 ms, so that the
 * deletes span C's offline.
 */
static int racer(void *arg)
{
	struct racer *r = arg;
	int ret = 0, i;
	char c;

	close(r->ready[0]);
	close(r->go[1]);
	for (i = 0; i < SUBDIRS && !ret; i++)
		ret = fill_dir(&r->fill[i]);
	if (ret)
		return ret;
	if (cg_write(race_s, "cgroup.procs", "0"))
		return 9;
	close(r->ready[1]);
	if (read(r->go[0], &c, 1) != 0)
		return 10;
	for (i = 0; i < SUBDIRS && !ret; i++) {
		ret = unfill_dir(&r->fill[i]);
		usleep(25000);
	}
	return ret ? 10 + ret : 0;
}

FIXTURE(race) {
	int cpu[2];
	char sbdir[PATH_MAX];
};

FIXTURE_SETUP(race)
{
	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 CPUs");
	ASSERT_EQ(0, sb_shrinker_dir("xfs", self->sbdir, sizeof(self->sbdir)));
	/* a CPU of node 0 and one of node 1, or CPUs 0 and 1 */
	self->cpu[0] = first_cpu_of(0);
	self->cpu[1] = first_cpu_of(1);
	if (self->cpu[0] < 0 || self->cpu[1] < 0) {
		self->cpu[0] = 0;
		self->cpu[1] = 1;
	}
	/*
	 * Widen the window: a memcg then stays half-reparented for 20 ms
	 * per node while the racers delete. Kernels without the knob run
	 * the race as it comes.
	 */
	if (write_file(DELAY_PARAM, DELAY_US) == 0)
		TH_LOG("reparenting sleeps %s us after each node", DELAY_US);
}

FIXTURE_TEARDOWN(race)
{
	write_file(DELAY_PARAM, "0");
}

TEST_F_TIMEOUT(race, rmdir_memcg_while_deleting, 120)
{
	double start = now_sec(), t;
	static char dirs[2][SUBDIRS][PATH_MAX];
	int ready[2], go[2], i, j, ret, cycles, status[2];
	struct racer r[2];
	long slab, dying, left;
	pid_t pid[2];
	char c;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < SUBDIRS; j++) {
			snprintf(dirs[i][j], PATH_MAX, "%s/race%d-%d",
				 xfs_dir(), i, j);
			r[i].fill[j] = (struct fill){
				.dir = dirs[i][j],
				.negative = FILES / SUBDIRS,
				.files = FILES / SUBDIRS,
			};
		}
		r[i].ready = ready;
		r[i].go = go;
	}
	for (cycles = 0; cycles < MIN_CYCLES || now_sec() < start + BUDGET;
	     cycles++) {
		ASSERT_EQ(0, cg_create(race_p));
		ASSERT_EQ(0, cg_enable_memory(race_p));
		ASSERT_EQ(0, cg_create(race_c));
		ASSERT_EQ(0, cg_create(race_s));
		ASSERT_EQ(0, cg_create(race_e));
		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(go));
		for (i = 0; i < 2; i++)
			pid[i] = start_child(race_c, self->cpu[i], racer,
					     &r[i]);
		/* EOF: both racers are filled and out of C (or failed) */
		close(ready[1]);
		while (read(ready[0], &c, 1) > 0)
			;
		close(ready[0]);
		close(go[1]);
		/* vary the head start of the deletes */
		usleep((cycles % 4) * 5000);
		ret = cg_destroy(race_c);
		for (i = 0; i < 2; i++)
			status[i] = wait_child(pid[i]);
		close(go[0]);
		ASSERT_EQ(0, status[0] | status[1])
			TH_LOG("racer status %d (CPU %d), %d (CPU %d)",
			       status[0], self->cpu[0], status[1],
			       self->cpu[1]);
		ASSERT_EQ(0, ret) TH_LOG("rmdir of C: %d", ret);
		ASSERT_EQ(0, cg_destroy(race_s));

		slab = settled_slab(race_p, 100000);
		ASSERT_LT(0, slab);
		/* P's lists hold what C left: its negative dentries at least */
		left = sb_count_net(_metadata, self->sbdir, race_p, race_e,
				    NULL, NULL);
		ASSERT_LT(0, left) TH_LOG("P inherited none of C's objects");
		ret = cg_write(race_p, "memory.reclaim", "1G");
		ASSERT_TRUE(ret == 0 || ret == -EAGAIN)
			TH_LOG("memory.reclaim: %d", ret);
		t = now_sec();
		dying = cg_wait_dying(race_p, "1G", 10);
		t = now_sec() - t;
		/* reclaim freed what P inherited */
		left = sb_count_net(_metadata, self->sbdir, race_p, race_e,
				    NULL, NULL);
		TH_LOG("cycle %d: %d files, %d negative, slab %ld -> %ld KiB",
		       cycles + 1, 2 * FILES, 2 * FILES, slab >> 10,
		       cg_slab(race_p) >> 10);
		TH_LOG("  %ld dying after %.2f s, %ld objects left", dying, t,
		       left);
		ASSERT_EQ(0, dying);
		ASSERT_EQ(0, left);
		ASSERT_EQ(0, cg_destroy(race_e));
		ASSERT_EQ(0, cg_destroy(race_p));
	}
	TH_LOG("%d cycles in %.1f s", cycles, now_sec() - start);
}

TEST_HARNESS_MAIN
