// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "shrinker": the shrinker core driven with fake shrinkers.
 *
 * Included at the end of mm/shrinker.c (CONFIG_SHRINKER_KUNIT_TEST), so the
 * cases call do_shrink_slab() and the memcg map code directly and need no
 * memory pressure. Memcg cases use fake memcgs: a zeroed struct mem_cgroup
 * with per-node info and the css flags the core reads.
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/random.h>

struct fake {
	struct kunit *test;
	struct shrinker *shrinker;
	unsigned long count;		/* what count_objects() reports */
	unsigned long recount;		/* reported from the second count on */
	bool stop;			/* scan_objects() returns SHRINK_STOP */
	bool half;			/* report half of nr_to_scan as scanned */
	int counts, scans;
	unsigned long scanned;		/* sum of nr_scanned reported */
	unsigned long last_to_scan;
	int count_nid, scan_nid;
	struct mem_cgroup *count_memcg;
	bool credit;			/* credit what it scans, in bytes */
	struct completion *block;	/* scan waits for this, if set */
	struct completion entered;
};

/* what a slab free credits to the memcg reclaim the task runs, if any */
static void credit(struct mem_cgroup *memcg, unsigned long bytes)
{
#ifdef CONFIG_MEMCG
	struct reclaim_state *rs = credit_target();

	if (rs)
		credit_memcg(rs, memcg, bytes);
#endif
}

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;

	f->count_nid = sc->nid;
	f->count_memcg = sc->memcg;
	if (f->counts++ && f->recount)
		return f->recount;
	return f->count;
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;

	f->scans++;
	f->scan_nid = sc->nid;
	f->last_to_scan = sc->nr_to_scan;
	if (f->block) {
		complete(&f->entered);
		wait_for_completion(f->block);
	}
	if (f->stop)
		return SHRINK_STOP;
	if (f->half)
		sc->nr_scanned = sc->nr_to_scan / 2;
	f->scanned += sc->nr_scanned;
	if (f->credit)
		credit(sc->memcg, sc->nr_scanned);
	return sc->nr_scanned;
}

static void fake_free_action(void *s)
{
	shrinker_free(s);
}

static struct fake *make_fake(struct kunit *test, unsigned int flags,
			      unsigned long count)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->count = count;
	init_completion(&f->entered);
	f->shrinker = shrinker_alloc(flags, "kunit-%s", test->name);
	KUNIT_ASSERT_NOT_NULL(test, f->shrinker);
	f->shrinker->count_objects = fake_count;
	f->shrinker->scan_objects = fake_scan;
	f->shrinker->private_data = f;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_free_action,
							f->shrinker), 0);
	return f;
}

static unsigned long run(struct fake *f, int nid, int priority)
{
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nid = nid,
	};

	return do_shrink_slab(&sc, f->shrinker, priority);
}

static long deferred_on(struct fake *f, int nid)
{
	return atomic_long_read(&f->shrinker->nr_deferred[nid]);
}

/* ---- lifetime ------------------------------------------------------- */

static void shrinker_test_alloc_defaults(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 0);
	struct shrinker *s = f->shrinker;

	KUNIT_EXPECT_EQ(test, s->seeks, DEFAULT_SEEKS);
	KUNIT_EXPECT_TRUE(test, s->flags & SHRINKER_ALLOCATED);
	KUNIT_EXPECT_TRUE(test, s->flags & SHRINKER_NUMA_AWARE);
	KUNIT_EXPECT_FALSE(test, s->flags & SHRINKER_REGISTERED);
	/* not registered: nobody may take a reference */
	KUNIT_EXPECT_FALSE(test, shrinker_try_get(s));
#ifdef CONFIG_SHRINKER_DEBUG
	KUNIT_EXPECT_TRUE(test, str_has_prefix(s->name, "kunit-"));
#endif
}

static bool on_list(struct shrinker *s)
{
	struct shrinker *pos;
	bool found = false;

	mutex_lock(&shrinker_mutex);
	list_for_each_entry(pos, &shrinker_list, list)
		found |= pos == s;
	mutex_unlock(&shrinker_mutex);
	return found;
}

/* shrinker_free() of NULL, and of a shrinker never registered: no walk saw it */
static void shrinker_test_free_null_and_unregistered(struct kunit *test)
{
	struct shrinker *s = shrinker_alloc(0, "kunit-unreg");

	shrinker_free(NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_FALSE(test, on_list(s));
	KUNIT_EXPECT_FALSE(test, shrinker_try_get(s));
	shrinker_free(s);
}

static void shrinker_test_register_and_free(struct kunit *test)
{
	struct shrinker *s = shrinker_alloc(SHRINKER_NUMA_AWARE, "kunit-reg");

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	KUNIT_EXPECT_FALSE(test, on_list(s));
	shrinker_register(s);
	KUNIT_EXPECT_TRUE(test, on_list(s));
	KUNIT_EXPECT_TRUE(test, s->flags & SHRINKER_REGISTERED);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->refcount), 1);
	KUNIT_EXPECT_TRUE(test, shrinker_try_get(s));
	shrinker_put(s);
	shrinker_free(s);
	KUNIT_EXPECT_FALSE(test, on_list(s));
}

#ifdef CONFIG_MEMCG
static void shrinker_test_memcg_id(struct kunit *test)
{
	struct shrinker *s;
	int id;

	if (mem_cgroup_disabled())
		kunit_skip(test, "memcg disabled");
	s = shrinker_alloc(SHRINKER_MEMCG_AWARE, "kunit-id");
	KUNIT_ASSERT_NOT_NULL(test, s);
	id = s->id;
	KUNIT_EXPECT_GE(test, id, 0);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&shrinker_ids, id), (void *)s);
	KUNIT_EXPECT_GT(test, READ_ONCE(shrinker_nr_units), id_unit(id));
	shrinker_free(s);
	KUNIT_EXPECT_NULL(test, xa_load(&shrinker_ids, id));
}
#endif

/* ---- how much is scanned -------------------------------------------- */

static void shrinker_test_count_zero_or_empty(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 0);

	KUNIT_EXPECT_EQ(test, run(f, 0, 0), 0UL);
	f->count = SHRINK_EMPTY;
	KUNIT_EXPECT_EQ(test, run(f, 0, 0), SHRINK_EMPTY);
	KUNIT_EXPECT_EQ(test, f->scans, 0);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);
}

static void shrinker_test_priority_share(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);

	/* 2^20 >> 12 = 256 objects of pressure, x 4 / DEFAULT_SEEKS = 512 */
	KUNIT_EXPECT_EQ(test, run(f, 0, DEF_PRIORITY), 512UL);
	KUNIT_EXPECT_EQ(test, f->scans, 4);
	KUNIT_EXPECT_EQ(test, f->last_to_scan, (unsigned long)SHRINK_BATCH);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);
}

static void shrinker_test_priority_steps(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);
	unsigned long prev = 0;
	int prio;

	/* each priority step doubles the share */
	for (prio = DEF_PRIORITY; prio >= DEF_PRIORITY - 4; prio--) {
		f->scanned = 0;
		run(f, 0, prio);
		if (prio == DEF_PRIORITY)
			KUNIT_ASSERT_GT(test, f->scanned, 0UL);
		else
			KUNIT_EXPECT_EQ(test, f->scanned, prev * 2);
		prev = f->scanned;
	}
}

static void shrinker_test_priority_zero_bounded(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1000);

	/* priority 0 asks 4000 / 2 = 2000: at most twice the freeable */
	run(f, 0, 0);
	KUNIT_EXPECT_EQ(test, f->scanned, 15UL * SHRINK_BATCH);
	/* the part short of a batch waits for the next call */
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 2000L - 15 * SHRINK_BATCH);
}

static void shrinker_test_seeks(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);

	f->shrinker->seeks = 8;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 128UL);	/* 256 * 4 / 8 */

	/* seeks == 0: cheap objects, half of them */
	f->shrinker->seeks = 0;
	f->scanned = 0;
	f->count = 1024;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 512UL);
}

static void shrinker_test_custom_batch(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 4096);

	f->shrinker->batch = 32;
	run(f, 0, 6);	/* 4096 >> 6 = 64, x 2 = 128 */
	KUNIT_EXPECT_EQ(test, f->scans, 4);
	KUNIT_EXPECT_EQ(test, f->last_to_scan, 32UL);
	KUNIT_EXPECT_EQ(test, f->scanned, 128UL);
}

static void shrinker_test_small_cache(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 50);

	/* gentle pressure on a tiny cache: nothing, nothing deferred */
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scans, 0);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);
	/* full pressure: all of it, in one short batch */
	run(f, 0, 0);
	KUNIT_EXPECT_EQ(test, f->scans, 1);
	KUNIT_EXPECT_EQ(test, f->scanned, 100UL);
}

static void shrinker_test_stop_defers(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);
	int i;

	/* ten passes that cannot work (GFP_NOFS, say) defer 512 each */
	f->stop = true;
	for (i = 0; i < 10; i++)
		run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scans, 10);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 5120L);
	/*
	 * A pass at DEF_PRIORITY that can work pays 5120 >> 12 of the debt
	 * with its own 512: a burst of deferrals does not empty the cache
	 * at the gentlest priority. The unpaid rest stays deferred.
	 */
	f->stop = false;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 512UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 5120L);
}

static void shrinker_test_deferred_paid_by_priority(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);

	atomic_long_set(&f->shrinker->nr_deferred[0], 5120);
	/* priority 3: 5120 >> 3 = 640 of the debt, plus 2^20 >> 3 * 4/2 */
	run(f, 0, 3);
	KUNIT_EXPECT_EQ(test, f->scanned, 640UL + 262144);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 5120L - 640);
	/* priority 0: all of the debt is due, within twice the cache */
	f->scanned = 0;
	f->count = 1024;
	atomic_long_set(&f->shrinker->nr_deferred[0], 512);
	run(f, 0, 0);
	KUNIT_EXPECT_EQ(test, f->scanned, 2048UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 512L);
}

static void shrinker_test_huge_count(struct kunit *test)
{
	/* a count above LONG_MAX (not SHRINK_EMPTY or SHRINK_STOP) */
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, ULONG_MAX - 2);
	long once;

	f->stop = true;
	run(f, 0, DEF_PRIORITY);
	once = deferred_on(f, 0);
	KUNIT_EXPECT_GT(test, once, 0L);
	/* twice the cache did not wrap: the next deferral adds up */
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 2 * once);
}

static void shrinker_test_deferred_bounded(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1000);
	int i;

	f->stop = true;
	for (i = 0; i < 10; i++) {
		run(f, 0, 0);
		KUNIT_EXPECT_LE(test, deferred_on(f, 0), 2000L);
	}
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 2000L);
	/* and the bound shrinks with the cache */
	f->count = 10;
	f->stop = false;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 0UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 20L);
	/* at priority 0 the debt is due: twice the cache, at most */
	run(f, 0, 0);
	KUNIT_EXPECT_EQ(test, f->scanned, 20UL);
}

static void shrinker_test_nr_scanned(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);

	/*
	 * A shrinker that looks at half of what it is given: the total goes
	 * down by what it reports, so it is called until less than a batch
	 * is left (7 calls of 64), and the rest is deferred.
	 */
	f->half = true;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 448UL);
	KUNIT_EXPECT_EQ(test, f->scans, 7);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 64L);
}

static void shrinker_test_deferred_per_node(struct kunit *test)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE, 1UL << 20);
	int a = first_online_node, b = next_online_node(a);

	if (b >= MAX_NUMNODES)
		kunit_skip(test, "needs two online nodes");
	f->stop = true;
	run(f, a, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, deferred_on(f, a), 512L);
	KUNIT_EXPECT_EQ(test, deferred_on(f, b), 0L);
	KUNIT_EXPECT_EQ(test, f->count_nid, a);
	KUNIT_EXPECT_EQ(test, f->scan_nid, a);
}

static void shrinker_test_not_numa_aware(struct kunit *test)
{
	struct fake *f = make_fake(test, 0, 1UL << 20);
	int nid;

	/* count and scan see the same node, the one under reclaim */
	for_each_online_node(nid) {
		run(f, nid, DEF_PRIORITY);
		KUNIT_EXPECT_EQ(test, f->count_nid, nid);
		KUNIT_EXPECT_EQ(test, f->scan_nid, nid);
	}
	/*
	 * One pool, one debt: work deferred under any node's reclaim adds up
	 * in a single counter, so the debt is bounded by twice the pool, not
	 * twice the pool per node.
	 */
	f->stop = true;
	for_each_online_node(nid)
		run(f, nid, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 512L * num_online_nodes());
	for_each_online_node(nid)
		if (nid)
			KUNIT_EXPECT_EQ(test, deferred_on(f, nid), 0L);
}

#ifdef CONFIG_MEMCG

/* ---- memcg maps --------------------------------------------------------- */

static void fake_memcg_free(void *m)
{
	struct mem_cgroup *memcg = m;
	int nid;

	free_shrinker_info(memcg);
	for_each_node(nid)
		kfree(memcg->nodeinfo[nid]);
}

static struct mem_cgroup *fake_memcg(struct kunit *test,
				     struct mem_cgroup *parent)
{
	struct mem_cgroup *m;
	int nid;

	if (mem_cgroup_disabled() || !root_mem_cgroup)
		kunit_skip(test, "memcg disabled");
	m = kunit_kzalloc(test, struct_size(m, nodeinfo, nr_node_ids),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->css.flags = CSS_NO_REF | CSS_ONLINE;
	m->css.parent = &(parent ?: root_mem_cgroup)->css;
	for_each_node(nid) {
		m->nodeinfo[nid] = kzalloc_obj(*m->nodeinfo[nid], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->nodeinfo[nid]);
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_memcg_free,
							m), 0);
	KUNIT_ASSERT_EQ(test, alloc_shrinker_info(m), 0);
	return m;
}

static struct fake *make_memcg_fake(struct kunit *test, unsigned long count)
{
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE |
				   SHRINKER_MEMCG_AWARE, count);

	if (!(f->shrinker->flags & SHRINKER_MEMCG_AWARE))
		kunit_skip(test, "memcg disabled");
	shrinker_register(f->shrinker);
	return f;
}

static bool bit_is_set(struct mem_cgroup *m, int nid, int id)
{
	struct shrinker_unit *unit;

	unit = info_unit(memcg_info(m, nid), id_unit(id));
	return unit && test_bit(id_bit(id), &unit->map);
}

static void memcg_prepare(struct kunit *test, struct mem_cgroup *m, int id)
{
	KUNIT_ASSERT_EQ(test, shrinker_memcg_prepare(m, id, GFP_KERNEL), 0);
}

static void shrinker_test_memcg_bit_calls(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 1UL << 20);
	int nid = first_online_node, id = f->shrinker->id;

	memcg_prepare(test, m, id);
	/* no bit: memcg reclaim leaves the shrinker alone */
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->counts, 0);
	/* bit set: called for that memcg and node */
	set_shrinker_bit(m, nid, id);
	KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, id));
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_GE(test, f->counts, 1);
	KUNIT_EXPECT_PTR_EQ(test, f->count_memcg, m);
	KUNIT_EXPECT_EQ(test, f->count_nid, nid);
	KUNIT_EXPECT_EQ(test, f->scanned, 512UL);
}

static void shrinker_test_memcg_bit_per_node(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 100);
	int a = first_online_node, b = next_online_node(a);

	if (b >= MAX_NUMNODES)
		kunit_skip(test, "needs two online nodes");
	memcg_prepare(test, m, f->shrinker->id);
	set_shrinker_bit(m, a, f->shrinker->id);
	KUNIT_EXPECT_FALSE(test, bit_is_set(m, b, f->shrinker->id));
	shrink_slab(GFP_KERNEL, b, m, 0);
	KUNIT_EXPECT_EQ(test, f->counts, 0);
}

static void shrinker_test_memcg_empty_clears_bit(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, SHRINK_EMPTY);
	int nid = first_online_node, id = f->shrinker->id;

	memcg_prepare(test, m, id);
	set_shrinker_bit(m, nid, id);
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_FALSE(test, bit_is_set(m, nid, id));
	/* counted twice: once, and once more after clearing the bit */
	KUNIT_EXPECT_EQ(test, f->counts, 2);
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->counts, 2);
}

static void shrinker_test_memcg_racing_add(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, SHRINK_EMPTY);
	int nid = first_online_node, id = f->shrinker->id;

	/* an object arrives between the count and the clearing of the bit */
	f->recount = 3;
	memcg_prepare(test, m, id);
	set_shrinker_bit(m, nid, id);
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, id));
}

static void shrinker_test_memcg_deferred(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 1UL << 20);
	int nid = first_online_node, id = f->shrinker->id;
	struct shrinker_unit *unit;

	memcg_prepare(test, m, id);
	set_shrinker_bit(m, nid, id);
	f->stop = true;
	shrink_slab(GFP_NOFS, nid, m, DEF_PRIORITY);
	/* kept in the memcg, not in the shrinker's global counter */
	unit = info_unit(memcg_info(m, nid), id_unit(id));
	KUNIT_ASSERT_NOT_NULL(test, unit);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&unit->nr_deferred[id_bit(id)]),
			512L);
	KUNIT_EXPECT_EQ(test, deferred_on(f, nid), 0L);
}

static void shrinker_test_memcg_reparent_deferred(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	struct mem_cgroup *c = fake_memcg(test, p);
	struct fake *f = make_memcg_fake(test, 1UL << 20);
	int nid = first_online_node, id = f->shrinker->id;
	struct shrinker_unit *cu, *pu;

	memcg_prepare(test, p, id);
	memcg_prepare(test, c, id);
	cu = info_unit(memcg_info(c, nid), id_unit(id));
	pu = info_unit(memcg_info(p, nid), id_unit(id));
	atomic_long_set(&cu->nr_deferred[id_bit(id)], 300);
	atomic_long_set(&pu->nr_deferred[id_bit(id)], 5);
	reparent_shrinker_deferred(c);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&cu->nr_deferred[id_bit(id)]),
			0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pu->nr_deferred[id_bit(id)]),
			305L);
	/* a child of the root hands its work to the shrinker itself */
	reparent_shrinker_deferred(p);
	KUNIT_EXPECT_EQ(test, deferred_on(f, nid), 305L);
}

static void shrinker_test_memcg_offline_skipped(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 100);
	int nid = first_online_node;

	memcg_prepare(test, m, f->shrinker->id);
	set_shrinker_bit(m, nid, f->shrinker->id);
	m->css.flags &= ~CSS_ONLINE;
	KUNIT_EXPECT_EQ(test, shrink_slab(GFP_KERNEL, nid, m, 0), 0UL);
	KUNIT_EXPECT_EQ(test, f->counts, 0);
}

/* ---- forced interleavings (lru_park.h) ------------------------------- */

/* count_objects() of a shrinker over a list_lru, as the real ones are */
static unsigned long lru_fake_count(struct shrinker *s,
				    struct shrink_control *sc)
{
	struct list_lru *lru = s->private_data;

	return list_lru_shrink_count(lru, sc) ?: SHRINK_EMPTY;
}

struct adder {
	struct list_lru *lru;
	struct list_head item;
	struct mem_cgroup *memcg;
	int nid;
	struct completion done;
};

static int adder_fn(void *arg)
{
	struct adder *a = arg;

	list_lru_add(a->lru, &a->item, a->nid, a->memcg);
	complete(&a->done);
	return 0;
}

/* A registered memcg-aware shrinker over a list_lru, as the real ones are. */
struct lru_shrinker {
	struct shrinker *shrinker;
	struct list_lru lru;
};

/* The shrinker goes first: reclaim may be calling it on the lru. */
static void lru_shrinker_free(void *arg)
{
	struct lru_shrinker *ls = arg;

	shrinker_free(ls->shrinker);
	list_lru_destroy(&ls->lru);
}

static struct lru_shrinker *
make_lru_shrinker(struct kunit *test,
		  unsigned long (*count)(struct shrinker *,
					 struct shrink_control *),
		  unsigned long (*scan)(struct shrinker *,
					struct shrink_control *),
		  void *priv)
{
	struct lru_shrinker *ls = kunit_kzalloc(test, sizeof(*ls), GFP_KERNEL);
	struct shrinker *s;

	KUNIT_ASSERT_NOT_NULL(test, ls);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lru_shrinker_free,
							ls), 0);
	s = shrinker_alloc(SHRINKER_NUMA_AWARE | SHRINKER_MEMCG_AWARE |
			   SHRINKER_NONSLAB, "kunit-%s", test->name);
	KUNIT_ASSERT_NOT_NULL(test, s);
	ls->shrinker = s;
	if (!(s->flags & SHRINKER_MEMCG_AWARE))
		kunit_skip(test, "memcg disabled");
	KUNIT_ASSERT_EQ(test, list_lru_init_memcg(&ls->lru, s), 0);
	if (!ls->lru.memcg_aware)
		kunit_skip(test, "kmem accounting disabled");
	s->count_objects = count;
	s->scan_objects = scan;
	s->private_data = priv ?: &ls->lru;
	shrinker_register(s);
	return ls;
}

static unsigned long no_scan(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_STOP;
}

/*
 * The first object of a memcg's list and memcg reclaim, which clears the
 * shrinker bit when it counts nothing: the adder is stopped between its two
 * steps (the count and the bit) while reclaim runs. The bit must survive,
 * or the memcg's growing cache is out of reach of memcg reclaim until its
 * list happens to empty and refill.
 */
static void shrinker_test_memcg_bit_vs_first_add(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct lru_shrinker *ls = make_lru_shrinker(test, lru_fake_count,
						    no_scan, NULL);
	struct shrinker *s = ls->shrinker;
	struct list_lru *lru = &ls->lru;
	struct task_struct *task;
	struct adder a;
	int nid;

	m->kmemcg_id = 61000;
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(m, lru, GFP_KERNEL), 0);

	for_each_online_node(nid) {
		a = (struct adder){ .lru = lru, .memcg = m, .nid = nid };
		INIT_LIST_HEAD(&a.item);
		init_completion(&a.done);
		/* set by an earlier object; the list is empty now */
		set_shrinker_bit(m, nid, s->id);
		task = lru_park_start(adder_fn, &a, LRU_PARK_ADD_FIRST, nid);
		if (IS_ERR(task))
			kunit_skip(test, "needs two online CPUs");
		KUNIT_ASSERT_TRUE(test, lru_park_wait(&a.done));
		shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
		lru_park_release();
		wait_for_completion(&a.done);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, m), 1UL);
		KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, s->id));
		list_lru_del(lru, &a.item, nid, m);
	}
}

struct reclaimer {
	struct mem_cgroup *memcg;
	int nid;
	struct completion done;
};

static int reclaimer_fn(void *arg)
{
	struct reclaimer *r = arg;

	shrink_slab(GFP_KERNEL, r->nid, r->memcg, DEF_PRIORITY);
	complete(&r->done);
	return 0;
}

/*
 * Memcg reclaim finds a set bit whose shrinker was freed, and is stopped
 * between that lookup and clearing the bit. Meanwhile a new shrinker takes
 * the id (the lowest free one) and its lru's first object for the memcg
 * sets the bit, already set. The clear must not lose the new shrinker's
 * bit. Nothing that can fail runs while the reclaimer is parked.
 */
static void shrinker_test_memcg_bit_vs_id_reuse(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct lru_shrinker *old = make_lru_shrinker(test, lru_fake_count,
						     no_scan, NULL);
	struct lru_shrinker *ls = kunit_kzalloc(test, sizeof(*ls), GFP_KERNEL);
	int id = old->shrinker->id, nid = first_online_node;
	struct reclaimer r = { .memcg = m, .nid = nid };
	struct task_struct *task;
	struct shrinker *s;
	LIST_HEAD(item);
	bool reused;

	KUNIT_ASSERT_NOT_NULL(test, ls);
	memcg_prepare(test, m, id);
	/* left by the old shrinker's objects */
	set_shrinker_bit(m, nid, id);
	shrinker_free(old->shrinker);
	old->shrinker = NULL;

	init_completion(&r.done);
	task = lru_park_start(reclaimer_fn, &r, LRU_PARK_STALE_BIT, id);
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&r.done));
	s = shrinker_alloc(SHRINKER_NUMA_AWARE | SHRINKER_MEMCG_AWARE |
			   SHRINKER_NONSLAB, "kunit-id-reuse");
	reused = s && s->id == id && !list_lru_init_memcg(&ls->lru, s) &&
		 !memcg_list_lru_alloc(m, &ls->lru, GFP_KERNEL);
	if (reused) {
		s->count_objects = lru_fake_count;
		s->scan_objects = no_scan;
		s->private_data = &ls->lru;
		shrinker_register(s);
		list_lru_add(&ls->lru, &item, nid, m);
	}
	lru_park_release();
	wait_for_completion(&r.done);
	ls->shrinker = s;
	/* frees @s and the lru, whatever state they are in */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lru_shrinker_free,
							ls), 0);
	KUNIT_ASSERT_TRUE_MSG(test, reused, "id %d not reused", id);
	KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, id));
	list_lru_del(&ls->lru, &item, nid, m);
}

struct irq_bit {
	struct irq_work work;
	struct mem_cgroup *memcg;
	int nid, id;
	struct completion done;
};

static void irq_bit_fn(struct irq_work *w)
{
	struct irq_bit *ib = container_of(w, struct irq_bit, work);

	set_shrinker_bit(ib->memcg, ib->nid, ib->id);
	complete(&ib->done);
}

/* set_shrinker_bit() from a hard interrupt, as under an IRQ-safe lock */
static void set_bit_in_irq(struct kunit *test, struct irq_bit *ib)
{
	reinit_completion(&ib->done);
	irq_work_queue(&ib->work);
	if (!wait_for_completion_timeout(&ib->done, 5 * HZ)) {
		/*
		 * Queued irq_work cannot be cancelled, and it must not run
		 * into a frame the abort unwinds: wait for it (forever if it
		 * never runs, which hangs the case rather than corrupt it).
		 */
		irq_work_sync(&ib->work);
		KUNIT_FAIL_AND_ABORT(test, "the irq_work ran only after 5 s");
	}
}

/*
 * set_shrinker_bit() runs under IRQ-safe locks (the i_pages lock, THP's
 * split queue), so from hard interrupts too: for an id whose unit is in
 * the xarray it looks the unit up, and takes no lock that lockdep could
 * find taken with interrupts on elsewhere.
 */
static void shrinker_test_memcg_bit_in_irq(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	int nid = first_online_node, locks_were = debug_locks;
	struct irq_bit *ib;

	ib = kunit_kzalloc(test, sizeof(*ib), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ib);
	/* an id past the direct units, in the first unit of the xarray */
	ib->id = SHRINKER_INFO_DIRECT * SHRINKER_UNIT_BITS + 1;
	ib->memcg = m;
	ib->nid = nid;
	init_completion(&ib->done);
	ib->work = IRQ_WORK_INIT_HARD(irq_bit_fn);

	memcg_prepare(test, m, ib->id);
	KUNIT_EXPECT_FALSE(test, bit_is_set(m, nid, ib->id));
	set_bit_in_irq(test, ib);
	irq_work_sync(&ib->work);
	KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, ib->id));
	KUNIT_EXPECT_EQ(test, debug_locks, locks_were);
}

/*
 * A shrinker is in the id table from shrinker_alloc() on, while its owner
 * still sets the callbacks. Memcg reclaim that finds it by a set bit and
 * stops before taking its reference: released while the shrinker is not
 * registered, it calls nothing (the callbacks are NULL here: a call would
 * oops) and keeps the bit; released after the owner set the callbacks and
 * registered it, it calls them. On weakly ordered CPUs the second half
 * needs the acquire in shrinker_try_get(); here it checks the sequence.
 */
static void shrinker_test_memcg_found_before_register(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE |
				   SHRINKER_MEMCG_AWARE, 1UL << 20);
	struct reclaimer r = { .memcg = m, .nid = first_online_node };
	struct task_struct *task;
	int id, pass;

	if (!(f->shrinker->flags & SHRINKER_MEMCG_AWARE))
		kunit_skip(test, "memcg disabled");
	id = f->shrinker->id;
	f->shrinker->count_objects = NULL;
	f->shrinker->scan_objects = NULL;
	memcg_prepare(test, m, id);
	set_shrinker_bit(m, r.nid, id);
	for (pass = 0; pass < 2; pass++) {
		init_completion(&r.done);
		task = lru_park_start(reclaimer_fn, &r,
				      LRU_PARK_SHRINKER_FOUND, id);
		if (IS_ERR(task))
			kunit_skip(test, "needs two online CPUs");
		KUNIT_ASSERT_TRUE(test, lru_park_wait(&r.done));
		if (pass) {
			f->shrinker->count_objects = fake_count;
			f->shrinker->scan_objects = fake_scan;
			shrinker_register(f->shrinker);
		}
		lru_park_release();
		wait_for_completion(&r.done);
		KUNIT_EXPECT_EQ(test, f->counts, pass ? 1 : 0);
		KUNIT_EXPECT_EQ(test, f->scanned, pass ? 512UL : 0UL);
		KUNIT_EXPECT_TRUE(test, bit_is_set(m, r.nid, id));
	}
}

/* ---- memcg reclaim credit ------------------------------------------- */

/*
 * Run the case as memcg reclaim of @target: the reclaim_state the credit
 * functions add to. The previous one (none, in a KUnit thread) is put back.
 */
struct credit_ctx {
	struct reclaim_state rs;
	struct reclaim_state *was;
};

static void credit_begin(struct credit_ctx *c, struct mem_cgroup *target)
{
	memset(&c->rs, 0, sizeof(c->rs));
	c->rs.memcg = target;
	c->rs.memcg_want = ULONG_MAX;
	c->was = current->reclaim_state;
	current->reclaim_state = &c->rs;
}

static void credit_end(struct credit_ctx *c)
{
	current->reclaim_state = c->was;
}

/* Only the target and its descendants are credited; nothing outside */
static void shrinker_test_credit_subtree(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	struct mem_cgroup *c = fake_memcg(test, p);
	struct mem_cgroup *gc = fake_memcg(test, c);
	struct mem_cgroup *sib = fake_memcg(test, NULL);
	struct credit_ctx ctx;

	credit_begin(&ctx, p);
	credit(p, 1);
	credit(c, 10);
	credit(gc, 100);
	credit(sib, 1000);
	credit(root_mem_cgroup, 10000);
	credit(NULL, 100000);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 111UL);

	/* a child target is not credited with its parent's memory */
	credit_begin(&ctx, c);
	credit(p, 1);
	credit(gc, 100);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 100UL);

	/* global reclaim (no target) and no reclaim at all count nothing */
	credit_begin(&ctx, NULL);
	credit(c, 10);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 0UL);
	credit(c, 10);
}

/* Objects that are not slab-charged are not credited */
static void shrinker_test_credit_uncharged_obj(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	struct credit_ctx ctx;
	void *obj = kmalloc(64, GFP_KERNEL);
	static int not_slab;

	KUNIT_ASSERT_NOT_NULL(test, obj);
	credit_begin(&ctx, p);
	reclaim_credit_obj(obj);
	reclaim_credit_obj(obj + 17);
	reclaim_credit_obj(&not_slab);
	reclaim_credit_obj(NULL);
	credit_end(&ctx);
	kfree(obj);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 0UL);
}

struct irq_credit {
	struct irq_work work;
	struct mem_cgroup *memcg;
	struct reclaim_state *rs;	/* the reclaimer's */
	bool over_reclaimer;		/* it interrupted the reclaimer */
	atomic_t fired;
};

static void irq_credit_fn(struct irq_work *w)
{
	struct irq_credit *ic = container_of(w, struct irq_credit, work);

	ic->over_reclaimer = current->reclaim_state == ic->rs;
	credit(ic->memcg, 4096);
	atomic_set(&ic->fired, 1);
}

/*
 * An interrupt that lands on the reclaimer's stack (current is the
 * reclaimer) frees on nobody's behalf. The case spins on its CPU, so the
 * hard irq_work it queued there (a self-interrupt) runs over it.
 */
static void shrinker_test_credit_not_in_irq(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	unsigned long deadline = jiffies + 5 * HZ;
	struct credit_ctx ctx;
	struct irq_credit *ic;
	bool fired;

	ic = kunit_kzalloc(test, sizeof(*ic), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ic);
	ic->memcg = p;
	ic->rs = &ctx.rs;
	ic->work = IRQ_WORK_INIT_HARD(irq_credit_fn);

	/* no other task runs here until the work has: it lands on us */
	preempt_disable();
	credit_begin(&ctx, p);
	irq_work_queue(&ic->work);
	while (!atomic_read(&ic->fired) && time_before(jiffies, deadline))
		cpu_relax();
	fired = atomic_read(&ic->fired);
	credit(p, 1);
	credit_end(&ctx);
	preempt_enable();
	irq_work_sync(&ic->work);
	KUNIT_ASSERT_TRUE_MSG(test, fired, "the irq_work did not run in 5 s");
	KUNIT_EXPECT_TRUE(test, ic->over_reclaimer);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 1UL);
}

/*
 * A fake shrinker that frees objects of known sizes after a grace period,
 * the way dentries and inodes go: scan_objects() credits each object when
 * it queues it (reclaim_credit_obj() does that for real objects), and the
 * RCU callback "uncharges" it again, as obj_cgroup_uncharge() would. The
 * reclaim must count each object once.
 */
#define RCU_OBJ_BYTES	192

struct rcu_obj {
	struct rcu_head rcu;
	struct mem_cgroup *memcg;
	atomic_t *freed;
};

struct rcu_fake {
	struct mem_cgroup *memcg;
	atomic_t freed;
	unsigned long queued;
};

static void rcu_obj_free(struct rcu_head *head)
{
	struct rcu_obj *o = container_of(head, struct rcu_obj, rcu);

	/* the uncharge in the callback, as obj_cgroup_uncharge() does it */
	credit(o->memcg, RCU_OBJ_BYTES);
	atomic_inc(o->freed);
	kfree(o);
}

static unsigned long rcu_fake_count(struct shrinker *s,
				    struct shrink_control *sc)
{
	return 1000;
}

static unsigned long rcu_fake_scan(struct shrinker *s,
				   struct shrink_control *sc)
{
	struct rcu_fake *rf = s->private_data;
	unsigned long i;

	for (i = 0; i < sc->nr_to_scan; i++) {
		struct rcu_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

		if (!o)
			break;
		o->memcg = rf->memcg;
		o->freed = &rf->freed;
		credit(rf->memcg, RCU_OBJ_BYTES);
		call_rcu(&o->rcu, rcu_obj_free);
		rf->queued++;
	}
	return i;
}

/* A fake shrinker whose objects, charged to @memcg, are freed after RCU */
static struct fake *make_rcu_fake(struct kunit *test, struct mem_cgroup *memcg,
				  struct rcu_fake **rfp)
{
	struct rcu_fake *rf = kunit_kzalloc(test, sizeof(*rf), GFP_KERNEL);
	struct fake *f;

	KUNIT_ASSERT_NOT_NULL(test, rf);
	rf->memcg = memcg;
	f = make_fake(test, 0, 0);
	f->shrinker->count_objects = rcu_fake_count;
	f->shrinker->scan_objects = rcu_fake_scan;
	f->shrinker->private_data = rf;
	*rfp = rf;
	return f;
}

static void shrinker_test_credit_rcu_once(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	unsigned long deadline = jiffies + 10 * HZ, freed;
	struct credit_ctx ctx;
	struct rcu_fake *rf;
	struct fake *f;

	f = make_rcu_fake(test, p, &rf);

	credit_begin(&ctx, p);
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	/*
	 * Wait on this CPU, not asleep: the callbacks then run in softirq
	 * over this task, whose reclaim_state they must not add to.
	 */
	migrate_disable();
	while (atomic_read(&rf->freed) < rf->queued &&
	       time_before(jiffies, deadline))
		cond_resched();
	migrate_enable();
	credit_end(&ctx);
	rcu_barrier();

	KUNIT_EXPECT_EQ(test, freed, rf->queued);
	KUNIT_EXPECT_GT(test, rf->queued, 0UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)atomic_read(&rf->freed),
			rf->queued);
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, rf->queued * RCU_OBJ_BYTES);
}

/*
 * Memcg reclaim that has what it wants stops its shrinkers between
 * batches, and does not defer the share it left: at priority 0 this cache
 * would otherwise be scanned twice over.
 */
static void shrinker_test_credit_want_stops(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct credit_ctx ctx;
	struct rcu_fake *rf;
	unsigned long freed;
	struct fake *f;

	f = make_rcu_fake(test, p, &rf);

	/* 300 objects wanted: three batches of 128, the last one crossing */
	credit_begin(&ctx, p);
	ctx.rs.memcg_want = 300 * RCU_OBJ_BYTES;
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	KUNIT_EXPECT_EQ(test, freed, 3UL * SHRINK_BATCH);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);

	/* already met: nothing scanned, the older debt kept, none added */
	atomic_long_set(&f->shrinker->nr_deferred[0], 1000);
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	KUNIT_EXPECT_EQ(test, freed, 0UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 1000L);
	atomic_long_set(&f->shrinker->nr_deferred[0], 0);
	credit_end(&ctx);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes,
			3UL * SHRINK_BATCH * RCU_OBJ_BYTES);

	/*
	 * Older debt survives an early stop: the three batches pay this
	 * call's own share, not the work deferred before it.
	 */
	atomic_long_set(&f->shrinker->nr_deferred[0], 1000);
	credit_begin(&ctx, p);
	ctx.rs.memcg_want = 300 * RCU_OBJ_BYTES;
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, freed, 3UL * SHRINK_BATCH);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 1000L);
	atomic_long_set(&f->shrinker->nr_deferred[0], 0);

	/* a shrinker's larger batch is cut to SHRINK_BATCH under a goal */
	f->shrinker->batch = 1024;
	credit_begin(&ctx, p);
	ctx.rs.memcg_want = 300 * RCU_OBJ_BYTES;
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, freed, 3UL * SHRINK_BATCH);
	f->shrinker->batch = 0;

	/* no goal (the LRUs met the ask), or global reclaim: the whole share */
	credit_begin(&ctx, p);
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, freed, 2000UL / SHRINK_BATCH * SHRINK_BATCH);
	credit_begin(&ctx, NULL);
	ctx.rs.memcg_want = 1;
	freed = do_shrink_slab(&sc, f->shrinker, 0);
	credit_end(&ctx);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, freed, 2000UL / SHRINK_BATCH * SHRINK_BATCH);
}

/*
 * Memcg reclaim with a goal stops at the shrinker that meets it, and the
 * next pass over the memcg starts with the shrinker it stopped before: ten
 * passes that each want a fraction of one share take from both shrinkers
 * alike, not ten times from the lower id.
 */
static void shrinker_test_memcg_goal_rotates(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *a = make_memcg_fake(test, 1UL << 20);
	struct fake *b = make_memcg_fake(test, 1UL << 20);
	int nid = first_online_node;
	struct credit_ctx ctx;
	int i;

	a->credit = true;
	b->credit = true;
	memcg_prepare(test, m, a->shrinker->id);
	memcg_prepare(test, m, b->shrinker->id);
	set_shrinker_bit(m, nid, a->shrinker->id);
	set_shrinker_bit(m, nid, b->shrinker->id);
	for (i = 0; i < 10; i++) {
		credit_begin(&ctx, m);
		/* two batches of one shrinker; its share is 512 */
		ctx.rs.memcg_want = 2 * SHRINK_BATCH;
		shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
		credit_end(&ctx);
		KUNIT_EXPECT_EQ(test, ctx.rs.memcg_bytes, 2UL * SHRINK_BATCH);
	}
	KUNIT_EXPECT_EQ(test, a->scanned + b->scanned, 20UL * SHRINK_BATCH);
	KUNIT_EXPECT_EQ(test, a->scanned, b->scanned);
	/* no goal: both from the first id on, the whole share each */
	credit_begin(&ctx, m);
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	credit_end(&ctx);
	KUNIT_EXPECT_EQ(test, a->scanned + b->scanned,
			20UL * SHRINK_BATCH + 2 * 512);
}

/* ---- randomized stress with invariants ------------------------------ */

static unsigned int stress_secs = 10;
module_param(stress_secs, uint, 0444);
MODULE_PARM_DESC(stress_secs, "seconds of the KUnit list_lru/shrinker stress");

#define STRESS_SLOTS	4	/* live children of the stress parent */
/* memcgs made up front and used in turn: 25 a second, 4096 at most */
#define STRESS_POOL_RATE	25
#define STRESS_POOL_MAX		4096
#define STRESS_ITEMS	512	/* per churn thread */
#define STRESS_ID_BASE	62000

struct stress_item {
	struct list_head lru;
	struct mem_cgroup *memcg;	/* the "object's" memcg; NULL: root */
	int nid;
	int seen;
};

struct stress {
	struct kunit *test;
	struct lru_shrinker *ls;
	struct mem_cgroup *parent;
	struct mem_cgroup *slot[STRESS_SLOTS];	/* live, read with READ_ONCE */
	struct mem_cgroup **pool;
	int pool_size, pool_used;
	unsigned int secs;		/* this round's length */
	struct stress_item *items[2];
	atomic_t stop, churners;
	atomic_long_t ops, isolated, offlined;
	struct completion done[4];
	/* final check: the list being walked */
	struct mem_cgroup *walking;
	int bad_place, bad_twice;
};

static int stress_nid(void)
{
	int nid, n = get_random_u32_below(num_online_nodes());

	for_each_online_node(nid)
		if (!n--)
			return nid;
	return first_online_node;
}

/* Drop the list lock, as the RETRY and STOP statuses want */
static void stress_unlock(struct list_lru_one *list)
{
	/* sparse: the walker's lock, whose drop the walker accounts for */
	__acquire(&list->lock);
	spin_unlock(&list->lock);
}

/* A callback returning every status the walker knows, at random. */
static enum lru_status stress_isolate(struct list_head *item,
				      struct list_lru_one *list, void *arg)
{
	struct stress *st = arg;

	switch (get_random_u32_below(6)) {
	case 0:
		list_lru_isolate(list, item);
		atomic_long_inc(&st->isolated);
		return LRU_REMOVED;
	case 1:
		list_lru_isolate(list, item);
		atomic_long_inc(&st->isolated);
		stress_unlock(list);
		return LRU_REMOVED_RETRY;
	case 2:
		return LRU_ROTATE;
	case 3:
		stress_unlock(list);
		return LRU_RETRY;
	case 4:
		if (get_random_u32_below(8))
			return LRU_SKIP;
		/* STOP, like the RETRYs, comes back without the lock */
		stress_unlock(list);
		return LRU_STOP;
	default:
		return LRU_SKIP;
	}
}

static unsigned long stress_count(struct shrinker *s, struct shrink_control *sc)
{
	struct stress *st = s->private_data;

	return list_lru_shrink_count(&st->ls->lru, sc) ?: SHRINK_EMPTY;
}

static unsigned long stress_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct stress *st = s->private_data;

	return list_lru_shrink_walk(&st->ls->lru, sc, stress_isolate, st);
}

/*
 * Adds and deletes, as objects come and go; an item off its list may be
 * "freed and allocated again" in another memcg, maybe one dying already.
 */
static int stress_churn_fn(void *arg)
{
	struct stress *st = arg;
	int me = atomic_inc_return(&st->churners) - 1;
	struct stress_item *items = st->items[me];
	struct stress_item *it;
	struct mem_cgroup *m;
	int i;

	while (!atomic_read(&st->stop)) {
		it = &items[get_random_u32_below(STRESS_ITEMS)];
		if (get_random_u32_below(2)) {
			list_lru_del(&st->ls->lru, &it->lru, it->nid, it->memcg);
		} else {
			if (list_empty_careful(&it->lru) &&
			    !get_random_u32_below(4)) {
				/* only this thread adds it: off stays off */
				i = get_random_u32_below(STRESS_SLOTS);
				m = READ_ONCE(st->slot[i]);
				it->memcg = get_random_u32_below(8) ? m : NULL;
				it->nid = stress_nid();
			}
			if (!memcg_list_lru_alloc(it->memcg, &st->ls->lru,
						  GFP_KERNEL))
				list_lru_add(&st->ls->lru, &it->lru, it->nid,
					     it->memcg);
		}
		atomic_long_inc(&st->ops);
		cond_resched();
	}
	complete(&st->done[me]);
	return 0;
}

/* Memcgs die and are born, a new one taking the dead one's id. */
static int stress_memcg_fn(void *arg)
{
	struct stress *st = arg;
	/* spread the deaths over the whole run */
	unsigned long gap_us = (unsigned long)st->secs * USEC_PER_SEC /
			       st->pool_size;
	struct mem_cgroup *old, *new;
	int i;

	while (!atomic_read(&st->stop) && st->pool_used < st->pool_size) {
		i = get_random_u32_below(STRESS_SLOTS);
		old = st->slot[i];
		new = st->pool[st->pool_used++];
		new->kmemcg_id = old->kmemcg_id;
		old->css.flags |= CSS_DYING;
		memcg_reparent_list_lrus(old, st->parent);
		reparent_shrinker_deferred(old);
		old->css.flags &= ~CSS_ONLINE;
		/* the id is free: the next memcg gets it at once */
		WRITE_ONCE(st->slot[i], new);
		atomic_long_inc(&st->offlined);
		usleep_range(gap_us / 2, gap_us);
	}
	complete(&st->done[2]);
	return 0;
}

/* Memcg reclaim at random priorities on every node, and node walks. */
static int stress_reclaim_fn(void *arg)
{
	struct stress *st = arg;
	unsigned long nr;
	int nid, i;

	while (!atomic_read(&st->stop)) {
		for_each_online_node(nid) {
			for (i = 0; i < STRESS_SLOTS; i++)
				shrink_slab(GFP_KERNEL, nid,
					    READ_ONCE(st->slot[i]),
					    get_random_u32_below(DEF_PRIORITY + 1));
			shrink_slab(GFP_KERNEL, nid, st->parent, DEF_PRIORITY);
			nr = 16;
			list_lru_walk_node(&st->ls->lru, nid, stress_isolate, st,
					   &nr);
		}
		cond_resched();
	}
	complete(&st->done[3]);
	return 0;
}

/* The live memcg among @m and its ancestors that should hold @m's items. */
static struct mem_cgroup *stress_home(struct mem_cgroup *m)
{
	while (m && !mem_cgroup_is_root(m) && css_is_dying(&m->css))
		m = parent_mem_cgroup(m);
	return m && !mem_cgroup_is_root(m) ? m : NULL;
}

static enum lru_status stress_check_cb(struct list_head *item,
				       struct list_lru_one *list, void *arg)
{
	struct stress *st = arg;
	struct stress_item *it = container_of(item, struct stress_item, lru);

	if (it->seen++)
		st->bad_twice++;
	if (stress_home(it->memcg) != st->walking)
		st->bad_place++;
	return LRU_SKIP;
}

static void stress_check_memcg(struct stress *st, struct mem_cgroup *m,
			       unsigned long *listed)
{
	struct kunit *test = st->test;
	unsigned long count, nr;
	int nid, before;

	st->walking = m;
	for_each_online_node(nid) {
		before = st->bad_twice;
		count = list_lru_count_one(&st->ls->lru, nid, m);
		nr = ULONG_MAX;
		list_lru_walk_one(&st->ls->lru, nid, m, stress_check_cb, st, &nr);
		/* the count is the list's length */
		KUNIT_EXPECT_EQ(test, count, ULONG_MAX - nr);
		*listed += count;
		KUNIT_EXPECT_EQ(test, st->bad_twice, before);
		/* a memcg with objects on a node has the shrinker's bit there */
		if (m && count)
			KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid,
							   st->ls->shrinker->id));
	}
}

/*
 * KUnit stops a case after 300 s: one run is at most STRESS_MAX_SECS (a
 * longer `make stress` boots once per round).
 */
#define STRESS_MAX_SECS		240

static void shrinker_test_stress(struct kunit *test)
{
	struct stress *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	struct task_struct *task;
	unsigned long listed = 0;
	int i, t;

	KUNIT_ASSERT_NOT_NULL(test, st);
	st->test = test;
	st->secs = min_t(unsigned int, stress_secs, STRESS_MAX_SECS);
	if (st->secs < stress_secs)
		kunit_info(test, "stress_secs=%u: %u s (make stress boots rounds)",
			   stress_secs, st->secs);
	st->parent = fake_memcg(test, NULL);
	st->parent->kmemcg_id = STRESS_ID_BASE;
	for (i = 0; i < STRESS_SLOTS; i++) {
		st->slot[i] = fake_memcg(test, st->parent);
		st->slot[i]->kmemcg_id = STRESS_ID_BASE + 1 + i;
	}
	st->pool_size = clamp(st->secs * STRESS_POOL_RATE, 16U,
			      (unsigned int)STRESS_POOL_MAX);
	st->pool = kunit_kcalloc(test, st->pool_size, sizeof(*st->pool),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->pool);
	for (i = 0; i < st->pool_size; i++)
		st->pool[i] = fake_memcg(test, st->parent);
	st->ls = make_lru_shrinker(test, stress_count, stress_scan, st);
	for (t = 0; t < 2; t++) {
		st->items[t] = kunit_kcalloc(test, STRESS_ITEMS,
					     sizeof(*st->items[t]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, st->items[t]);
		for (i = 0; i < STRESS_ITEMS; i++) {
			INIT_LIST_HEAD(&st->items[t][i].lru);
			st->items[t][i].nid = first_online_node;
		}
	}
	for (t = 0; t < 4; t++)
		init_completion(&st->done[t]);
	for (t = 0; t < 4; t++) {
		task = kthread_run(t < 2 ? stress_churn_fn :
				   t == 2 ? stress_memcg_fn : stress_reclaim_fn,
				   st, "lru_stress/%d", t);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	msleep(st->secs * MSEC_PER_SEC);
	atomic_set(&st->stop, 1);
	for (t = 0; t < 4; t++)
		wait_for_completion(&st->done[t]);

	/* every item on exactly one list, in the right memcg's, counted */
	stress_check_memcg(st, NULL, &listed);
	stress_check_memcg(st, st->parent, &listed);
	for (i = 0; i < STRESS_SLOTS; i++)
		stress_check_memcg(st, st->slot[i], &listed);
	KUNIT_EXPECT_EQ(test, st->bad_place, 0);
	for (t = 0; t < 2; t++)
		for (i = 0; i < STRESS_ITEMS; i++)
			KUNIT_EXPECT_EQ(test, st->items[t][i].seen,
					!list_empty(&st->items[t][i].lru));
	KUNIT_EXPECT_EQ(test, list_lru_count(&st->ls->lru), listed);
	kunit_info(test, "%u s: %ld ops, %ld isolated by reclaim, %ld memcgs offlined, %lu listed\n",
		   st->secs, atomic_long_read(&st->ops),
		   atomic_long_read(&st->isolated),
		   atomic_long_read(&st->offlined), listed);
	KUNIT_EXPECT_GT(test, atomic_long_read(&st->offlined), 0L);
}

/* ---- registration against concurrent reclaim ------------------------ */

struct scanner {
	struct mem_cgroup *memcg;
	int nid;
	atomic_t *stop;
	unsigned long passes;
	struct completion done;
};

static int scanner_fn(void *arg)
{
	struct scanner *s = arg;

	while (!atomic_read(s->stop)) {
		shrink_slab(GFP_KERNEL, s->nid, s->memcg, DEF_PRIORITY);
		s->passes++;
		cond_resched();
	}
	complete(&s->done);
	return 0;
}

struct freer {
	struct shrinker *shrinker;
	struct completion done;
};

static int freer_fn(void *arg)
{
	struct freer *fr = arg;

	shrinker_free(fr->shrinker);
	complete(&fr->done);
	return 0;
}

static void shrinker_test_free_waits_for_scan(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct shrinker *s = shrinker_alloc(SHRINKER_MEMCG_AWARE |
						    SHRINKER_NONSLAB,
						    "kunit-wait");
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct scanner sc = { .memcg = m, .nid = first_online_node };
	DECLARE_COMPLETION_ONSTACK(release);
	atomic_t stop = ATOMIC_INIT(0);
	struct freer fr;
	int calls;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, f);
	if (!(s->flags & SHRINKER_MEMCG_AWARE)) {
		shrinker_free(s);
		kunit_skip(test, "memcg disabled");
	}
	f->count = 1UL << 20;
	f->block = &release;
	init_completion(&f->entered);
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	s->private_data = f;
	shrinker_register(s);
	memcg_prepare(test, m, s->id);
	set_shrinker_bit(m, sc.nid, s->id);

	sc.stop = &stop;
	init_completion(&sc.done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(scanner_fn, &sc,
						    "shrink_scan")));
	wait_for_completion(&f->entered);	/* a scan is in flight */

	fr.shrinker = s;
	init_completion(&fr.done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(freer_fn, &fr,
						    "shrink_free")));
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&fr.done));
	/* no new call starts while the free waits */
	calls = f->counts;
	complete_all(&release);
	wait_for_completion(&fr.done);
	KUNIT_EXPECT_LE(test, f->counts, calls + 1);
	calls = f->counts;
	msleep(20);
	KUNIT_EXPECT_EQ(test, f->counts, calls);
	atomic_set(&stop, 1);
	wait_for_completion(&sc.done);
}

static void shrinker_test_register_during_scans(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 1000);
	struct scanner sc = { .memcg = m, .nid = first_online_node };
	atomic_t stop = ATOMIC_INIT(0);
	int i;

	memcg_prepare(test, m, f->shrinker->id);
	set_shrinker_bit(m, sc.nid, f->shrinker->id);
	sc.stop = &stop;
	init_completion(&sc.done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(scanner_fn, &sc,
						    "shrink_scan")));
	/* registration and free never wait for the scanner */
	for (i = 0; i < 50; i++) {
		struct shrinker *s = shrinker_alloc(SHRINKER_MEMCG_AWARE |
						    SHRINKER_NUMA_AWARE |
						    SHRINKER_NONSLAB,
						    "kunit-churn-%d", i);

		KUNIT_ASSERT_NOT_NULL(test, s);
		s->count_objects = fake_count;
		s->scan_objects = fake_scan;
		s->private_data = kunit_kzalloc(test, sizeof(struct fake),
						GFP_KERNEL);
		shrinker_register(s);
		set_shrinker_bit(m, sc.nid, s->id);
		shrinker_free(s);
	}
	atomic_set(&stop, 1);
	wait_for_completion(&sc.done);
	KUNIT_EXPECT_GT(test, sc.passes, 0UL);
	KUNIT_EXPECT_GT(test, f->counts, 0);
}

#endif /* CONFIG_MEMCG */

static struct kunit_case shrinker_cases[] = {
	KUNIT_CASE(shrinker_test_alloc_defaults),
	KUNIT_CASE(shrinker_test_free_null_and_unregistered),
	KUNIT_CASE(shrinker_test_register_and_free),
	KUNIT_CASE(shrinker_test_count_zero_or_empty),
	KUNIT_CASE(shrinker_test_priority_share),
	KUNIT_CASE(shrinker_test_priority_steps),
	KUNIT_CASE(shrinker_test_priority_zero_bounded),
	KUNIT_CASE(shrinker_test_seeks),
	KUNIT_CASE(shrinker_test_custom_batch),
	KUNIT_CASE(shrinker_test_small_cache),
	KUNIT_CASE(shrinker_test_stop_defers),
	KUNIT_CASE(shrinker_test_deferred_paid_by_priority),
	KUNIT_CASE(shrinker_test_huge_count),
	KUNIT_CASE(shrinker_test_deferred_bounded),
	KUNIT_CASE(shrinker_test_nr_scanned),
	KUNIT_CASE(shrinker_test_deferred_per_node),
	KUNIT_CASE(shrinker_test_not_numa_aware),
#ifdef CONFIG_MEMCG
	KUNIT_CASE(shrinker_test_memcg_id),
	KUNIT_CASE(shrinker_test_memcg_bit_calls),
	KUNIT_CASE(shrinker_test_memcg_bit_per_node),
	KUNIT_CASE(shrinker_test_memcg_empty_clears_bit),
	KUNIT_CASE(shrinker_test_memcg_racing_add),
	KUNIT_CASE(shrinker_test_memcg_deferred),
	KUNIT_CASE(shrinker_test_memcg_reparent_deferred),
	KUNIT_CASE(shrinker_test_memcg_offline_skipped),
	KUNIT_CASE(shrinker_test_memcg_bit_vs_first_add),
	KUNIT_CASE(shrinker_test_memcg_bit_vs_id_reuse),
	KUNIT_CASE(shrinker_test_memcg_bit_in_irq),
	KUNIT_CASE(shrinker_test_memcg_found_before_register),
	KUNIT_CASE(shrinker_test_credit_subtree),
	KUNIT_CASE(shrinker_test_credit_uncharged_obj),
	KUNIT_CASE(shrinker_test_credit_not_in_irq),
	KUNIT_CASE(shrinker_test_credit_rcu_once),
	KUNIT_CASE(shrinker_test_credit_want_stops),
	KUNIT_CASE(shrinker_test_memcg_goal_rotates),
	KUNIT_CASE_SLOW(shrinker_test_stress),
	KUNIT_CASE_SLOW(shrinker_test_free_waits_for_scan),
	KUNIT_CASE_SLOW(shrinker_test_register_during_scans),
#endif
	{}
};

static struct kunit_suite shrinker_suite = {
	.name = "shrinker",
	.test_cases = shrinker_cases,
};

kunit_test_suite(shrinker_suite);
