/* SPDX-License-Identifier: GPL-2.0 */
/*
 * list_lru: LRU lists of kernel objects, split by NUMA node and by memory
 * cgroup, for caches that are trimmed by a shrinker.
 *
 * Every (node, memcg) pair has a list of its own, with its own spinlock and
 * item count, so tasks of different memcgs never share a lock, and a shrinker
 * asked to free objects of one memcg on one node touches exactly that list.
 *
 * See Documentation/mm/list_lru.rst for the design and the locking rules.
 */
#ifndef _LINUX_LIST_LRU_H
#define _LINUX_LIST_LRU_H

#include <linux/list.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>

struct folio;
struct mem_cgroup;
struct list_lru_table;

/**
 * enum lru_status - what an isolate callback did with the item it was given
 * @LRU_REMOVED: the item was taken off the list with list_lru_isolate() or
 *	list_lru_isolate_move(); the list lock was held throughout.
 * @LRU_REMOVED_RETRY: as @LRU_REMOVED, but the callback dropped the list lock
 *	after isolating the item and returns without it. The walk takes the
 *	lock again and restarts from the head of the list.
 * @LRU_ROTATE: the item stays and moves to the tail (it was referenced).
 * @LRU_SKIP: the item stays where it is (it could not be locked, say).
 * @LRU_RETRY: the item stays; the callback dropped the list lock and returns
 *	without it. The walk takes the lock again and restarts from the head.
 * @LRU_STOP: end the walk now; the callback dropped the list lock.
 *
 * A callback is always entered with the list lock held. It returns with it
 * held for @LRU_REMOVED, @LRU_ROTATE and @LRU_SKIP, and without it (it
 * dropped it, as mainline has it since 6.13) for @LRU_REMOVED_RETRY,
 * @LRU_RETRY and @LRU_STOP. Once it dropped the lock it must not touch the
 * list: the list may be emptied into a parent memcg's list meanwhile (the
 * walker notices and stops).
 */
enum lru_status {
	LRU_REMOVED,
	LRU_REMOVED_RETRY,
	LRU_ROTATE,
	LRU_SKIP,
	LRU_RETRY,
	LRU_STOP,
};

/**
 * struct list_lru_one - one list: the items of one memcg on one node
 * @list: the items, from the head: a dead child's (moved there at its death),
 *	then this list's own, oldest first
 * @rcu: reuses @list's space once a memcg's lists are dead (see list_lru.c)
 * @nr_items: number of items on @list; %LIST_LRU_DEAD once the memcg owning
 *	this list went offline and its items moved to the parent
 * @lock: protects @list and @nr_items; isolate callbacks get it held
 * @owner: in the first two lists of a memcg's block, the halves of the
 *	owning memcg's address (list_lru.c: lru_block()); unused elsewhere.
 *	It fills the padding after @lock on 64-bit.
 *
 * @nr_items is written under @lock and may be read without it.
 */
struct list_lru_one {
	union {
		struct list_head list;
		struct rcu_head rcu;
	};
	long nr_items;
	spinlock_t lock;	/* see above */
	u32 owner;
};

/* ->nr_items of a list whose memcg died: its items now live in the parent */
#define LIST_LRU_DEAD	LONG_MIN

/**
 * struct list_lru_memcg - the lists of one memcg in one list_lru, by node
 * @node: nr_node_ids lists, indexed by node id
 */
struct list_lru_memcg {
	DECLARE_FLEX_ARRAY(struct list_lru_one, node);
};

/**
 * struct list_lru_node - the lists of one node that exist without a memcg
 * @lru: items of the root memcg, or all items when the lru is not
 *	memcg-aware
 */
struct list_lru_node {
	struct list_lru_one lru;
} ____cacheline_aligned_in_smp;

/**
 * struct list_lru - an LRU split by node and, optionally, by memcg
 * @node: per-node lists, nr_node_ids of them; %NULL before init and after
 *	list_lru_destroy()
 * @list: entry in the global list of memcg-aware lrus (for reparenting)
 * @table: per-memcg lists (struct list_lru_memcg), indexed by
 *	memcg_kmem_id(); read under RCU, changed under @table_lock
 * @table_lock: serialises installing and retiring per-memcg lists
 * @reparent_seq: odd while a reparenting moves one list's items and count
 *	to an ancestor (under memcg_lrus_mutex and both list locks): a sum of
 *	several lists that overlapped a move is taken again
 * @shrinker_id: id of the shrinker whose memcg bit the first item of a
 *	memcg's list sets, or -1
 * @memcg_aware: items are kept per memcg; otherwise the memcg argument of
 *	every call is ignored and no per-memcg memory is ever allocated
 * @key: lockdep class given at init, for lists created later
 */
struct list_lru {
	struct list_lru_node	*node;
#ifdef CONFIG_MEMCG
	struct list_head	list;
	struct list_lru_table __rcu *table;
	spinlock_t		table_lock;	/* see above */
	seqcount_t		reparent_seq;
	int			shrinker_id;
	bool			memcg_aware;
#endif
#ifdef CONFIG_LOCKDEP
	struct lock_class_key	*key;
#endif
};

int __list_lru_init(struct list_lru *lru, bool memcg_aware,
		    struct shrinker *shrinker);
void list_lru_destroy(struct list_lru *lru);

/* An lru of objects that are not charged to memcgs. */
#define list_lru_init(lru)					\
	__list_lru_init((lru), false, NULL)
/* Objects kept per memcg; @shrinker's memcg bit tells reclaim where they are */
#define list_lru_init_memcg(lru, shrinker)			\
	__list_lru_init((lru), true, (shrinker))

/* The lockdep class of @lru's list locks, before __list_lru_init() */
static inline void list_lru_set_key(struct list_lru *lru,
				    struct lock_class_key *key)
{
#ifdef CONFIG_LOCKDEP
	lru->key = key;
#endif
}

/* As list_lru_init_memcg(), its list locks in lockdep class @key */
static inline int list_lru_init_memcg_key(struct list_lru *lru,
					  struct shrinker *shrinker,
					  struct lock_class_key *key)
{
	list_lru_set_key(lru, key);
	return __list_lru_init(lru, true, shrinker);
}

void memcg_reparent_list_lrus(struct mem_cgroup *memcg,
			      struct mem_cgroup *parent);
#ifndef CONFIG_MEMCG
/* without memcg every item is on a per-node list: nothing to allocate */
static inline int memcg_list_lru_alloc(struct mem_cgroup *memcg,
				       struct list_lru *lru, gfp_t gfp)
{
	return 0;
}

static inline int folio_memcg_list_lru_alloc(struct folio *folio,
					     struct list_lru *lru, gfp_t gfp)
{
	return memcg_list_lru_alloc(NULL, lru, gfp);
}
#else
int memcg_list_lru_alloc(struct mem_cgroup *memcg, struct list_lru *lru,
			 gfp_t gfp);
int folio_memcg_list_lru_alloc(struct folio *folio, struct list_lru *lru,
			       gfp_t gfp);
#endif

bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg);
bool list_lru_add_irq(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg);
bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg);
/* node and memcg taken from the slab object that embeds @item */
bool list_lru_add_obj(struct list_lru *lru, struct list_head *item);
bool list_lru_del_obj(struct list_lru *lru, struct list_head *item);

/*
 * Caller-locked use: lock the list an item of (@nid, *@memcg) belongs on,
 * add or delete under the lock together with the caller's own state, and
 * unlock. *@memcg comes back as the owner of the locked list.
 */
struct list_lru_one *list_lru_lock(struct list_lru *lru, int nid,
				   struct mem_cgroup **memcg);
struct list_lru_one *list_lru_lock_irqsave(struct list_lru *lru, int nid,
					   struct mem_cgroup **memcg,
					   unsigned long *flags);
/* under the lock; @memcg is the owner the lock returned */
bool __list_lru_add(struct list_lru *lru, struct list_lru_one *l,
		    struct list_head *item, int nid, struct mem_cgroup *memcg);
bool __list_lru_del(struct list_lru *lru, struct list_lru_one *l,
		    struct list_head *item, int nid);
/* each unlock matches its lock */
void list_lru_unlock(struct list_lru_one *l);
void list_lru_unlock_irqrestore(struct list_lru_one *l, unsigned long *flags);

unsigned long list_lru_count_one(struct list_lru *lru, int nid,
				 struct mem_cgroup *memcg);
unsigned long list_lru_count_node(struct list_lru *lru, int nid);
unsigned long list_lru_count(struct list_lru *lru);

static inline unsigned long list_lru_shrink_count(struct list_lru *lru,
						  struct shrink_control *sc)
{
	return list_lru_count_one(lru, sc->nid, sc->memcg);
}

void list_lru_isolate(struct list_lru_one *list, struct list_head *item);
void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head);

/**
 * typedef list_lru_walk_cb - decide the fate of one item during a walk
 * @item: the item, still on @list
 * @list: the list; @list->lock is held (see &enum lru_status for when the
 *	callback may drop it)
 * @cb_arg: the walker's argument
 *
 * Return: an &enum lru_status.
 */
typedef enum lru_status (*list_lru_walk_cb)(struct list_head *item,
					    struct list_lru_one *list,
					    void *cb_arg);

unsigned long list_lru_walk_one(struct list_lru *lru, int nid,
				struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg,
				unsigned long *nr_to_walk);
unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid,
				    struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk);
unsigned long list_lru_walk_node(struct list_lru *lru, int nid,
				 list_lru_walk_cb isolate, void *cb_arg,
				 unsigned long *nr_to_walk);
unsigned long list_lru_walk_nodemask(struct list_lru *lru,
				     const nodemask_t *nodes,
				     list_lru_walk_cb isolate, void *cb_arg,
				     unsigned long *nr_to_walk);

unsigned long list_lru_shrink_walk(struct list_lru *lru,
				   struct shrink_control *sc,
				   list_lru_walk_cb isolate, void *cb_arg);
unsigned long list_lru_shrink_walk_irq(struct list_lru *lru,
				       struct shrink_control *sc,
				       list_lru_walk_cb isolate, void *cb_arg);

/* Walk every list of the lru, node by node, up to @nr_to_walk items. */
static inline unsigned long
list_lru_walk(struct list_lru *lru, list_lru_walk_cb isolate, void *cb_arg,
	      unsigned long nr_to_walk)
{
	return list_lru_walk_nodemask(lru, &node_states[N_NORMAL_MEMORY],
				      isolate, cb_arg, &nr_to_walk);
}

#endif /* _LINUX_LIST_LRU_H */
