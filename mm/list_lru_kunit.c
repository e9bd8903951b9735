// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "list_lru": private list_lrus exercised on every online node.
 */
#include <kunit/test.h>
#include <linux/list_lru.h>
#include <linux/nodemask.h>
#include <linux/slab.h>

struct lru_item {
	struct list_head lru;
	int nid;
	int id;
};

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

static struct list_lru *make_lru(struct kunit *test)
{
	struct list_lru *lru;

	lru = kunit_kzalloc(test, sizeof(*lru), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lru);
	KUNIT_ASSERT_EQ(test, list_lru_init(lru), 0);
	return lru;
}

/* Spread @n items over the online nodes, round robin. */
static void add_round_robin(struct kunit *test, struct list_lru *lru,
			    struct lru_item *items, int n)
{
	int i, nid = first_online_node;

	for (i = 0; i < n; i++) {
		items[i].nid = nid;
		KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[i].lru, nid,
						     NULL));
		nid = next_online_node(nid);
		if (nid >= MAX_NUMNODES)
			nid = first_online_node;
	}
}

static void lru_test_add_del(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 1);
	int nid;

	for_each_online_node(nid) {
		KUNIT_EXPECT_TRUE(test, list_lru_add(lru, &items[0].lru, nid,
						     NULL));
		/* a second add of a listed item is refused */
		KUNIT_EXPECT_FALSE(test, list_lru_add(lru, &items[0].lru, nid,
						      NULL));
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 1UL);
		KUNIT_EXPECT_EQ(test, list_lru_count(lru), 1UL);
		KUNIT_EXPECT_TRUE(test, list_lru_del(lru, &items[0].lru, nid,
						     NULL));
		KUNIT_EXPECT_FALSE(test, list_lru_del(lru, &items[0].lru, nid,
						      NULL));
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 0UL);
	}
	list_lru_destroy(lru);
}

static void lru_test_count_per_node(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	int nodes = num_online_nodes(), per_node = 5, nid;
	struct lru_item *items = make_items(test, nodes * per_node);

	add_round_robin(test, lru, items, nodes * per_node);
	for_each_online_node(nid) {
		KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid),
				(unsigned long)per_node);
		KUNIT_EXPECT_EQ(test, list_lru_count_one(lru, nid, NULL),
				(unsigned long)per_node);
	}
	KUNIT_EXPECT_EQ(test, list_lru_count(lru),
			(unsigned long)(nodes * per_node));
	list_lru_destroy(lru);
}

struct walk_log {
	int seen;
	int order[16];
	int stop_at;
	struct list_head dispose;
};

/* Remove even ids onto a private dispose list, rotate odd ones. */
static enum lru_status even_odd_cb(struct list_head *item,
				   struct list_lru_one *list,
				   spinlock_t *lock, void *arg)
{
	struct lru_item *it = container_of(item, struct lru_item, lru);
	struct walk_log *log = arg;

	if (log->seen < ARRAY_SIZE(log->order))
		log->order[log->seen] = it->id;
	log->seen++;
	if (it->id == log->stop_at)
		return LRU_STOP;
	if (it->id & 1)
		return LRU_ROTATE;
	list_lru_isolate_move(list, item, &log->dispose);
	return LRU_REMOVED;
}

static void lru_test_walk_node(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 6);
	struct walk_log log = { .stop_at = -1 };
	unsigned long nr = 6, removed;
	int nid = first_online_node, i;

	INIT_LIST_HEAD(&log.dispose);
	/* one pass: rotated items go to the tail and would be seen again */
	for (i = 0; i < 6; i++)
		list_lru_add(lru, &items[i].lru, nid, NULL);
	removed = list_lru_walk_node(lru, nid, even_odd_cb, &log, &nr);
	KUNIT_EXPECT_EQ(test, removed, 3UL);
	KUNIT_EXPECT_EQ(test, log.seen, 6);
	KUNIT_EXPECT_EQ(test, nr, 0UL);
	KUNIT_EXPECT_EQ(test, list_lru_count_node(lru, nid), 3UL);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&log.dispose), 3UL);
	list_lru_destroy(lru);
}

static void lru_test_walk_limit_and_stop(struct kunit *test)
{
	struct list_lru *lru = make_lru(test);
	struct lru_item *items = make_items(test, 8);
	struct walk_log log = { .stop_at = -1 };
	unsigned long nr = 2, removed;
	int nid = first_online_node, i;

	INIT_LIST_HEAD(&log.dispose);
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
	list_lru_destroy(lru);
}

static void lru_test_destroy(struct kunit *test)
{
	struct list_lru never = {};
	struct list_lru *lru = make_lru(test);

	/* never initialised (as in a superblock torn down early): no-op */
	list_lru_destroy(&never);
	/* unused */
	list_lru_destroy(lru);
	/* twice */
	list_lru_destroy(lru);
	KUNIT_SUCCEED(test);
}

static struct kunit_case list_lru_cases[] = {
	KUNIT_CASE(lru_test_add_del),
	KUNIT_CASE(lru_test_count_per_node),
	KUNIT_CASE(lru_test_walk_node),
	KUNIT_CASE(lru_test_walk_limit_and_stop),
	KUNIT_CASE(lru_test_destroy),
	{}
};

static struct kunit_suite list_lru_suite = {
	.name = "list_lru",
	.test_cases = list_lru_cases,
};
kunit_test_suite(list_lru_suite);

MODULE_DESCRIPTION("KUnit tests for list_lru");
MODULE_LICENSE("GPL");
