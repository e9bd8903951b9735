// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "list_lru": private list_lrus exercised on every online node.
 *
 * This file is included at the end of mm/list_lru.c (CONFIG_LIST_LRU_KUNIT_TEST)
 * so that the memcg cases can reparent a private lru and inject allocation
 * failures. Memcg cases use fake memcgs: zeroed struct mem_cgroup with just
 * the fields list_lru reads (css parent and flags, kmemcg_id), so they run
 * before userspace exists and need no cgroupfs.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

struct lru_item {
	struct list_head lru;
	int nid;
	int id;
	int seen;
};

/* Whether the current task holds @l's lock (a trylock without lockdep). */
static bool lru_lock_held(struct list_lru_one *l)
{
#ifdef CONFIG_LOCKDEP
	return lockdep_is_held(&l->lock);
#else
	if (!spin_trylock(&l->lock))
		return true;
	spin_unlock(&l->lock);
	return false;
#endif
}

static void lru_destroy_action(void *lru)
{
	list_lru_destroy(lru);
}

static struct lru_item *make_items(struct kunit *test, int n)
{
	struct lru_item *items;
	int i;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	for (i = 0; i < n; i++) {
		INIT_LIST_HEAD(&items[i].lru);
		items[i].id = i;
	}
	return items;
}

static struct list_lru *make_lru_key(struct kunit *test, bool memcg_aware,
				     struct lock_class_key *key)
{
	struct list_lru *lru;

	lru = kunit_kzalloc(test, sizeof(*lru), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lru);
	list_lru_set_key(lru, key);
	KUNIT_ASSERT_EQ(test, __list_lru_init(lru, memcg_aware, NULL), 0);
	/* a memcg-aware lru sits on a global list: never leave it there */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lru_destroy_action,
							lru), 0);
	return lru;
}

static struct list_lru *make_lru_flags(struct kunit *test, bool memcg_aware)
{
	return make_lru_key(test, memcg_aware, NULL);
}

static struct list_lru *make_lru(struct kunit *test)
{
	return make_lru_flags(test, false);
}

static int next_online_wrap(int nid)
{
	nid = next_online_node(nid);
	return nid < MAX_NUMNODES ? nid : first_online_node;
}

/* Add @it on @nid for @memcg, remembering the node it went to. */
static bool add_item(struct list_lru *lru, struct lru_item *it, int nid,
		     struct mem_cgroup *memcg)
{
	it->nid = nid;
	return list_lru_add(lru, &it->lru, nid, memcg);
}

/* Spread @n items over the online nodes, round robin. */
static void add_round_robin(struct kunit *test, struct list_lru *lru,
			    struct lru_item *items, int n)
{
	int i, nid = first_online_node;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, add_item(lru, &items[i], nid, NULL));
		nid = next_online_wrap(nid);
	}
}

/* Walk state shared by the callbacks below. */
struct walk_log {
	struct kunit *test;
	struct list_lru_one *list;	/* list the callback was handed */
	int seen;
	int order[32];
	int stop_at;			/* id that returns LRU_STOP */
	int retry_id;			/* id that returns LRU_RETRY once */
	bool irqs_were_off;
	bool lock_was_held;
	struct list_head dispose;
};

static void log_init(struct walk_log *log, struct kunit *test)
{
	memset(log, 0, sizeof(*log));
	log->test = test;
	log->stop_at = -1;
	log->retry_id = -1;
	INIT_LIST_HEAD(&log->dispose);
}

static struct lru_item *log_item(struct walk_log *log, struct list_head *item,
				 struct list_lru_one *list)
{
	struct lru_item *it = container_of(item, struct lru_item, lru);

	if (log->seen < ARRAY_SIZE(log->order))
		log->order[log->seen] = it->id;
	log->seen++;
	it->seen++;
	log->list = list;
	log->lock_was_held = lru_lock_held(list);
	log->irqs_were_off = irqs_disabled();
	return it;
}

/*
 * Drop the list lock a walk handed a callback, as LRU_RETRY,
 * LRU_REMOVED_RETRY and LRU_STOP want (an _irq walk took it with
 * interrupts off: these tests run in process context).
 */
static void cb_unlock(struct list_lru_one *list)
{
	bool irq = irqs_disabled();

	/* sparse: the walker's lock, whose drop the walker accounts for */
	__acquire(&list->lock);
	spin_unlock(&list->lock);
	if (irq)
		local_irq_enable();
}

/* Remove even ids onto the dispose list, rotate odd ones. */
static enum lru_status even_odd_cb(struct list_head *item,
				   struct list_lru_one *list, void *arg)
{
	struct walk_log *log = arg;
	struct lru_item *it = log_item(log, item, list);

	if (it->id == log->stop_at) {
		cb_unlock(list);
		return LRU_STOP;
	}
	if (it->id & 1)
		return LRU_ROTATE;
	list_lru_isolate_move(list, item, &log->dispose);
	return LRU_REMOVED;
}

static enum lru_status rotate_cb(struct list_head *item,
				 struct list_lru_one *list, void *arg)
{
	log_item(arg, item, list);
	return LRU_ROTATE;
}

static enum lru_status skip_cb(struct list_head *item,
			       struct list_lru_one *list, void *arg)
{
	log_item(arg, item, list);
	return LRU_SKIP;
}

static enum lru_status remove_cb(struct list_head *item,
				 struct list_lru_one *list, void *arg)
{
	struct walk_log *log = arg;

	log_item(log, item, list);
	list_lru_isolate(list, item);
	return LRU_REMOVED;
}

/* Isolate, drop the lock: LRU_REMOVED_RETRY. */
static enum lru_status removed_retry_cb(struct list_head *item,
					struct list_lru_one *list, void *arg)
{
	struct walk_log *log = arg;

	log_item(log, item, list);
	list_lru_isolate_move(list, item, &log->dispose);
	cb_unlock(list);
	return LRU_REMOVED_RETRY;
}

/* Drop the lock for retry_id once (LRU_RETRY), remove others. */
static enum lru_status retry_cb(struct list_head *item,
				struct list_lru_one *list, void *arg)
{
	struct walk_log *log = arg;
	struct lru_item *it = log_item(log, item, list);

	if (it->id == log->retry_id) {
		log->retry_id = -1;
		cb_unlock(list);
		return LRU_RETRY;
	}
	list_lru_isolate(list, item);
	return LRU_REMOVED;
}

static enum lru_status stop_cb(struct list_head *item,
			       struct list_lru_one *list, void *arg)
{
	struct walk_log *log = arg;

	log_item(log, item, list);
	cb_unlock(list);
	return LRU_STOP;
}

/* ---- lists without memcgs ---------------------------------------- */

static void lru_test_add_del(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 1);
	int nid;

	for_each_online_node(nid) {
		KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid,
						     NULL));
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
		KUNIT_EXPECT_EQ(test, list_lru_count(lru), 1UL);
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid,
						     NULL));
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
		KUNIT_EXPECT_TRUE(test, list_empty(&items[0].lru));
	}
}

static void lru_test_add_twice_del_unlisted(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 2);
	int nid = first_online_node;

	KUNIT_EXPECT_FALSE(test, list_lru_del(lru, &items[1].lru, nid, NULL));
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid, NULL));
	KUNIT_EXPECT_FALSE(test, list_lru_add(lru, &items[0].lru, nid, NULL));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, NULL));
	KUNIT_EXPECT_FALSE(test, list_lru_del(lru, &items[0].lru, nid, NULL));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
}

static void lru_test_count_per_node(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes(), per_node = 5, nid;
	struct lru_item *items = make_items(test, nodes * per_node);

	KUNIT_EXPECT_GE(test, nodes, 1);
	add_round_robin(test, lru, items, nodes * per_node);
	for_each_online_node(nid) {
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid),
				(unsigned long)per_node);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL),
				(unsigned long)per_node);
	}
	KUNIT_EXPECT_EQ(test, list_lru_count(lru),
			(unsigned long)(nodes * per_node));
}

static void lru_test_del_keeps_other_nodes(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes(), i, nid;
	struct lru_item *items = make_items(test, nodes * 2);

	add_round_robin(test, lru, items, nodes * 2);
	/* delete the first item of each node */
	for (i = 0; i < nodes; i++)
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[i].lru,
						     items[i].nid, NULL));
	for_each_online_node(nid)
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
}

static void lru_test_walk_node(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 6);
	unsigned long nr = 6, removed;
	int nid = first_online_node, i;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 6; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	/* one pass: rotated items go to the tail and would be seen again */
	removed = list_lru_walk_node(lru, nid, even_odd_cb, &log, &nr);
	KUNIT_EXPECT_EQ(test, removed, 3UL);
	KUNIT_EXPECT_EQ(test, log.seen, 6);
	KUNIT_EXPECT_EQ(test, nr, 0UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 3UL);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&log.dispose), 3UL);
}

static void lru_test_walk_limit_and_stop(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 8);
	unsigned long nr = 2, removed;
	int nid = first_online_node, i;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 8; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	/* nr_to_walk bounds the walk */
	removed = list_lru_walk_node(lru, nid, even_odd_cb, &log, &nr);
	KUNIT_EXPECT_EQ(test, log.seen, 2);
	KUNIT_EXPECT_EQ(test, removed, 1UL);
	KUNIT_EXPECT_EQ(test, nr, 0UL);
	/* LRU_STOP ends the walk at once and leaves the item listed */
	log.seen = 0;
	log.stop_at = 4;
	nr = 100;
	removed = list_lru_walk_node(lru, nid, even_odd_cb, &log, &nr);
	KUNIT_EXPECT_EQ(test, removed, 1UL);
	KUNIT_EXPECT_EQ(test, log.order[log.seen - 1], 4);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 6UL);
}

static void lru_test_rotate_order(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 5);
	int nid = first_online_node, i;
	static const int want[] = { 3, 4, 0, 1, 2 };
	unsigned long nr = 3;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 5; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL, rotate_cb,
						&log, &nr), 0UL);
	/* a full pass now sees 3 4 0 1 2: rotated items went to the tail */
	log_init(&log, test);
	nr = 5;
	list_lru_walk_one(lru, nid, NULL, skip_cb, &log, &nr);
	KUNIT_ASSERT_EQ(test, log.seen, 5);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, log.order[i], want[i]);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 5UL);
}

static void lru_test_skip_leaves_items(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 4);
	int nid = first_online_node, i;
	unsigned long nr = 100;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 4; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL, skip_cb, &log,
						&nr), 0UL);
	/* skipped items are seen once each and stay in order */
	KUNIT_EXPECT_EQ(test, log.seen, 4);
	KUNIT_EXPECT_EQ(test, nr, 96UL);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, log.order[i], i);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 4UL);
}

static void lru_test_removed_retry(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 5);
	int nid = first_online_node, i;
	unsigned long nr = 100;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 5; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL,
						removed_retry_cb, &log, &nr),
			5UL);
	KUNIT_EXPECT_EQ(test, log.seen, 5);
	KUNIT_EXPECT_TRUE(test, log.lock_was_held);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&log.dispose), 5UL);
}

static void lru_test_retry_restarts(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 4);
	int nid = first_online_node, i;
	unsigned long nr = 100;
	struct walk_log log;

	log_init(&log, test);
	log.retry_id = 0;
	for (i = 0; i < 4; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	/* item 0 retries once: the walk restarts at the head and sees it again */
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL, retry_cb, &log,
						&nr), 4UL);
	KUNIT_EXPECT_EQ(test, log.seen, 5);
	KUNIT_EXPECT_EQ(test, log.order[0], 0);
	KUNIT_EXPECT_EQ(test, log.order[1], 0);
	KUNIT_EXPECT_EQ(test, nr, 95UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
}

static enum lru_status always_retry_cb(struct list_head *item,
				       struct list_lru_one *list, void *arg)
{
	log_item(arg, item, list);
	cb_unlock(list);
	return LRU_RETRY;
}

static void lru_test_retry_bounded(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 1);
	int nid = first_online_node;
	unsigned long nr = 7;
	struct walk_log log;

	/* an item that always retries cannot livelock: nr_to_walk counts */
	list_lru_add(lru, &items[0].lru, nid, NULL);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL,
						always_retry_cb, &log, &nr),
			0UL);
	KUNIT_EXPECT_EQ(test, nr, 0UL);
	KUNIT_EXPECT_EQ(test, log.seen, 7);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
}

/* LRU_STOP comes back without the lock, and the walk takes it no more */
static void lru_test_stop_drops_lock(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node, i;
	unsigned long nr = 100;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 3; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL, stop_cb, &log,
						&nr), 0UL);
	KUNIT_EXPECT_EQ(test, log.seen, 1);
	KUNIT_EXPECT_FALSE(test, lru_lock_held(log.list));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 3UL);
}

/*
 * An _irq walk whose callbacks drop the lock (RETRY, REMOVED_RETRY, STOP):
 * the walk goes on, or ends, with interrupts back on.
 */
static void lru_test_irq_walk_drops_lock(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 7);
	int nid = first_online_node, i;
	unsigned long nr = 100;
	struct walk_log log;

	for (i = 0; i < 7; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	/* item 0 retried once, then three removed: the walk restarted */
	log_init(&log, test);
	log.retry_id = 0;
	nr = 4;
	KUNIT_EXPECT_EQ(test, list_lru_walk_one_irq(lru, nid, NULL, retry_cb,
						    &log, &nr), 3UL);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_EQ(test, log.order[0], 0);
	KUNIT_EXPECT_EQ(test, log.order[1], 0);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 4UL);
	/* two isolated, each followed by a restart */
	log_init(&log, test);
	nr = 2;
	KUNIT_EXPECT_EQ(test, list_lru_walk_one_irq(lru, nid, NULL,
						    removed_retry_cb, &log,
						    &nr), 2UL);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 2UL);
	/* STOP at the first: nothing isolated, nothing taken again */
	log_init(&log, test);
	nr = 100;
	KUNIT_EXPECT_EQ(test, list_lru_walk_one_irq(lru, nid, NULL, stop_cb,
						    &log, &nr), 0UL);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, lru_lock_held(log.list));
	KUNIT_EXPECT_EQ(test, log.seen, 1);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 2UL);
}

static void lru_test_callback_context(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 1);
	int nid = first_online_node;
	unsigned long nr = 10;
	struct walk_log log;

	log_init(&log, test);
	list_lru_add(lru, &items[0].lru, nid, NULL);
	list_lru_walk_one(lru, nid, NULL, skip_cb, &log, &nr);
	KUNIT_EXPECT_TRUE(test, log.lock_was_held);
	KUNIT_EXPECT_PTR_EQ(test, log.list, &lru->node[nid].lru);
	KUNIT_EXPECT_FALSE(test, lru_lock_held(log.list));

	/* the _irq walk runs the callback with interrupts off (not on RT) */
	nr = 10;
	list_lru_walk_one_irq(lru, nid, NULL, skip_cb, &log, &nr);
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		KUNIT_EXPECT_TRUE(test, log.irqs_were_off);
	KUNIT_EXPECT_TRUE(test, log.lock_was_held);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
}

static void lru_test_isolate_helpers(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 4);
	int nid = first_online_node, i;
	unsigned long nr = 2;
	struct walk_log log;

	log_init(&log, test);
	for (i = 0; i < 4; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	/* list_lru_isolate: unlinked and re-initialised, count follows */
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, NULL, remove_cb,
						&log, &nr), 2UL);
	KUNIT_EXPECT_TRUE(test, list_empty(&items[0].lru));
	KUNIT_EXPECT_TRUE(test, list_empty(&items[1].lru));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 2UL);
	/* an isolated item can be added again */
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid, NULL));
	/* list_lru_isolate_move: onto the caller's list */
	nr = 100;
	log_init(&log, test);
	list_lru_walk_one(lru, nid, NULL, removed_retry_cb, &log, &nr);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&log.dispose), 3UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
}

static void lru_test_shrink_control(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes(), nid;
	struct lru_item *items = make_items(test, nodes * 3);
	struct walk_log log;

	add_round_robin(test, lru, items, nodes * 3);
	for_each_online_node(nid) {
		struct shrink_control sc = {
			.gfp_mask = GFP_KERNEL,
			.nid = nid,
			.nr_to_scan = 2,
		};

		log_init(&log, test);
		KUNIT_EXPECT_EQ(test, list_lru_shrink_count(lru, &sc), 3UL);
		KUNIT_EXPECT_EQ(test, list_lru_shrink_walk(lru, &sc, remove_cb,
							   &log), 2UL);
		KUNIT_EXPECT_EQ(test, sc.nr_to_scan, 0UL);
		KUNIT_EXPECT_EQ(test, list_lru_shrink_count(lru, &sc), 1UL);
		sc.nr_to_scan = 5;
		KUNIT_EXPECT_EQ(test, list_lru_shrink_walk_irq(lru, &sc,
							       remove_cb,
							       &log), 1UL);
		KUNIT_EXPECT_EQ(test, sc.nr_to_scan, 4UL);
	}
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

static void lru_test_walk_nodemask(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes(), nid, i;
	struct lru_item *items = make_items(test, nodes * 2);
	nodemask_t mask = NODE_MASK_NONE;
	unsigned long nr = 1000;
	struct walk_log log;

	if (nodes < 2)
		kunit_skip(test, "needs two online nodes");
	add_round_robin(test, lru, items, nodes * 2);
	/* every other online node */
	i = 0;
	for_each_online_node(nid)
		if (i++ % 2 == 0)
			node_set(nid, mask);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_nodemask(lru, &mask, remove_cb,
						     &log, &nr),
			(unsigned long)nodes_weight(mask) * 2);
	for (i = 0; i < nodes * 2; i++)
		KUNIT_EXPECT_EQ(test, items[i].seen,
				node_isset(items[i].nid, mask) ? 1 : 0);
	for_each_online_node(nid)
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid),
				node_isset(nid, mask) ? 0UL : 2UL);
}

static void lru_test_walk_all_budget(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes();
	struct lru_item *items = make_items(test, nodes * 4);
	struct walk_log log;

	add_round_robin(test, lru, items, nodes * 4);
	log_init(&log, test);
	/* the budget spans nodes: 4 items of the first node, 1 of the next */
	KUNIT_EXPECT_EQ(test, list_lru_walk(lru, remove_cb, &log, 5), 5UL);
	KUNIT_EXPECT_EQ(test, list_lru_count(lru),
			(unsigned long)(nodes * 4 - 5));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, first_online_node),
			0UL);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk(lru, remove_cb, &log, ULONG_MAX),
			(unsigned long)(nodes * 4 - 5));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

static void lru_test_obj_variants(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *obj[MAX_NUMNODES] = {};
	int nid;

	for_each_node_state(nid, N_MEMORY) {
		obj[nid] = kmalloc_node(sizeof(*obj[nid]), GFP_KERNEL, nid);
		KUNIT_ASSERT_NOT_NULL(test, obj[nid]);
		INIT_LIST_HEAD(&obj[nid]->lru);
		/* kmalloc_node may fall back; list_lru must follow the page */
		obj[nid]->nid = page_to_nid(virt_to_page(obj[nid]));
		KUNIT_EXPECT_TRUE(test, list_lru_add_obj(lru, &obj[nid]->lru));
		KUNIT_EXPECT_FALSE(test, list_lru_add_obj(lru, &obj[nid]->lru));
	}
	for_each_node_state(nid, N_MEMORY)
		KUNIT_EXPECT_GE(test,
				list_lru_count_node(lru, obj[nid]->nid), 1UL);
	for_each_node_state(nid, N_MEMORY) {
		KUNIT_EXPECT_TRUE(test, list_lru_del_obj(lru, &obj[nid]->lru));
		KUNIT_EXPECT_FALSE(test, list_lru_del_obj(lru, &obj[nid]->lru));
		kfree(obj[nid]);
	}
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

/*
 * The caller-locked API: one lock, any number of adds and deletes under
 * it, the same counts as list_lru_add() and list_lru_del(); the irq
 * variants leave interrupts as they found them. Checks on irqs_disabled()
 * are recorded under the lock and expected after it (a failing expectation
 * allocates).
 */
static void lru_test_caller_locked(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 2);
	int nid = first_online_node;
	struct mem_cgroup *memcg = NULL;
	bool off[3], res[6];
	struct list_lru_one *l;
	unsigned long flags;

	l = list_lru_lock(lru, nid, &memcg);
	KUNIT_EXPECT_PTR_EQ(test, l, &lru->node[nid].lru);
	res[0] = __list_lru_add(lru, l, &items[0].lru, nid, memcg);
	res[1] = __list_lru_add(lru, l, &items[0].lru, nid, memcg);
	res[2] = __list_lru_add(lru, l, &items[1].lru, nid, memcg);
	list_lru_unlock(l);
	KUNIT_EXPECT_TRUE(test, res[0]);
	KUNIT_EXPECT_FALSE(test, res[1]);
	KUNIT_EXPECT_TRUE(test, res[2]);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 2UL);

	/* PREEMPT_RT: spinlocks sleep and leave interrupts on */
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "interrupt state checks need !PREEMPT_RT");
	l = list_lru_lock_irqsave(lru, nid, &memcg, &flags);
	off[0] = irqs_disabled();
	res[3] = __list_lru_del(lru, l, &items[0].lru, nid);
	res[4] = __list_lru_del(lru, l, &items[0].lru, nid);
	list_lru_unlock_irqrestore(l, &flags);
	KUNIT_EXPECT_TRUE(test, off[0]);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_TRUE(test, res[3]);
	KUNIT_EXPECT_FALSE(test, res[4]);

	/* irqsave inside a section with interrupts off keeps them off */
	local_irq_disable();
	l = list_lru_lock_irqsave(lru, nid, &memcg, &flags);
	list_lru_unlock_irqrestore(l, &flags);
	off[1] = irqs_disabled();
	local_irq_enable();
	KUNIT_EXPECT_TRUE(test, off[1]);

	l = list_lru_lock_irqsave(lru, nid, &memcg, &flags);
	off[2] = irqs_disabled();
	res[5] = __list_lru_del(lru, l, &items[1].lru, nid);
	list_lru_unlock_irqrestore(l, &flags);
	KUNIT_EXPECT_TRUE(test, off[2]);
	KUNIT_EXPECT_TRUE(test, res[5]);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);

	KUNIT_EXPECT_TRUE(test, list_lru_add_irq(lru, &items[1].lru, nid,
						 NULL));
	KUNIT_EXPECT_FALSE(test, list_lru_add_irq(lru, &items[1].lru, nid,
						  NULL));
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, memcg, NULL);
}

static void lru_test_destroy(struct kunit *test)
{
	struct list_lru never = {};
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 2);

	/* never initialised (as in a superblock torn down early): no-op */
	list_lru_destroy(&never);
	/* unused, then twice */
	list_lru_destroy(lru);
	KUNIT_EXPECT_NULL(test, lru->node);
	list_lru_destroy(lru);
	/* with items still listed: they are forgotten, not touched */
	lru = make_lru(test);
	list_lru_add(lru, &items[0].lru, first_online_node, NULL);
	list_lru_add(lru, &items[1].lru, first_online_node, NULL);
	list_lru_destroy(lru);
	KUNIT_EXPECT_PTR_EQ(test, items[0].lru.next, &items[1].lru);
}

#ifdef CONFIG_MEMCG

/* ---- memcgs ------------------------------------------------------- */

#define FAKE_ID_BASE	60000

/* A memcg just real enough for list_lru: parent, flags and kmemcg_id. */
static struct mem_cgroup *fake_memcg(struct kunit *test,
				     struct mem_cgroup *parent, int id)
{
	struct mem_cgroup *m;

	m = kunit_kzalloc(test, struct_size(m, nodeinfo, nr_node_ids),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->css.flags = CSS_NO_REF;
	m->css.parent = &(parent ?: root_mem_cgroup)->css;
	m->kmemcg_id = FAKE_ID_BASE + id;
	return m;
}

static void fake_offline(struct list_lru *lru, struct mem_cgroup *m)
{
	m->css.flags |= CSS_DYING;
	mutex_lock(&memcg_lrus_mutex);
	lru_reparent(lru, m, parent_mem_cgroup(m));
	mutex_unlock(&memcg_lrus_mutex);
}

/* @m's items on every node, one list_lru_walk_one() per node */
static unsigned long walk_memcg(struct list_lru *lru, struct mem_cgroup *m,
				list_lru_walk_cb isolate, void *arg,
				unsigned long *nr)
{
	unsigned long isolated = 0;
	int nid;

	for_each_online_node(nid)
		isolated += list_lru_walk_one(lru, nid, m, isolate, arg, nr);
	return isolated;
}

/* @m's block, for comparing identity only (RCU is dropped) */
static struct list_lru_memcg *block_of(struct list_lru *lru,
				       struct mem_cgroup *m)
{
	struct list_lru_memcg *blk;

	rcu_read_lock();
	blk = lru_block(lru, m, memcg_kmem_id(m));
	rcu_read_unlock();
	return blk;
}

/* No memcg has a block in @lru. */
static bool no_blocks(struct list_lru *lru)
{
	unsigned long id = 0;
	bool none;

	rcu_read_lock();
	none = !lru_next_block(lru, &id);
	rcu_read_unlock();
	return none;
}

static struct list_lru *make_memcg_lru_key(struct kunit *test,
					   struct lock_class_key *key)
{
	struct list_lru *lru;

	if (mem_cgroup_disabled() || !root_mem_cgroup)
		kunit_skip(test, "memcg disabled");
	lru = make_lru_key(test, true, key);
	if (!lru_per_memcg(lru))
		kunit_skip(test, "kmem accounting disabled (cgroup.memory=nokmem)");
	return lru;
}

static struct list_lru *make_memcg_lru(struct kunit *test)
{
	return make_memcg_lru_key(test, NULL);
}

static void memcg_test_alloc_ancestors_first(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct mem_cgroup *g = fake_memcg(test, c, 3);
	struct list_lru_memcg *blk;

	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(g, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, p));
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, c));
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, g));
	/* idempotent: the same block stays */
	blk = block_of(lru, g);
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(g, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, block_of(lru, g), blk);
	/* the root never gets a block */
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(root_mem_cgroup, lru,
						   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(NULL, lru, GFP_KERNEL), 0);
}

static void memcg_test_unaware_lru_ignores_memcg(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct mem_cgroup *a;
	struct lru_item *items = make_items(test, 1);
	int nid = first_online_node;

	if (mem_cgroup_disabled() || !root_mem_cgroup)
		kunit_skip(test, "memcg disabled");
	a = fake_memcg(test, NULL, 1);
	/* no per-memcg memory at all, and the memcg argument is ignored */
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, no_blocks(lru));
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid, a));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a), 1UL);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, NULL));
}

/*
 * With kmem accounting off (cgroup.memory=nokmem) or memcg disabled
 * (cgroup_disable=memory), a memcg-aware lru (dentries, inodes, the THP
 * split queue) falls back to one list per node: adds that name a memcg
 * land there, counts and walks see every item of the node and no other,
 * and a walk frees them all. The boots with memcg slab accounting off run
 * this case; the full boot has lists per memcg.
 */
static void memcg_test_fallback_per_node(struct kunit *test)
{
	struct list_lru *lru = make_lru_flags(test, true);
	struct lru_item *items = make_items(test, 8);
	int nid = first_online_node, other = next_online_wrap(nid);
	struct mem_cgroup *a = NULL;
	unsigned long nr = 8;
	struct walk_log log;
	int i;

	if (lru_per_memcg(lru))
		kunit_skip(test, "kmem accounting on: this boot has lists per memcg");
	if (!mem_cgroup_disabled())
		a = fake_memcg(test, NULL, 1);
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, no_blocks(lru));
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE(test, add_item(lru, &items[i],
						 i < 6 ? nid : other,
						 i & 1 ? a : NULL));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 8UL);
	/* one list per node: the memcg named changes nothing */
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a),
			other != nid ? 6UL : 8UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL),
			other != nid ? 6UL : 8UL);
	if (other != nid) {
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 6UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, other), 2UL);
	}
	/* a walk of the node frees what it holds, whoever added it */
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_node(lru, nid, remove_cb, &log,
						 &nr),
			other != nid ? 6UL : 8UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), other != nid ? 2UL : 0UL);
	/* a delete naming the memcg finds the item on the node's list */
	if (other != nid) {
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[7].lru, other,
						     a));
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[6].lru, other,
						     NULL));
	}
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

static void memcg_test_counts_per_memcg(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct mem_cgroup *b = fake_memcg(test, NULL, 2);
	struct lru_item *items = make_items(test, 6);
	int nid = first_online_node, i;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(b, lru, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++)
		list_lru_add(lru, &items[i].lru, nid, a);
	for (i = 3; i < 5; i++)
		list_lru_add(lru, &items[i].lru, nid, b);
	list_lru_add(lru, &items[5].lru, nid, NULL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a), 3UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, b), 2UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, root_mem_cgroup),
			1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 6UL);
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 6UL);
	/* a delete names the memcg too */
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, a));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a), 2UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, b), 2UL);
}

static void memcg_test_walk_one_isolation(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct mem_cgroup *b = fake_memcg(test, NULL, 2);
	struct lru_item *items = make_items(test, 4);
	int nid = first_online_node;
	unsigned long nr = 100;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(b, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, a);
	list_lru_add(lru, &items[1].lru, nid, a);
	list_lru_add(lru, &items[2].lru, nid, b);
	list_lru_add(lru, &items[3].lru, nid, NULL);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, a, remove_cb, &log,
						&nr), 2UL);
	KUNIT_EXPECT_EQ(test, items[2].seen + items[3].seen, 0);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a), 0UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, b), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL), 1UL);
}

static void memcg_test_walk_memcg_all_nodes(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct mem_cgroup *b = fake_memcg(test, NULL, 2);
	int nodes = num_online_nodes(), nid, i = 0;
	struct lru_item *items = make_items(test, nodes * 2);
	unsigned long nr = 1000;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(b, lru, GFP_KERNEL), 0);
	for_each_online_node(nid) {
		add_item(lru, &items[i++], nid, a);
		add_item(lru, &items[i++], nid, b);
	}
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, walk_memcg(lru, a, remove_cb, &log, &nr),
			(unsigned long)nodes);
	for (i = 0; i < nodes * 2; i++)
		KUNIT_EXPECT_EQ(test, items[i].seen, i % 2 ? 0 : 1);
	for_each_online_node(nid) {
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, a), 0UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, b), 1UL);
	}
}

static void memcg_test_walk_node_all_memcgs(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct mem_cgroup *b = fake_memcg(test, a, 2);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node;
	unsigned long nr = 100;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(b, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, b);
	list_lru_add(lru, &items[1].lru, nid, a);
	list_lru_add(lru, &items[2].lru, nid, NULL);
	log_init(&log, test);
	/* the root's list first, then memcgs by id */
	KUNIT_EXPECT_EQ(test, list_lru_walk_node(lru, nid, remove_cb, &log,
						 &nr), 3UL);
	KUNIT_EXPECT_EQ(test, log.order[0], 2);
	KUNIT_EXPECT_EQ(test, log.order[1], 1);
	KUNIT_EXPECT_EQ(test, log.order[2], 0);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
}

static void memcg_test_reparent_moves_items(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	int nodes = num_online_nodes(), nid, i = 0;
	struct lru_item *items = make_items(test, nodes * 3);
	unsigned long nr = 1000;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	for_each_online_node(nid) {
		add_item(lru, &items[i++], nid, p);
		add_item(lru, &items[i++], nid, c);
		add_item(lru, &items[i++], nid, c);
	}
	fake_offline(lru, c);
	KUNIT_EXPECT_FALSE(test, lru_has_block(lru, c));
	for_each_online_node(nid) {
		/* counts moved with the items; none lost, none doubled */
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 0UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 3UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 3UL);
	}
	/* the dead child's items, in their order, ahead of the parent's */
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, walk_memcg(lru, p, remove_cb, &log,
					 &nr), (unsigned long)nodes * 3);
	KUNIT_EXPECT_EQ(test, log.order[0], 1);
	KUNIT_EXPECT_EQ(test, log.order[1], 2);
	KUNIT_EXPECT_EQ(test, log.order[2], 0);
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

/*
 * A dead memcg's items are the first its parent's walk reaches: reclaim
 * takes a dying memcg's cache before the live parent's, as mainline does.
 */
static void memcg_test_reparent_dead_first(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node;
	unsigned long nr = 1;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	add_item(lru, &items[0], nid, p);	/* A */
	add_item(lru, &items[1], nid, p);	/* B */
	add_item(lru, &items[2], nid, c);	/* C */
	fake_offline(lru, c);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, p, remove_cb, &log,
						&nr), 1UL);
	KUNIT_EXPECT_EQ(test, log.seen, 1);
	KUNIT_EXPECT_EQ(test, log.order[0], 2);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 2UL);
}

static void memcg_test_dead_memcg_redirects(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node;
	unsigned long nr = 100;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, c);
	fake_offline(lru, c);
	/* items still named by the dead memcg are found in the parent */
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, c));
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[1].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 0UL);
	/* and deleted naming either */
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[1].lru, nid, p));
	/* a walk of the dead memcg sees nothing; its items are the parent's */
	list_lru_add(lru, &items[2].lru, nid, c);
	log_init(&log, test);
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, c, remove_cb, &log,
						&nr), 0UL);
	KUNIT_EXPECT_EQ(test, log.seen, 0);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
	/* a dying memcg gets no new lists */
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, lru_has_block(lru, c));
}

/*
 * list_lru_lock() places like list_lru_add(): the memcg's own list, the
 * nearest ancestor's when a dying memcg has none, the parent's once it died;
 * and says which memcg owns the list it locked.
 */
static void memcg_test_caller_locked(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct mem_cgroup *g = fake_memcg(test, c, 3);
	struct lru_item *items = make_items(test, 2);
	int nid = first_online_node;
	struct list_lru_one *l;
	unsigned long flags;
	struct mem_cgroup *m;
	bool res[3];

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	m = c;
	l = list_lru_lock(lru, nid, &m);
	res[0] = __list_lru_add(lru, l, &items[0].lru, nid, m);
	list_lru_unlock(l);
	KUNIT_EXPECT_PTR_EQ(test, m, c);
	KUNIT_EXPECT_TRUE(test, res[0]);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 1UL);

	/* dying without lists of its own: the parent's, as an add's */
	g->css.flags |= CSS_DYING;
	m = g;
	l = list_lru_lock(lru, nid, &m);
	res[1] = __list_lru_add(lru, l, &items[1].lru, nid, m);
	list_lru_unlock(l);
	KUNIT_EXPECT_PTR_EQ(test, m, c);
	KUNIT_EXPECT_TRUE(test, res[1]);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[1].lru, nid, g));

	/*
	 * Dead: its items and its lock are the parent's. The irqsave climb
	 * past the dead list restores the caller's interrupt state.
	 */
	fake_offline(lru, c);
	m = c;
	l = list_lru_lock_irqsave(lru, nid, &m, &flags);
	res[2] = __list_lru_del(lru, l, &items[0].lru, nid);
	list_lru_unlock_irqrestore(l, &flags);
	KUNIT_EXPECT_PTR_EQ(test, m, p);
	KUNIT_EXPECT_TRUE(test, res[2]);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 0UL);
	/* PREEMPT_RT: spinlocks sleep and leave interrupts on */
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return;
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	local_irq_disable();
	m = c;
	l = list_lru_lock_irqsave(lru, nid, &m, &flags);
	list_lru_unlock_irqrestore(l, &flags);
	res[0] = irqs_disabled();
	local_irq_enable();
	KUNIT_EXPECT_PTR_EQ(test, m, p);
	KUNIT_EXPECT_TRUE(test, res[0]);
}

static void memcg_test_reparent_chain(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct mem_cgroup *g = fake_memcg(test, c, 3);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(g, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, g);
	list_lru_add(lru, &items[1].lru, nid, c);
	fake_offline(lru, g);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 2UL);
	fake_offline(lru, c);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 2UL);
	/* the grandchild's items follow two deaths up to the grandparent */
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[2].lru, nid, g));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 3UL);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, g));
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[1].lru, nid, c));
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[2].lru, nid, p));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

static void memcg_test_reparent_to_root(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct lru_item *items = make_items(test, 2);
	int nid = first_online_node;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(a, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, a);
	list_lru_add(lru, &items[1].lru, nid, NULL);
	fake_offline(lru, a);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL), 2UL);
	KUNIT_EXPECT_TRUE(test, no_blocks(lru));
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, a));
}

/* Reparent from inside a callback that dropped the lock: the walk stops. */
struct reparent_in_cb {
	struct walk_log log;
	struct list_lru *lru;
	struct mem_cgroup *victim;
};

static enum lru_status reparenting_cb(struct list_head *item,
				      struct list_lru_one *list, void *arg)
{
	struct reparent_in_cb *r = arg;

	log_item(&r->log, item, list);
	cb_unlock(list);
	fake_offline(r->lru, r->victim);
	return LRU_RETRY;
}

static void memcg_test_walk_survives_reparent(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 3);
	int nid = first_online_node, i, idx;
	struct reparent_in_cb r;
	unsigned long nr = 100;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++)
		list_lru_add(lru, &items[i].lru, nid, c);
	log_init(&r.log, test);
	r.lru = lru;
	r.victim = c;
	/* keeps c's retired block, which the lock check below reads */
	idx = srcu_read_lock(&lru_walk_srcu);
	/* the walker notices its list died and touches it no more */
	KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, c, reparenting_cb,
						&r, &nr), 0UL);
	KUNIT_EXPECT_FALSE(test, lru_lock_held(r.log.list));
	srcu_read_unlock(&lru_walk_srcu, idx);
	KUNIT_EXPECT_EQ(test, r.log.seen, 1);
	KUNIT_EXPECT_EQ(test, nr, 99UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 3UL);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Fail the next @n allocations of memcg lists (blocks or table) made by
 * this task, quietly; 0 turns it off. Other tasks' allocations, real
 * memcgs' included, are not failed.
 */
static void fail_next_allocs(int n)
{
	if (!n) {
		/* off first, then the filter: no window failing everyone */
		atomic_set(&list_lru_fail_alloc.times, 0);
		atomic_set(&list_lru_fail_alloc.space, 0);
		list_lru_fail_alloc.probability = 0;
		list_lru_fail_alloc.task_filter = false;
		current->make_it_fail = 0;
		return;
	}
	list_lru_fail_alloc.verbose = 0;
	list_lru_fail_alloc.interval = 1;
	current->make_it_fail = 1;
	list_lru_fail_alloc.task_filter = true;
	list_lru_fail_alloc.probability = 100;
	atomic_set(&list_lru_fail_alloc.times, n);
}

static void fail_off_action(void *unused)
{
	fail_next_allocs(0);
}

/* fail_next_allocs(), undone at the end of the test even if it aborts */
static void arm_failures(struct kunit *test, int n)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fail_off_action,
							NULL), 0);
	fail_next_allocs(n);
}
#endif

/*
 * A block that cannot be allocated fails memcg_list_lru_alloc(), and so
 * the object's allocation, as in mainline: nothing half-made, no count
 * touched, nothing remembered. The next call that gets memory installs
 * the block, and the memcg's items go to its own lists.
 */
static void memcg_test_alloc_failure(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 2);
	int nid = first_online_node;

#ifndef CONFIG_FAULT_INJECTION
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
#else
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(p, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, nid, p);

	arm_failures(test, 1);
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL),
			-ENOMEM);
	fail_next_allocs(0);
	KUNIT_EXPECT_FALSE(test, lru_has_block(lru, c));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 1UL);

	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, c));
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[1].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[1].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 1UL);
#endif
}

/*
 * memcg_list_lru_alloc() for a child whose parent has no lists either, on
 * a fresh lru, ids in different top slots: seven allocations that can
 * fail, each a node of the table or a block: the top node, the parent's
 * mid node, leaf and block, the child's mid node, leaf and block. Fail
 * each in turn: -ENOMEM every time, the parent's block there only once it
 * was made, never the child's; then a call that gets memory completes the
 * chain.
 */
static void memcg_test_table_grow_failure(struct kunit *test)
{
	struct mem_cgroup *p = fake_memcg(test, NULL, 0);
	struct mem_cgroup *c = fake_memcg(test, p, 0);
	struct list_lru *lru;
	int n;

#ifndef CONFIG_FAULT_INJECTION
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
#else
	p->kmemcg_id = FAKE_ID_BASE + 3;
	c->kmemcg_id = BIT(MEM_CGROUP_ID_SHIFT) - 5;
	KUNIT_ASSERT_NE(test, LRU_TOP_IDX(p->kmemcg_id),
			LRU_TOP_IDX(c->kmemcg_id));
	for (n = 1; n <= 7; n++) {
		lru = make_memcg_lru(test);
		arm_failures(test, 1);
		/* let n - 1 allocations through, fail the n-th */
		atomic_set(&list_lru_fail_alloc.space, n);
		KUNIT_EXPECT_EQ_MSG(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL),
				    -ENOMEM, "failing allocation %d", n);
		fail_next_allocs(0);
		KUNIT_EXPECT_EQ_MSG(test, lru_has_block(lru, p), n > 4,
				    "failing allocation %d", n);
		KUNIT_EXPECT_FALSE(test, lru_has_block(lru, c));
		KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
		KUNIT_EXPECT_TRUE(test, lru_has_block(lru, p));
		KUNIT_EXPECT_TRUE(test, lru_has_block(lru, c));
		KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
	}
#endif
}

/*
 * No allocation list_lru makes grows with the number of memcgs: the
 * lists of the highest id a memcg can have, on a fresh lru and next to a
 * low id, cost no kmalloc() larger than an xarray node (what mainline's
 * list_lru allocates per 64 ids) or the memcg's own block of lists.
 */
#ifdef CONFIG_TRACEPOINTS
/* the largest kmalloc() request the watched task made, in task context */
static struct task_struct *kmalloc_watched;
static size_t kmalloc_largest;

static void kmalloc_probe(void *data, unsigned long call_site,
			  const void *ptr, size_t bytes_req,
			  size_t bytes_alloc, gfp_t gfp, int node)
{
	/* not an interrupt's, not slab's own (those add flags to ours) */
	if (current == READ_ONCE(kmalloc_watched) && in_task() &&
	    gfp == GFP_KERNEL)
		kmalloc_largest = max(kmalloc_largest, bytes_req);
}

static void kmalloc_unwatch(void *unused)
{
	WRITE_ONCE(kmalloc_watched, NULL);
	unregister_trace_kmalloc(kmalloc_probe, NULL);
	tracepoint_synchronize_unregister();
}

static void memcg_test_table_node_size(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *lo = fake_memcg(test, NULL, 0);
	struct mem_cgroup *hi = fake_memcg(test, NULL, 0);
	size_t bound = max(sizeof(struct xa_node),
			   struct_size_t(struct list_lru_memcg, node,
					 max_t(int, nr_node_ids,
					       LRU_OWNER_LISTS)));

	lo->kmemcg_id = FAKE_ID_BASE + 1;
	hi->kmemcg_id = BIT(MEM_CGROUP_ID_SHIFT) - 1;
	KUNIT_ASSERT_EQ(test, register_trace_kmalloc(kmalloc_probe, NULL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kmalloc_unwatch,
							NULL), 0);
	kmalloc_largest = 0;
	WRITE_ONCE(kmalloc_watched, current);
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(hi, lru, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(lo, lru, GFP_KERNEL), 0);
	WRITE_ONCE(kmalloc_watched, NULL);
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, hi));
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, lo));
	KUNIT_EXPECT_GT(test, kmalloc_largest, 0);
	KUNIT_EXPECT_LE(test, kmalloc_largest, bound);
}
#else
static void memcg_test_table_node_size(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_TRACEPOINTS");
}
#endif

static void memcg_test_destroy_with_memcg_lists(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *a = fake_memcg(test, NULL, 1);
	struct mem_cgroup *b = fake_memcg(test, a, 2);
	struct lru_item *items = make_items(test, 2);

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(b, lru, GFP_KERNEL), 0);
	list_lru_add(lru, &items[0].lru, first_online_node, b);
	fake_offline(lru, b);
	list_lru_destroy(lru);
	KUNIT_EXPECT_NULL(test, lru->node);
	list_lru_destroy(lru);
}

/* Adders and deleters naming a memcg while it is reparented. */
struct churn {
	struct list_lru *lru;
	struct mem_cgroup *memcg;
	struct lru_item *items;
	int nr;
	int nid;
	bool *on_list;
	atomic_t *stop;
	struct completion done;
	unsigned long ops;
};

static int churn_fn(void *arg)
{
	struct churn *ch = arg;
	unsigned int seed = ch->nr;
	int i;

	while (!atomic_read(ch->stop)) {
		seed = seed * 1103515245 + 12345;
		i = (seed >> 8) % ch->nr;
		if (ch->on_list[i])
			ch->on_list[i] = !list_lru_del(ch->lru,
						       &ch->items[i].lru,
						       ch->nid, ch->memcg);
		else
			ch->on_list[i] = list_lru_add(ch->lru,
						      &ch->items[i].lru,
						      ch->nid, ch->memcg);
		ch->ops++;
		if (!(ch->ops % 64))
			cond_resched();
	}
	complete(&ch->done);
	return 0;
}

static void memcg_test_reparent_under_churn(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c[2] = { fake_memcg(test, p, 2),
				    fake_memcg(test, p, 3) };
	const int per = 256;
	struct lru_item *items = make_items(test, 2 * per);
	bool *on_list = kunit_kcalloc(test, 2 * per, sizeof(bool), GFP_KERNEL);
	struct churn ch[2];
	atomic_t stop = ATOMIC_INIT(0);
	unsigned long listed = 0, nr = ULONG_MAX;
	int nid = first_online_node, t, i;
	struct walk_log log;

	KUNIT_ASSERT_NOT_NULL(test, on_list);
	for (t = 0; t < 2; t++) {
		KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c[t], lru,
							   GFP_KERNEL), 0);
		ch[t] = (struct churn){
			.lru = lru, .memcg = c[t], .items = items + t * per,
			.nr = per, .nid = nid, .on_list = on_list + t * per,
			.stop = &stop,
		};
		init_completion(&ch[t].done);
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(churn_fn, &ch[t],
							    "lru_churn%d", t)));
	}
	/* let both run, kill one memcg under them, let them run on */
	msleep(20);
	fake_offline(lru, c[0]);
	msleep(20);
	atomic_set(&stop, 1);
	for (t = 0; t < 2; t++)
		wait_for_completion(&ch[t].done);

	/* every item on a list exactly once, and the counts agree */
	log_init(&log, test);
	list_lru_walk_node(lru, nid, skip_cb, &log, &nr);
	for (i = 0; i < 2 * per; i++) {
		KUNIT_EXPECT_EQ(test, items[i].seen, on_list[i] ? 1 : 0);
		listed += on_list[i];
	}
	KUNIT_EXPECT_EQ(test, (unsigned long)log.seen, listed);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), listed);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p) +
			list_lru_count_one(lru, nid, c[1]), listed);
	KUNIT_EXPECT_GT(test, ch[0].ops, 0UL);
	KUNIT_EXPECT_GT(test, ch[1].ops, 0UL);
}

/* ---- forced interleavings (lru_park.h) ------------------------------- */

struct offliner {
	struct list_lru *lru;
	struct mem_cgroup *memcg;
	struct completion done;
};

static int offliner_fn(void *arg)
{
	struct offliner *o = arg;

	fake_offline(o->lru, o->memcg);
	complete(&o->done);
	return 0;
}

/* The raw count of @m's list on @nid, dead or alive (caller keeps it). */
static long raw_count(struct list_lru *lru, int nid, struct mem_cgroup *m)
{
	struct list_lru_one *l;
	long n;

	rcu_read_lock();
	l = lru_list_of(lru, nid, m);
	n = l ? READ_ONCE(l->nr_items) : LONG_MAX;
	rcu_read_unlock();
	return n;
}

/*
 * Reparenting stopped after node @stop: the lists up to @stop are dead,
 * the later ones still @c's. Deletes and adds naming @c, on every node,
 * must find the list the item is on: @c's own where it is alive, @p's
 * where it died. Run once per node, so that every position is covered,
 * the last one (every list dead, the block still in the table) included.
 */
static void reparent_parked_at(struct kunit *test, int stop)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	int nodes = num_online_nodes(), nid, i = 0;
	struct lru_item *items = make_items(test, nodes * 3);
	struct offliner o = { .lru = lru, .memcg = c };
	struct task_struct *task;
	unsigned long nr = ULONG_MAX;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	for_each_online_node(nid) {
		add_item(lru, &items[i++], nid, c);
		add_item(lru, &items[i++], nid, c);
	}
	init_completion(&o.done);
	task = lru_park_start(offliner_fn, &o, LRU_PARK_REPARENT_NODE, stop);
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&o.done));

	i = 0;
	for_each_online_node(nid) {
		struct mem_cgroup *m = c;

		/* the lock a caller-locked user gets: the parent's once moved */
		list_lru_unlock(list_lru_lock(lru, nid, &m));
		KUNIT_EXPECT_PTR_EQ(test, m, nid <= stop ? p : c);
		/* the first of the two, then a new one */
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[i].lru, nid,
						     c));
		KUNIT_EXPECT_TRUE(test, add_item(lru, &items[2 * nodes + i / 2],
						 nid, c));
		/* nothing went below zero, nothing was taken for dead */
		KUNIT_EXPECT_EQ(test, raw_count(lru, nid, p),
				nid <= stop ? 2L : 0L);
		i += 2;
	}
	lru_park_release();
	wait_for_completion(&o.done);

	/* all of @c's items, old and new, are @p's now, once each */
	log_init(&log, test);
	for_each_online_node(nid) {
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 2UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 2UL);
	}
	KUNIT_EXPECT_EQ(test, walk_memcg(lru, p, skip_cb, &log, &nr),
			0UL);
	KUNIT_EXPECT_EQ(test, log.seen, 2 * nodes);
	for (i = 0; i < 3 * nodes; i++)
		KUNIT_EXPECT_EQ(test, items[i].seen, i % 2 || i >= 2 * nodes);
}

static void memcg_test_reparent_parked_each_node(struct kunit *test)
{
	int nid;

	for_each_online_node(nid) {
		kunit_info(test, "reparenting parked after node %d\n", nid);
		reparent_parked_at(test, nid);
	}
}

/*
 * A memcg's id is reused by the next memcg as soon as the memcg is offline.
 * Whoever still holds the dead memcg must reach its ancestors' lists, never
 * the new owner's: adds, deletes, counts and walks alike.
 */
static void memcg_test_dead_memcg_id_reused(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *dead = fake_memcg(test, p, 2);
	struct mem_cgroup *next = fake_memcg(test, p, 2);
	int nodes = num_online_nodes(), nid, i;
	struct lru_item *items = make_items(test, nodes * 3);
	struct lru_item *old = items, *new = items + nodes;
	struct lru_item *stale = items + 2 * nodes;
	unsigned long nr;
	struct walk_log log;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(dead, lru, GFP_KERNEL), 0);
	i = 0;
	for_each_online_node(nid)
		add_item(lru, &old[i++], nid, dead);
	fake_offline(lru, dead);
	/* same kmem id, new memcg */
	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(next, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, lru_has_block(lru, dead));
	i = 0;
	for_each_online_node(nid) {
		add_item(lru, &new[i], nid, next);
		/* a stale add goes to the parent, not to @next */
		KUNIT_EXPECT_TRUE(test, add_item(lru, &stale[i], nid, dead));
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, next), 1UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 2UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, dead), 0UL);
		/* a stale walk sees nothing of @next's */
		log_init(&log, test);
		nr = 100;
		KUNIT_EXPECT_EQ(test, list_lru_walk_one(lru, nid, dead, skip_cb,
							&log, &nr), 0UL);
		KUNIT_EXPECT_EQ(test, log.seen, 0);
		/* a stale delete unlinks from the parent's list */
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &old[i].lru, nid,
						     dead));
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, next), 1UL);
		i++;
	}
}

/* A thread that installs @memcg's lists, or adds @item for @memcg */
struct lru_thread {
	struct list_lru *lru;
	struct mem_cgroup *memcg;
	struct list_head *item;
	int nid, err;
	struct completion done;
};

static int lru_thread_fn(void *arg)
{
	struct lru_thread *t = arg;

	if (t->item)
		list_lru_add(t->lru, t->item, t->nid, t->memcg);
	else
		t->err = memcg_list_lru_alloc(t->memcg, t->lru, GFP_KERNEL);
	complete(&t->done);
	return 0;
}

/*
 * A node of the table made by one thread while another publishes the same
 * slot: the loser's node is freed, the winner's keeps its block, and the
 * loser goes on to make the rest of its own path.
 */
static void memcg_test_table_grow_race(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *near = fake_memcg(test, NULL, 0);
	struct mem_cgroup *far = fake_memcg(test, NULL, 0);
	struct lru_thread in = { .lru = lru, .memcg = far };
	struct task_struct *task;

	/* both need the top node; far, a mid node of its own */
	near->kmemcg_id = FAKE_ID_BASE + 3;
	far->kmemcg_id = (1 << MEM_CGROUP_ID_SHIFT) - 36;
	init_completion(&in.done);
	task = lru_park_start(lru_thread_fn, &in, LRU_PARK_TABLE_GROW,
			      far->kmemcg_id);
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&in.done));
	/* the parked thread holds a top node for a table that had none */
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(near, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, near));
	lru_park_release();
	wait_for_completion(&in.done);
	KUNIT_EXPECT_EQ(test, in.err, 0);
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, near));
	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, far));
}

/* A thread that reads list_lru_count_node() of @nid into @count */
struct counter {
	struct list_lru *lru;
	int nid;
	unsigned long count;
	struct completion done;
};

static int counter_fn(void *arg)
{
	struct counter *c = arg;

	c->count = list_lru_count_node(c->lru, c->nid);
	complete(&c->done);
	return 0;
}

/*
 * list_lru_count_node() parked after it added the parent's list, while the
 * child (a higher id, summed later) is reparented: the child's items, now
 * on the parent's list, are still counted, once. shrink_dcache_sb() stops
 * when the count reads 0.
 */
static void memcg_test_count_vs_reparent(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 4);
	int nid = first_online_node, i;
	struct counter cnt = { .lru = lru, .nid = nid };
	struct task_struct *task;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	add_item(lru, &items[0], nid, p);
	for (i = 1; i < 4; i++)
		add_item(lru, &items[i], nid, c);
	init_completion(&cnt.done);
	task = lru_park_start(counter_fn, &cnt, LRU_PARK_COUNT_BLOCK,
			      memcg_kmem_id(p));
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&cnt.done));
	fake_offline(lru, c);
	lru_park_release();
	wait_for_completion(&cnt.done);
	KUNIT_EXPECT_EQ(test, cnt.count, 4UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 4UL);
}

/*
 * A memcg being removed (dying, offline not yet run) with no block yet,
 * and an add for it that found no block: it is parked before deciding to
 * go to the parent. Meanwhile an installer that saw the memcg alive a
 * moment before (played here by clearing the flag around the call)
 * publishes the memcg's block. The add must then use that block, or a
 * delete naming the memcg would unlink from the parent's list under the
 * memcg's lock.
 */
static void memcg_test_dying_climb_vs_install(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 1);
	int nid = first_online_node;
	struct lru_thread a = { .lru = lru, .item = &items[0].lru,
			       .memcg = c, .nid = nid };
	struct task_struct *task;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(p, lru, GFP_KERNEL), 0);
	/* rmdir has begun: dying, still online */
	c->css.flags |= CSS_ONLINE | CSS_DYING;
	init_completion(&a.done);
	task = lru_park_start(lru_thread_fn, &a, LRU_PARK_NO_BLOCK,
			      memcg_kmem_id(c));
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&a.done));
	c->css.flags &= ~CSS_DYING;
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	c->css.flags |= CSS_DYING;
	lru_park_release();
	wait_for_completion(&a.done);

	KUNIT_EXPECT_TRUE(test, lru_has_block(lru, c));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, c), 1UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 0UL);
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
	/* offline, as cgroup core does it: reparent, then not online */
	fake_offline(lru, c);
	c->css.flags &= ~CSS_ONLINE;
}

/*
 * An add for a memcg that is dying (still online) and has no block goes
 * to the parent, and no block is made for it afterwards.
 */
static void memcg_test_dying_add_goes_up(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *p = fake_memcg(test, NULL, 1);
	struct mem_cgroup *c = fake_memcg(test, p, 2);
	struct lru_item *items = make_items(test, 1);
	int nid = first_online_node;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(p, lru, GFP_KERNEL), 0);
	c->css.flags |= CSS_ONLINE | CSS_DYING;
	KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, p), 1UL);
	KUNIT_EXPECT_EQ(test, memcg_list_lru_alloc(c, lru, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, lru_has_block(lru, c));
	KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid, c));
	KUNIT_EXPECT_EQ(test, list_lru_count(lru), 0UL);
}

/*
 * An install that chose a memcg while it was live, then stalled (direct
 * reclaim in its allocations) while the memcg died and a new memcg got its
 * id and a block: the late install must give up quietly, not warn and
 * not touch the new memcg's block.
 */
static void memcg_test_install_after_id_reuse(struct kunit *test)
{
	struct list_lru *lru = make_memcg_lru(test);
	struct mem_cgroup *old = fake_memcg(test, NULL, 3);
	struct mem_cgroup *new = fake_memcg(test, NULL, 3);
	struct list_lru_memcg *blk;

	KUNIT_ASSERT_EQ(test, memcg_list_lru_alloc(new, lru, GFP_KERNEL), 0);
	blk = block_of(lru, new);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	old->css.flags |= CSS_DYING;
	KUNIT_EXPECT_EQ(test, lru_block_install(lru, old, GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, block_of(lru, new), blk);
	KUNIT_EXPECT_NULL(test, block_of(lru, old));
}

#endif /* CONFIG_MEMCG */

static struct kunit_case list_lru_cases[] = {
	KUNIT_CASE(lru_test_add_del),
	KUNIT_CASE(lru_test_add_twice_del_unlisted),
	KUNIT_CASE(lru_test_count_per_node),
	KUNIT_CASE(lru_test_del_keeps_other_nodes),
	KUNIT_CASE(lru_test_walk_node),
	KUNIT_CASE(lru_test_walk_limit_and_stop),
	KUNIT_CASE(lru_test_rotate_order),
	KUNIT_CASE(lru_test_skip_leaves_items),
	KUNIT_CASE(lru_test_removed_retry),
	KUNIT_CASE(lru_test_retry_restarts),
	KUNIT_CASE(lru_test_retry_bounded),
	KUNIT_CASE(lru_test_stop_drops_lock),
	KUNIT_CASE(lru_test_irq_walk_drops_lock),
	KUNIT_CASE(lru_test_callback_context),
	KUNIT_CASE(lru_test_isolate_helpers),
	KUNIT_CASE(lru_test_shrink_control),
	KUNIT_CASE(lru_test_walk_nodemask),
	KUNIT_CASE(lru_test_walk_all_budget),
	KUNIT_CASE(lru_test_obj_variants),
	KUNIT_CASE(lru_test_caller_locked),
	KUNIT_CASE(lru_test_destroy),
#ifdef CONFIG_MEMCG
	KUNIT_CASE(memcg_test_alloc_ancestors_first),
	KUNIT_CASE(memcg_test_unaware_lru_ignores_memcg),
	KUNIT_CASE(memcg_test_fallback_per_node),
	KUNIT_CASE(memcg_test_counts_per_memcg),
	KUNIT_CASE(memcg_test_walk_one_isolation),
	KUNIT_CASE(memcg_test_walk_memcg_all_nodes),
	KUNIT_CASE(memcg_test_walk_node_all_memcgs),
	KUNIT_CASE(memcg_test_reparent_moves_items),
	KUNIT_CASE(memcg_test_reparent_dead_first),
	KUNIT_CASE(memcg_test_dead_memcg_redirects),
	KUNIT_CASE(memcg_test_caller_locked),
	KUNIT_CASE(memcg_test_reparent_chain),
	KUNIT_CASE(memcg_test_reparent_to_root),
	KUNIT_CASE(memcg_test_walk_survives_reparent),
	KUNIT_CASE(memcg_test_alloc_failure),
	KUNIT_CASE(memcg_test_table_grow_failure),
	KUNIT_CASE(memcg_test_table_node_size),
	KUNIT_CASE(memcg_test_destroy_with_memcg_lists),
	KUNIT_CASE_SLOW(memcg_test_reparent_under_churn),
	KUNIT_CASE(memcg_test_reparent_parked_each_node),
	KUNIT_CASE(memcg_test_dead_memcg_id_reused),
	KUNIT_CASE(memcg_test_table_grow_race),
	KUNIT_CASE(memcg_test_count_vs_reparent),
	KUNIT_CASE(memcg_test_dying_climb_vs_install),
	KUNIT_CASE(memcg_test_dying_add_goes_up),
	KUNIT_CASE(memcg_test_install_after_id_reuse),
#endif
	{}
};

static struct kunit_suite list_lru_suite = {
	.name = "list_lru",
	.test_cases = list_lru_cases,
};

kunit_test_suite(list_lru_suite);
