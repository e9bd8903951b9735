// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker_reclaim DIR K...: memcg-targeted reclaim for `make bench`.
 *
 * Under a parent memcg "rb": a target T, a sibling S and an empty memcg E
 * (its superblock count is XFS's global term, subtracted from the others),
 * plus "other" memcgs that hold a few dentries each. For each K, in
 * increasing order, the others are brought up to K, T is refilled, and one
 * write of T's reclaimable slab size to T's memory.reclaim is timed.
 * Then T, refilled, is asked for half of its slab and S's loss is counted
 * (how much T freed is precision_test's measure).
 *
 * Prints "BENCH reclaim_others<K>_ns <ns>" and "BENCH reclaim_sibling_loss
 * <objects>".
 */
#include "shrinker_util.h"

#define TARGET_NEG	5000
#define OTHER_NEG	50

static char sbdir[PATH_MAX];

static int fill(const char *cg, const char *dir, int negative)
{
	struct fill f = { .dir = dir, .negative = negative };

	return cg_run(cg, fill_dir, &f);
}

/* @cg's objects on the superblock lists, net of XFS's global term */
static long net_count(const char *cg)
{
	unsigned long inos[2] = { cg_ino(cg), cg_ino("rb/e") };
	long n[2];

	if (shrinker_count_many(sbdir, inos, 2, n, NULL))
		return -1;
	return n[0] - n[1];
}

static int timed_reclaim(const char *cg, long bytes, double *secs)
{
	char val[32];
	double t0;
	int ret;

	snprintf(val, sizeof(val), "%ld", bytes);
	t0 = now_sec();
	ret = cg_write(cg, "memory.reclaim", val);
	*secs = now_sec() - t0;
	/* EAGAIN: it freed less than asked, which the numbers show anyway */
	return ret == -EAGAIN ? 0 : ret;
}

static int fail(const char *what)
{
	fprintf(stderr, "shrinker_reclaim: %s failed: %s\n", what,
		strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char name[64], dir[PATH_MAX + 64], tdir[PATH_MAX + 8];
	long slab0, s0, s1;
	int i, a, others = 0;
	double secs;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DIR K...\n", argv[0]);
		return 2;
	}
	if ((mkdir(argv[1], 0755) && errno != EEXIST) ||
	    sb_shrinker_dir("xfs", sbdir, sizeof(sbdir)) ||
	    cg_create("rb") || cg_enable_memory("rb") || cg_create("rb/t") ||
	    cg_create("rb/s") || cg_create("rb/e")) {
		return fail("setup");
	}
	snprintf(tdir, sizeof(tdir), "%s/t", argv[1]);
	snprintf(dir, sizeof(dir), "%s/s", argv[1]);
	if (fill("rb/s", dir, TARGET_NEG))
		return fail("filling the sibling");

	for (a = 2; a < argc; a++) {
		for (; others < atoi(argv[a]); others++) {
			snprintf(name, sizeof(name), "rb/o%d", others);
			snprintf(dir, sizeof(dir), "%s/o%d", argv[1], others);
			if (cg_create(name) || fill(name, dir, OTHER_NEG))
				return fail("making the other memcgs");
		}
		if (fill("rb/t", tdir, TARGET_NEG))
			return fail("filling the target");
		slab0 = settled_slab("rb/t", 200000);
		if (timed_reclaim("rb/t", slab0, &secs))
			return fail("memory.reclaim");
		printf("BENCH reclaim_others%d_ns %.0f\n", others, secs * 1e9);
	}

	if (fill("rb/t", tdir, TARGET_NEG))
		return fail("filling the target");
	slab0 = settled_slab("rb/t", 200000);
	s0 = net_count("rb/s");
	if (timed_reclaim("rb/t", slab0 / 2, &secs))
		return fail("memory.reclaim");
	s1 = net_count("rb/s");
	printf("BENCH reclaim_sibling_loss %ld\n", s0 - s1);

	for (i = 0; i < others; i++) {
		snprintf(name, sizeof(name), "rb/o%d", i);
		cg_destroy(name);
	}
	cg_destroy("rb/t");
	cg_destroy("rb/s");
	cg_destroy("rb/e");
	cg_destroy("rb");
	return 0;
}
