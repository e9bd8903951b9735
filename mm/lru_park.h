/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Park points: named places in list_lru, the shrinker core and the
 * pressure listeners where the KUnit suites can stop one chosen thread, act
 * from another thread while it is stopped, then let it go. A race that
 * needs a thread to be between two steps is then run on purpose instead of
 * hoped for.
 *
 * Only the test kernel has them (a KUnit suite of list_lru or the shrinker
 * core built in, which builds mm/lru_park.c); everywhere else
 * lru_park_here() is an empty inline.
 */
#ifndef _MM_LRU_PARK_H
#define _MM_LRU_PARK_H

struct completion;
struct task_struct;

/**
 * enum lru_park_point - where a thread can be parked
 * @LRU_PARK_NONE: no point armed
 * @LRU_PARK_REPARENT_NODE: lru_reparent() has moved the items of node
 *	@arg and marked that list dead, and holds no lock (it may also sleep
 *	here: lru_park.reparent_delay_us)
 * @LRU_PARK_ADD_FIRST: list_lru_add() has put the first item on node @arg's
 *	list and raised its count, and has not yet set the shrinker bit
 *	(the list lock is held)
 * @LRU_PARK_TABLE_GROW: lru_table_reserve() has allocated a node of the
 *	table on memcg id @arg's path and has not yet taken the table lock
 *	to publish it (no lock held)
 * @LRU_PARK_NO_BLOCK: an add or delete found no block for memcg id @arg
 *	and is about to look again under the table lock, or climb (under RCU)
 * @LRU_PARK_STALE_BIT: memcg reclaim found no shrinker for the set bit of
 *	id @arg, and has not yet cleared the bit (under RCU)
 * @LRU_PARK_SHRINKER_FOUND: memcg reclaim found the shrinker of id @arg
 *	for a set bit and has not yet taken its reference (under RCU)
 * @LRU_PARK_COUNT_BLOCK: list_lru_count_node() has added the count of the
 *	block of memcg id @arg to its sum (under RCU)
 * @LRU_PARK_LISTEN: vmpressure_listen() has put its listener on the list
 *	and not yet read whether the memcg is dying (listen_lock held; @arg 0)
 */
enum lru_park_point {
	LRU_PARK_NONE,
	LRU_PARK_REPARENT_NODE,
	LRU_PARK_ADD_FIRST,
	LRU_PARK_TABLE_GROW,
	LRU_PARK_STALE_BIT,
	LRU_PARK_NO_BLOCK,
	LRU_PARK_SHRINKER_FOUND,
	LRU_PARK_COUNT_BLOCK,
	LRU_PARK_LISTEN,
};

#if IS_ENABLED(CONFIG_LIST_LRU_KUNIT_TEST) || \
	IS_ENABLED(CONFIG_SHRINKER_KUNIT_TEST)
void lru_park_here(enum lru_park_point point, long arg);
void lru_park_arm(enum lru_park_point point, long arg,
		  struct task_struct *task);
bool lru_park_wait(struct completion *done);
void lru_park_release(void);
struct task_struct *lru_park_start(int (*fn)(void *), void *arg,
				   enum lru_park_point point, long parg);
#else
static inline void lru_park_here(enum lru_park_point point, long arg)
{
}
#endif

struct list_lru;
/* bytes of an lru's per-memcg lists and table, for make bench */
size_t list_lru_memcg_bytes(struct list_lru *lru);

#endif /* _MM_LRU_PARK_H */
