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
#include <linux/delay.h>
#include <linux/kthread.h>

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
	struct completion *block;	/* scan waits for this, if set */
	struct completion entered;
};

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

static void shrinker_test_free_null_and_unregistered(struct kunit *test)
{
	struct shrinker *s = shrinker_alloc(0, "kunit-unreg");

	shrinker_free(NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	shrinker_free(s);
	KUNIT_SUCCEED(test);
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
	KUNIT_EXPECT_PTR_EQ(test, idr_find(&shrinker_idr, id), (void *)s);
	KUNIT_EXPECT_GT(test, READ_ONCE(shrinker_nr_units), id_unit(id));
	shrinker_free(s);
	KUNIT_EXPECT_NULL(test, idr_find(&shrinker_idr, id));
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
		if (prev)
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

	f->stop = true;		/* e.g. GFP_NOFS for a filesystem cache */
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scans, 1);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 512L);
	/* the next call that can work does the deferred work too */
	f->stop = false;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 1024UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);
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
	/* and it shrinks with the cache */
	f->count = 10;
	f->stop = false;
	run(f, 0, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f->scanned, 20UL);
	KUNIT_EXPECT_EQ(test, deferred_on(f, 0), 0L);
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
	/* and their deferred work stays with that node */
	f->stop = true;
	nid = first_online_node;
	run(f, nid, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, deferred_on(f, nid), 512L);
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
		m->nodeinfo[nid] = kzalloc(sizeof(*m->nodeinfo[nid]),
					   GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->nodeinfo[nid]);
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_memcg_free,
							m), 0);
	KUNIT_ASSERT_EQ(test, alloc_shrinker_info(m), 0);
	return m;
}

static struct fake *make_memcg_fake(struct kunit *test, unsigned long count)
{
	/* NONSLAB: called even before kmem accounting is on (early boot) */
	struct fake *f = make_fake(test, SHRINKER_NUMA_AWARE |
				   SHRINKER_MEMCG_AWARE | SHRINKER_NONSLAB,
				   count);

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

static void shrinker_test_memcg_unsure(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test, NULL);
	struct fake *f = make_memcg_fake(test, 1UL << 20);
	int nid = first_online_node, id = f->shrinker->id;
	struct shrinker_info *info = memcg_info(m, nid);

	/* as if the memcg predated the unit of this id: drop the unit */
	if (id_unit(id) < SHRINKER_INFO_DIRECT)
		kfree(xchg(&info->direct[id_unit(id)], NULL));
	else
		kfree(xa_erase(&info->units, id_unit(id)));
	set_shrinker_bit(m, nid, id);
	KUNIT_EXPECT_EQ(test, info->unsure, 1UL);
	/* reclaim cannot tell, so it calls the shrinker */
	shrink_slab(GFP_KERNEL, nid, m, DEF_PRIORITY);
	KUNIT_EXPECT_GE(test, f->counts, 1);
	KUNIT_EXPECT_EQ(test, f->scanned, 512UL);
	/* the unit created later starts with every bit set */
	memcg_prepare(test, m, id);
	KUNIT_EXPECT_TRUE(test, bit_is_set(m, nid, id));
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
	KUNIT_CASE(shrinker_test_memcg_unsure),
	KUNIT_CASE(shrinker_test_memcg_offline_skipped),
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
