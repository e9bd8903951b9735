// SPDX-License-Identifier: GPL-2.0
/*
 * list_lru: LRU lists of shrinkable kernel objects, one per NUMA node and
 * memory cgroup.
 *
 * Layout.  An lru owns an array of nr_node_ids lists that always exist: the
 * items of the root memcg (or every item, when the lru is not memcg-aware).
 * A memcg-aware lru also owns a table, indexed by memcg_kmem_id(), of
 * per-memcg blocks holding one list per node.  Every list has its own
 * spinlock and count, so the only thing two tasks of different memcgs can
 * share on an add or a delete is nothing at all.
 *
 * Placement rule.  An item charged to memcg M lives on M's list while M is
 * online, and on the list of M's nearest online ancestor once M went
 * offline.  Lists of a memcg are created, ancestors first, before any of
 * its objects exist (memcg_list_lru_alloc(), called by the slab allocator;
 * when it cannot allocate, the object's allocation fails, as in mainline),
 * and are only retired when the memcg goes offline: then its items are
 * spliced into the parent's lists and the lists are marked dead under their
 * locks.  Every lookup (add, delete) follows the same rule, so it always
 * finds the list the item is on, whether it runs before, during or after
 * the reparenting.
 *
 * Lifetime.  Adds, deletes and counts find a memcg's block under RCU; walkers
 * keep a block across isolate callbacks that drop the lock (and may sleep)
 * under lru_walk_srcu.  A retired block is freed after an RCU grace period
 * followed by an SRCU one.  See Documentation/mm/list_lru.rst.
 */
#include <linux/fault-inject.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include "internal.h"
#include "lru_park.h"

static void lru_one_init(struct list_lru *lru, struct list_lru_one *l)
{
	INIT_LIST_HEAD(&l->list);
	l->nr_items = 0;
	spin_lock_init(&l->lock);
#ifdef CONFIG_LOCKDEP
	if (lru->key)
		lockdep_set_class(&l->lock, lru->key);
#endif
}

/*
 * How a list lock is taken: plainly, with interrupts disabled, or saving
 * the interrupt state (lrus whose items come and go in interrupt context,
 * such as THP's deferred split queue, which folio_put() may empty).
 */
enum lru_lock_how {
	LRU_LOCK_PLAIN,
	LRU_LOCK_IRQ,
	LRU_LOCK_IRQSAVE,
};

static __always_inline void lru_one_lock(struct list_lru_one *l,
					 enum lru_lock_how how,
					 unsigned long *flags)
{
	if (how == LRU_LOCK_IRQSAVE)
		spin_lock_irqsave(&l->lock, *flags);
	else if (how == LRU_LOCK_IRQ)
		spin_lock_irq(&l->lock);
	else
		spin_lock(&l->lock);
}

static __always_inline void lru_one_unlock(struct list_lru_one *l,
					   enum lru_lock_how how,
					   unsigned long *flags)
{
	if (how == LRU_LOCK_IRQSAVE)
		spin_unlock_irqrestore(&l->lock, *flags);
	else if (how == LRU_LOCK_IRQ)
		spin_unlock_irq(&l->lock);
	else
		spin_unlock(&l->lock);
}

/*
 * Only meaningful with @l->lock held: a dead list never comes back. The
 * test is for the one dead value, not the sign: a live count that went
 * negative through a bug must not turn a list dead (its items would then be
 * out of reach of reclaim aimed at its memcg for good).
 */
static __always_inline bool lru_one_dead(struct list_lru_one *l)
{
	return l->nr_items == LIST_LRU_DEAD;
}

/*
 * Under @l->lock, which every writer holds; counters read the value without
 * it, hence the marked store (the load needs no mark: no one else writes).
 */
static __always_inline void lru_one_count_add(struct list_lru_one *l,
					      long delta)
{
	long n = l->nr_items + delta;

	VM_WARN_ON_ONCE(n < 0);
	WRITE_ONCE(l->nr_items, n);
}

static inline unsigned long lru_one_count(struct list_lru_one *l)
{
	long n = READ_ONCE(l->nr_items);

	return n > 0 ? n : 0;
}

#ifdef CONFIG_MEMCG

/* Every memcg-aware lru, for reparenting; protected by memcg_lrus_mutex. */
static LIST_HEAD(memcg_lrus);
static DEFINE_MUTEX(memcg_lrus_mutex);

/* Keeps a memcg's block alive while a walker may sleep inside a callback. */
DEFINE_STATIC_SRCU(lru_walk_srcu);

/*
 * Fails the allocation of a memcg's lists: debugfs "fail_list_lru_alloc"
 * (see Documentation/fault-injection/) and the KUnit suite use it.
 */
static DECLARE_FAULT_ATTR(list_lru_fail_alloc);

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static int __init list_lru_fault_debugfs(void)
{
	return PTR_ERR_OR_ZERO(fault_create_debugfs_attr("fail_list_lru_alloc",
							 NULL,
							 &list_lru_fail_alloc));
}
late_initcall(list_lru_fault_debugfs);
#endif

static inline bool lru_per_memcg(struct list_lru *lru)
{
	return lru->memcg_aware;
}

/*
 * The table of per-memcg blocks: a radix tree of three fixed levels,
 * indexed by memcg_kmem_id(): a top node of 16 mid nodes (16 bits of id),
 * each an array of 64 leaves, each of 64 block slots; no node is larger
 * than 512 bytes (64-bit), less than the 576 of an xarray node. Every add and
 * delete looks a block up, so the lookup is four dependent loads with no
 * bound check, no loop and no retry: a missing level is a static stand-in
 * whose slots lead to the next stand-in, and a missing block is NULL. A
 * node is made when a memcg first needs it, one allocation each, and is
 * never copied, replaced or freed before list_lru_destroy(): no allocation
 * grows with the number of memcgs.
 *
 * Each block also names the memcg owning it. A memcg's id is given back
 * when it goes offline and the lowest free id is handed out next, so a
 * caller still holding a dead memcg (an RCU reader of objcg->memcg, a
 * reclaimer that checked mem_cgroup_online() a moment ago) can come with an
 * id that now belongs to a new memcg. A lookup only returns a block whose
 * owner is the memcg it was asked for; a dead memcg's lookup finds nothing
 * and goes on to its ancestors, where its items are. The owner's address is
 * kept in the padding after the lock of the block's first lists, 32 bits
 * in each (struct list_lru_one's @owner): written before the block is
 * published and never changed, it is read through the pointer just loaded,
 * in the block the add or delete is about to lock.
 */
#define LRU_FAN_SHIFT	6
#define LRU_FAN		BIT(LRU_FAN_SHIFT)
#define LRU_TOP		(BIT(MEM_CGROUP_ID_SHIFT) >> (2 * LRU_FAN_SHIFT))
#define LRU_TOP_IDX(id)	(((id) >> (2 * LRU_FAN_SHIFT)) % LRU_TOP)
#define LRU_MID_IDX(id)	(((id) >> LRU_FAN_SHIFT) % LRU_FAN)
#define LRU_LEAF_IDX(id)	((id) % LRU_FAN)
static_assert(LRU_TOP * LRU_FAN * LRU_FAN == BIT(MEM_CGROUP_ID_SHIFT) &&
	      LRU_TOP <= LRU_FAN);

/* The owner rides in padding: a list stays 32 bytes (x86-64, no debug). */
#if defined(CONFIG_X86_64) && !defined(CONFIG_DEBUG_SPINLOCK) && \
	!defined(CONFIG_DEBUG_LOCK_ALLOC) && !defined(CONFIG_PREEMPT_RT)
static_assert(sizeof(struct list_lru_one) == 32);
#endif

/* lists whose @owner halves hold a block owner's address */
#define LRU_OWNER_LISTS		(BITS_PER_LONG / 32)

static void lru_block_set_owner(struct list_lru_memcg *blk,
				struct mem_cgroup *memcg)
{
	unsigned long v = (unsigned long)memcg;

	blk->node[0].owner = lower_32_bits(v);
#if BITS_PER_LONG > 32
	blk->node[1].owner = upper_32_bits(v);
#endif
}

static __always_inline struct mem_cgroup *
lru_block_owner(struct list_lru_memcg *blk)
{
	unsigned long v = blk->node[0].owner;

#if BITS_PER_LONG > 32
	v |= (unsigned long)blk->node[1].owner << 32;
#endif
	return (struct mem_cgroup *)v;
}

/* a slot holds a memcg's block, or NULL */
struct list_lru_leaf {
	struct list_lru_memcg __rcu *blk[LRU_FAN];
};

struct list_lru_mid {
	struct list_lru_leaf __rcu *leaf[LRU_FAN];
};

struct list_lru_table {
	struct list_lru_mid __rcu *mid[LRU_TOP];
};

/* for rcu_dereference_check(): RCU or the table lock */
#define lru_table_held(lru)						\
	(rcu_read_lock_held() || lockdep_is_held(&(lru)->table_lock))

/*
 * Stand-ins for a missing level, never written: a leaf of empty slots, a
 * mid node of stand-in leaves, a top node of stand-in mid nodes.
 */
static struct list_lru_leaf lru_no_leaf __ro_after_init;
static struct list_lru_mid lru_no_mid __ro_after_init = {
	.leaf = { [0 ... LRU_FAN - 1] = RCU_INITIALIZER(&lru_no_leaf) },
};

static struct list_lru_table lru_no_table __ro_after_init = {
	.mid = { [0 ... LRU_TOP - 1] = RCU_INITIALIZER(&lru_no_mid) },
};

/* The table of @lru, &lru_no_table until the first node; RCU or the lock */
static __always_inline struct list_lru_table *lru_table(struct list_lru *lru)
{
	return rcu_dereference_check(lru->table, lru_table_held(lru));
}

/* A node on memcg @id's path, or its stand-in; RCU or the table lock. */
#define lru_mid(lru, t, id)						\
	rcu_dereference_check((t)->mid[LRU_TOP_IDX(id)], lru_table_held(lru))
#define lru_leaf(lru, m, id)						\
	rcu_dereference_check((m)->leaf[LRU_MID_IDX(id)], lru_table_held(lru))

/* The slot of memcg @id's block: its leaf may be the stand-in. */
static __always_inline struct list_lru_memcg __rcu **
lru_slot(struct list_lru *lru, unsigned int id)
{
	struct list_lru_table *t = lru_table(lru);
	struct list_lru_leaf *leaf = lru_leaf(lru, lru_mid(lru, t, id), id);

	return &leaf->blk[LRU_LEAF_IDX(id)];
}

/*
 * The block of @memcg, whose kmem id is @id, or NULL if it has none (or the
 * slot is another memcg's, see above). Caller holds RCU or lru->table_lock.
 */
static __always_inline struct list_lru_memcg *
lru_block(struct list_lru *lru, struct mem_cgroup *memcg, unsigned int id)
{
	struct list_lru_memcg *blk;

	blk = rcu_dereference_check(*lru_slot(lru, id), lru_table_held(lru));
	if (!blk)
		return NULL;
	/* stored before the block was published; read through it */
	if (unlikely(lru_block_owner(blk) != memcg))
		return NULL;
	return blk;
}

/* Whether @memcg has a block in @lru right now (takes RCU itself). */
static bool lru_has_block(struct list_lru *lru, struct mem_cgroup *memcg)
{
	bool have;

	rcu_read_lock();
	have = lru_block(lru, memcg, memcg_kmem_id(memcg));
	rcu_read_unlock();
	return have;
}

/*
 * The first missing node on memcg @id's path: the slot to publish it in
 * (which holds a stand-in), with the node's size and the stand-in its own
 * slots start with. NULL when the path is complete. RCU or the table lock.
 */
static void __rcu **lru_table_gap(struct list_lru *lru, unsigned int id,
				  size_t *size, void **fill)
{
	struct list_lru_table *t = lru_table(lru);
	struct list_lru_mid *mid;

	if (t == &lru_no_table) {
		*size = sizeof(*t);
		*fill = &lru_no_mid;
		return (void __rcu **)&lru->table;
	}
	mid = lru_mid(lru, t, id);
	if (mid == &lru_no_mid) {
		*size = sizeof(*mid);
		*fill = &lru_no_leaf;
		return (void __rcu **)&t->mid[LRU_TOP_IDX(id)];
	}
	if (lru_leaf(lru, mid, id) == &lru_no_leaf) {
		*size = sizeof(struct list_lru_leaf);
		*fill = NULL;
		return (void __rcu **)&mid->leaf[LRU_MID_IDX(id)];
	}
	return NULL;
}

/*
 * Make the nodes on memcg @id's path, one allocation each, made outside
 * the lock and published under it; a racing caller's node is freed.
 */
static int lru_table_reserve(struct list_lru *lru, unsigned int id, gfp_t gfp)
{
	void __rcu **slot;
	unsigned long flags;
	void **node, *fill;
	size_t size, i;

	if (WARN_ON_ONCE(id >= BIT(MEM_CGROUP_ID_SHIFT)))
		return -EINVAL;
	for (;;) {
		rcu_read_lock();
		slot = lru_table_gap(lru, id, &size, &fill);
		rcu_read_unlock();
		if (!slot)
			return 0;
		if (!(gfp & __GFP_NOFAIL) && should_fail(&list_lru_fail_alloc, 1))
			return -ENOMEM;
		node = kmalloc(size, gfp);
		if (!node)
			return -ENOMEM;
		for (i = 0; i < size / sizeof(*node); i++)
			node[i] = fill;
		lru_park_here(LRU_PARK_TABLE_GROW, id);

		spin_lock_irqsave(&lru->table_lock, flags);
		/* nodes are never replaced: the same slot is still empty */
		if (lru_table_gap(lru, id, &size, &fill) == slot) {
			rcu_assign_pointer(*slot, (void *)node);
			node = NULL;
		}
		spin_unlock_irqrestore(&lru->table_lock, flags);
		kfree(node);
	}
}

/*
 * The first block at id *@id or above, with its id in *@id; NULL when none
 * is left. Caller holds RCU.
 */
static struct list_lru_memcg *lru_next_block(struct list_lru *lru,
					     unsigned long *id)
{
	struct list_lru_table *t = rcu_dereference(lru->table);
	struct list_lru_memcg *blk;
	struct list_lru_mid *mid;
	struct list_lru_leaf *leaf;

	for (; *id < BIT(MEM_CGROUP_ID_SHIFT); ++*id) {
		mid = rcu_dereference(t->mid[LRU_TOP_IDX(*id)]);
		if (mid == &lru_no_mid) {
			*id |= LRU_FAN * LRU_FAN - 1;
			continue;
		}
		leaf = rcu_dereference(mid->leaf[LRU_MID_IDX(*id)]);
		if (leaf == &lru_no_leaf) {
			*id |= LRU_FAN - 1;
			continue;
		}
		blk = rcu_dereference(leaf->blk[LRU_LEAF_IDX(*id)]);
		if (blk)
			return blk;
	}
	return NULL;
}

/*
 * The list of @memcg on @nid as the lookup structures have it right now (it
 * may be dead), or NULL when @memcg has none. Caller holds RCU.
 */
static __always_inline struct list_lru_one *
lru_list_of(struct list_lru *lru, int nid, struct mem_cgroup *memcg)
{
	struct list_lru_memcg *blk;
	int id;

	if (!lru_per_memcg(lru) || !memcg)
		return &lru->node[nid].lru;
	id = memcg_kmem_id(memcg);
	if (id < 0)
		return &lru->node[nid].lru;
	blk = lru_block(lru, memcg, id);
	return blk ? &blk->node[nid] : NULL;
}

/*
 * Dying @memcg, not yet offline, had no block a moment ago, but an install
 * that saw it alive may be publishing one: look again under the lock that
 * installs test dying under. An install after this one sees it dying and
 * publishes nothing, so an item that goes up now is never looked for on a
 * list of @memcg's. Caller holds RCU.
 */
static noinline bool lru_block_appeared(struct list_lru *lru,
					struct mem_cgroup *memcg)
{
	unsigned long flags;
	bool found;

	spin_lock_irqsave(&lru->table_lock, flags);
	found = lru_block(lru, memcg, memcg_kmem_id(memcg));
	spin_unlock_irqrestore(&lru->table_lock, flags);
	return found;
}

/* The slow part of lru_lock_items_list(): climb to a live ancestor. */
static noinline struct list_lru_one *
lru_lock_ancestor_list(struct list_lru *lru, int nid, struct mem_cgroup **memcg,
		       enum lru_lock_how how, unsigned long *flags)
{
	struct mem_cgroup *m = *memcg;
	struct list_lru_one *l;

	rcu_read_lock();
	for (;;) {
		l = lru_list_of(lru, nid, m);
		if (l) {
			lru_one_lock(l, how, flags);
			if (!lru_one_dead(l))
				break;
			lru_one_unlock(l, how, flags);
		} else {
			/*
			 * No block: @m is dying and got none, or went
			 * offline; its items are with an ancestor. A live
			 * memcg has its block before it has objects: an
			 * object made without memcg_list_lru_alloc() is a
			 * caller's bug (its item would be looked for on the
			 * memcg's own list once that appears).
			 */
			lru_park_here(LRU_PARK_NO_BLOCK, memcg_kmem_id(m));
			VM_WARN_ON_ONCE(!css_is_dying(&m->css));
			if (mem_cgroup_online(m) && lru_block_appeared(lru, m))
				continue;
		}
		m = parent_mem_cgroup(m);
	}
	rcu_read_unlock();
	*memcg = m;
	return l;
}

/*
 * Lock the list that holds @memcg's items on @nid under the placement rule,
 * and return it; *@memcg becomes the memcg owning that list. Inline for the
 * common case, the memcg's own list being alive.
 */
static __always_inline struct list_lru_one *
lru_lock_items_list(struct list_lru *lru, int nid, struct mem_cgroup **memcg,
		    enum lru_lock_how how, unsigned long *flags)
{
	struct list_lru_memcg *blk;
	struct list_lru_one *l;
	int id = -1;

	if (lru_per_memcg(lru) && *memcg)
		id = memcg_kmem_id(*memcg);
	/* per-node lists never die; the root owns them */
	if (id < 0) {
		*memcg = NULL;
		l = &lru->node[nid].lru;
		lru_one_lock(l, how, flags);
		return l;
	}
	rcu_read_lock();
	blk = lru_block(lru, *memcg, id);
	if (likely(blk)) {
		l = &blk->node[nid];
		lru_one_lock(l, how, flags);
		if (likely(!lru_one_dead(l))) {
			rcu_read_unlock();
			return l;
		}
		lru_one_unlock(l, how, flags);
	}
	rcu_read_unlock();
	return lru_lock_ancestor_list(lru, nid, memcg, how, flags);
}

/* set_shrinker_bit() ignores a negative id, no memcg and the root */
static __always_inline void
lru_note_first_item(struct list_lru *lru, int nid, struct mem_cgroup *memcg)
{
	set_shrinker_bit(memcg, nid, lru->shrinker_id);
}

static int lru_init_memcg(struct list_lru *lru, bool memcg_aware,
			  struct shrinker *shrinker)
{
	/*
	 * cgroup_disable=memory or cgroup.memory=nokmem: no object is ever
	 * charged, so no list per memcg; and a shrinker that lost its memcg
	 * awareness has no id to set bits for.
	 */
	if (mem_cgroup_disabled() || mem_cgroup_kmem_disabled())
		memcg_aware = false;
	lru->memcg_aware = memcg_aware;
	lru->shrinker_id = memcg_aware && shrinker &&
			   (shrinker->flags & SHRINKER_MEMCG_AWARE) ?
			   shrinker->id : -1;
	INIT_LIST_HEAD(&lru->list);
	RCU_INIT_POINTER(lru->table, &lru_no_table);
	spin_lock_init(&lru->table_lock);
	seqcount_init(&lru->reparent_seq);
	if (!memcg_aware)
		return 0;
	mutex_lock(&memcg_lrus_mutex);
	list_add(&lru->list, &memcg_lrus);
	mutex_unlock(&memcg_lrus_mutex);
	return 0;
}

/*
 * Every node and block of @lru's table: with @bytes, their ksize() added to
 * *@bytes (under the table lock, which blocks are retired under); without,
 * all freed at once (list_lru_destroy(): no user is left).
 */
/* the sweep owns the table: destroy (no @bytes), or under table_lock */
#define lru_sweep_owns(lru, bytes)					\
	(!(bytes) || lockdep_is_held(&(lru)->table_lock))

static void lru_table_sweep(struct list_lru *lru, size_t *bytes)
{
	struct list_lru_table *t;
	struct list_lru_memcg *blk;
	struct list_lru_mid *mid;
	struct list_lru_leaf *leaf;
	unsigned int i, j, k;

	t = rcu_dereference_protected(lru->table, lru_sweep_owns(lru, bytes));
	if (t == &lru_no_table)
		return;
	for (i = 0; i < LRU_TOP; i++) {
		mid = rcu_dereference_protected(t->mid[i],
						lru_sweep_owns(lru, bytes));
		if (mid == &lru_no_mid)
			continue;
		for (j = 0; j < LRU_FAN; j++) {
			leaf = rcu_dereference_protected(mid->leaf[j],
						lru_sweep_owns(lru, bytes));
			if (leaf == &lru_no_leaf)
				continue;
			for (k = 0; k < LRU_FAN; k++) {
				blk = rcu_dereference_protected(leaf->blk[k],
						lru_sweep_owns(lru, bytes));
				if (!bytes)
					kfree(blk);
				else if (blk)
					*bytes += ksize(blk);
			}
			if (!bytes)
				kfree(leaf);
			else
				*bytes += ksize(leaf);
		}
		if (!bytes)
			kfree(mid);
		else
			*bytes += ksize(mid);
	}
	if (!bytes)
		kfree(t);
	else
		*bytes += ksize(t);
}

static void lru_destroy_memcg(struct list_lru *lru)
{
	if (!lru->memcg_aware)
		return;
	mutex_lock(&memcg_lrus_mutex);
	list_del(&lru->list);
	mutex_unlock(&memcg_lrus_mutex);
	lru_table_sweep(lru, NULL);
	RCU_INIT_POINTER(lru->table, &lru_no_table);
}

static struct list_lru_memcg *lru_block_alloc(struct list_lru *lru,
					      struct mem_cgroup *memcg,
					      gfp_t gfp)
{
	/* one node: a second list's room for the owner's high half */
	int nid, n = max_t(int, nr_node_ids, LRU_OWNER_LISTS);
	struct list_lru_memcg *blk;

	if (!(gfp & __GFP_NOFAIL) && should_fail(&list_lru_fail_alloc, 1))
		return NULL;
	blk = kmalloc(struct_size(blk, node, n), gfp);
	if (!blk)
		return NULL;
	for (nid = 0; nid < n; nid++)
		lru_one_init(lru, &blk->node[nid]);
	lru_block_set_owner(blk, memcg);
	return blk;
}

/* Give live @memcg its block in @lru unless it has one. */
static int lru_block_install(struct list_lru *lru, struct mem_cgroup *memcg,
			     gfp_t gfp)
{
	unsigned int id = memcg_kmem_id(memcg);
	struct list_lru_memcg __rcu **slot;
	struct list_lru_memcg *blk, *old;
	unsigned long flags;
	int err = 0;

	/* room for the first item's shrinker bit, before there can be one */
	if (shrinker_memcg_prepare(memcg, lru->shrinker_id, gfp))
		return -ENOMEM;
	if (lru_table_reserve(lru, id, gfp))
		return -ENOMEM;
	blk = lru_block_alloc(lru, memcg, gfp);
	if (!blk)
		return -ENOMEM;
	spin_lock_irqsave(&lru->table_lock, flags);
	/*
	 * Dying is checked under the table lock that reparenting also takes:
	 * a memcg seen alive here has its block reparented at offline; one
	 * seen dying gets none (its id may even be a new memcg's by now).
	 * The slot is in a real leaf: lru_table_reserve() made the path.
	 */
	slot = lru_slot(lru, id);
	old = rcu_dereference_protected(*slot,
					lockdep_is_held(&lru->table_lock));
	if (css_is_dying(&memcg->css)) {
		/* its items go to its nearest live ancestor */
	} else if (old) {
		/* ours from a racing call, or (a bug) another live memcg's */
		if (WARN_ON_ONCE(lru_block_owner(old) != memcg))
			err = -EBUSY;
	} else {
		/* publishes the owner too: lru_block() reads it through @blk */
		rcu_assign_pointer(*slot, blk);
		blk = NULL;
	}
	spin_unlock_irqrestore(&lru->table_lock, flags);
	kfree(blk);
	return err;
}

/**
 * memcg_list_lru_alloc - make sure @memcg's objects have lists in @lru
 * @memcg: memcg about to be charged for an object that will go on @lru
 * @lru: the lru
 * @gfp: allocation flags of the object's allocation
 *
 * Creates the per-node lists of @memcg and of each of its ancestors that has
 * none, oldest ancestor first. The slab allocator calls this from
 * kmem_cache_alloc_lru(); callers of list_lru_add() with an explicit memcg
 * call it before the add. A dying memcg gets no lists: its items go to its
 * nearest live ancestor.
 *
 * Every object on @lru is made after this returned 0 for its memcg: the
 * lists of a live memcg exist before its first item, which is what lets
 * an add or a delete find an item's list from its memcg alone.
 *
 * Context: may sleep if @gfp allows.
 * Return: 0, or -ENOMEM when a list could not be allocated: the caller
 * fails the object's allocation (nothing was added, nothing needs undoing).
 */
int memcg_list_lru_alloc(struct mem_cgroup *memcg, struct list_lru *lru,
			 gfp_t gfp)
{
	struct mem_cgroup *m, *missing;
	int err;

	/* without kmem accounting (id < 0) items go to the per-node lists */
	if (!lru_per_memcg(lru) || !memcg || mem_cgroup_is_root(memcg) ||
	    memcg_kmem_id(memcg) < 0)
		return 0;
	if (likely(lru_has_block(lru, memcg)))
		return 0;

	gfp &= GFP_RECLAIM_MASK;
	/*
	 * Install the highest ancestor without lists, until none is left. The
	 * ancestors stay allocated while @memcg does (each css pins its
	 * parent); lru_block_install() checks dying under the table lock.
	 */
	do {
		missing = NULL;
		rcu_read_lock();
		for (m = memcg; m && !mem_cgroup_is_root(m);
		     m = parent_mem_cgroup(m)) {
			if (!lru_block(lru, m, memcg_kmem_id(m)) &&
			    !css_is_dying(&m->css))
				missing = m;
		}
		rcu_read_unlock();
		if (!missing)
			break;
		err = lru_block_install(lru, missing, gfp);
		if (err)
			return err;
	} while (missing != memcg);
	return 0;
}
EXPORT_SYMBOL_GPL(memcg_list_lru_alloc);

/**
 * folio_memcg_list_lru_alloc - memcg_list_lru_alloc() for a charged folio
 * @folio: a folio charged to a memcg, that may later go on @lru
 * @lru: the lru
 * @gfp: allocation flags
 *
 * For lrus of folios (THP's deferred split queue): call it once the folio
 * is charged, from a context that may allocate with @gfp, so that the
 * folio's memcg has its own lists by the time the folio is queued.
 *
 * Return: 0, or -ENOMEM: the folio must then not be queued on @lru (THP
 * falls back to small pages).
 */
int folio_memcg_list_lru_alloc(struct folio *folio, struct list_lru *lru,
			       gfp_t gfp)
{
	struct mem_cgroup *memcg;
	int err;

	if (!lru_per_memcg(lru) || mem_cgroup_disabled())
		return 0;
	rcu_read_lock();
	memcg = folio_memcg(folio);
	if (!memcg || mem_cgroup_is_root(memcg) || memcg_kmem_id(memcg) < 0 ||
	    lru_block(lru, memcg, memcg_kmem_id(memcg)) ||
	    !css_tryget(&memcg->css))
		memcg = NULL;
	rcu_read_unlock();
	if (!memcg)
		return 0;
	err = memcg_list_lru_alloc(memcg, lru, gfp);
	css_put(&memcg->css);
	return err;
}
EXPORT_SYMBOL_GPL(folio_memcg_list_lru_alloc);

/*
 * list_lru_memcg_bytes - memory an lru spends on per-memcg lists
 * @lru: the lru
 *
 * The per-memcg blocks and the table that finds them, as allocated
 * (ksize()): for comparing layouts (``make bench``). Per-node lists, which
 * every lru has, are not counted.
 *
 * Return: bytes; 0 when @lru keeps no lists per memcg.
 */
size_t list_lru_memcg_bytes(struct list_lru *lru)
{
	size_t bytes = 0;

	if (!lru_per_memcg(lru))
		return 0;
	spin_lock_irq(&lru->table_lock);
	lru_table_sweep(lru, &bytes);
	spin_unlock_irq(&lru->table_lock);
	return bytes;
}

static void lru_block_free_srcu(struct rcu_head *head)
{
	kfree(container_of(head, struct list_lru_memcg, node[0].rcu));
}

static void lru_block_free_rcu(struct rcu_head *head)
{
	call_srcu(&lru_walk_srcu, head, lru_block_free_srcu);
}

/*
 * Move @memcg's items in @lru to its parent, retire and free its block.
 *
 * Order matters. Each list is first spliced into the nearest live
 * ancestor's and marked dead, under both locks; only when every node's
 * list is dead is the block taken out of the table. At every instant an
 * add or delete naming @memcg either finds @memcg's live list (and the item
 * is there) or a dead one or none, and then climbs to the ancestor that
 * holds the item now. Taking the block out first would let a delete find
 * no block and unlink, under the parent's lock, an item still on @memcg's
 * list.
 */
static void lru_reparent(struct list_lru *lru, struct mem_cgroup *memcg,
			 struct mem_cgroup *parent)
{
	struct list_lru_memcg __rcu **slot;
	struct list_lru_memcg *blk;
	int nid;

	lockdep_assert_held(&memcg_lrus_mutex);
	spin_lock_irq(&lru->table_lock);
	slot = lru_slot(lru, memcg_kmem_id(memcg));
	blk = lru_block(lru, memcg, memcg_kmem_id(memcg));
	spin_unlock_irq(&lru->table_lock);
	/* a memcg whose onlining failed had no objects, and has no block */
	if (!blk)
		return;
	/* dying: no new block, installs check that under the table lock */
	VM_WARN_ON_ONCE(!css_is_dying(&memcg->css));

	for_each_node(nid) {
		struct list_lru_one *src = &blk->node[nid], *dst;
		struct mem_cgroup *owner = parent;
		long moved;

		spin_lock_irq(&src->lock);
		rcu_read_lock();
		for (;;) {
			dst = lru_list_of(lru, nid, owner);
			if (dst) {
				spin_lock_nested(&dst->lock, SINGLE_DEPTH_NESTING);
				if (!lru_one_dead(dst))
					break;
				spin_unlock(&dst->lock);
			} else {
				/* installs go top down; parents die after children */
				VM_WARN_ON_ONCE(!css_is_dying(&owner->css));
			}
			owner = parent_mem_cgroup(owner);
		}
		rcu_read_unlock();

		/*
		 * At the head: the dead memcg's items are the first the
		 * parent's walks reach, as reclaim of dying memcgs wants.
		 * Sums of several lists retry when they overlapped a move
		 * (lru_count_lists()).
		 */
		moved = src->nr_items;
		if (moved) {
			/* readers spin while odd: never preempted here (RT) */
			preempt_disable();
			write_seqcount_begin(&lru->reparent_seq);
			list_splice_init(&src->list, &dst->list);
			/* the count before the bit: see set_shrinker_bit() */
			lru_one_count_add(dst, moved);
			WRITE_ONCE(src->nr_items, LIST_LRU_DEAD);
			write_seqcount_end(&lru->reparent_seq);
			preempt_enable();
			lru_note_first_item(lru, nid, owner);
		} else {
			/* an empty list changes no sum */
			WRITE_ONCE(src->nr_items, LIST_LRU_DEAD);
		}
		spin_unlock(&dst->lock);
		spin_unlock_irq(&src->lock);
		lru_park_here(LRU_PARK_REPARENT_NODE, nid);
	}

	spin_lock_irq(&lru->table_lock);
	RCU_INIT_POINTER(*slot, NULL);
	spin_unlock_irq(&lru->table_lock);
	/*
	 * Lookups that raced with the erase may still hold the block (RCU),
	 * and walkers inside callbacks too (SRCU). Nobody reads a dead list's
	 * links, so node[0]'s list head carries the rcu_head for the free.
	 */
	call_rcu(&blk->node[0].rcu, lru_block_free_rcu);
}

/**
 * memcg_reparent_list_lrus - hand the items of a dying memcg to its parent
 * @memcg: the memcg going offline
 * @parent: its parent
 *
 * For every memcg-aware lru, splices @memcg's lists into @parent's (or the
 * nearest live ancestor's), moving the counts along and setting the parent's
 * shrinker bit, and marks @memcg's lists dead so that adds and deletes that
 * still name @memcg go to the parent. Must run before the memcg's objcg is
 * reparented, so that both ways of naming an item agree on its list.
 *
 * Context: process context; takes memcg_lrus_mutex.
 */
void memcg_reparent_list_lrus(struct mem_cgroup *memcg,
			      struct mem_cgroup *parent)
{
	struct list_lru *lru;

	mutex_lock(&memcg_lrus_mutex);
	list_for_each_entry(lru, &memcg_lrus, list)
		lru_reparent(lru, memcg, parent);
	mutex_unlock(&memcg_lrus_mutex);
}

/*
 * The items of every memcg on @nid, the root's included: a sum that no
 * reparenting overlapped, so that an item moving between two lists is
 * counted once (shrink_dcache_sb() loops until this reads 0).
 */
static unsigned long lru_count_lists(struct list_lru *lru, int nid)
{
	struct list_lru_memcg *blk;
	unsigned long id, sum;
	unsigned int seq;

	if (!lru_per_memcg(lru))
		return lru_one_count(&lru->node[nid].lru);
	do {
		seq = read_seqcount_begin(&lru->reparent_seq);
		sum = lru_one_count(&lru->node[nid].lru);
		rcu_read_lock();
		for (id = 0; (blk = lru_next_block(lru, &id)); id++) {
			sum += lru_one_count(&blk->node[nid]);
			lru_park_here(LRU_PARK_COUNT_BLOCK, id);
		}
		rcu_read_unlock();
	} while (read_seqcount_retry(&lru->reparent_seq, seq));
	return sum;
}

#else /* !CONFIG_MEMCG */

static inline bool lru_per_memcg(struct list_lru *lru)
{
	return false;
}

static inline struct list_lru_one *
lru_list_of(struct list_lru *lru, int nid, struct mem_cgroup *memcg)
{
	return &lru->node[nid].lru;
}

static inline struct list_lru_one *
lru_lock_items_list(struct list_lru *lru, int nid, struct mem_cgroup **memcg,
		    enum lru_lock_how how, unsigned long *flags)
{
	struct list_lru_one *l = &lru->node[nid].lru;

	*memcg = NULL;
	lru_one_lock(l, how, flags);
	return l;
}

static inline void lru_note_first_item(struct list_lru *lru, int nid,
				       struct mem_cgroup *memcg)
{
}

static inline int lru_init_memcg(struct list_lru *lru, bool memcg_aware,
				 struct shrinker *shrinker)
{
	return 0;
}

static inline void lru_destroy_memcg(struct list_lru *lru)
{
}

static inline unsigned long lru_count_lists(struct list_lru *lru, int nid)
{
	return lru_one_count(&lru->node[nid].lru);
}

#endif /* CONFIG_MEMCG */

/*
 * The add and the delete proper, on a list the caller has locked. @memcg
 * owns @l: its shrinker bit is the one the first item sets.
 */
static __always_inline bool lru_add_locked(struct list_lru *lru,
					   struct list_lru_one *l,
					   struct list_head *item, int nid,
					   struct mem_cgroup *memcg)
{
	if (!list_empty(item))
		return false;
	list_add_tail(item, &l->list);
	/*
	 * The count before the bit: reclaim clears the bit when it counts
	 * nothing, then counts again (see set_shrinker_bit()).
	 */
	lru_one_count_add(l, 1);
	if (l->nr_items == 1) {
		lru_park_here(LRU_PARK_ADD_FIRST, nid);
		lru_note_first_item(lru, nid, memcg);
	}
	return true;
}

static __always_inline bool lru_del_locked(struct list_lru_one *l,
					   struct list_head *item)
{
	if (list_empty(item))
		return false;
	list_del_init(item);
	lru_one_count_add(l, -1);
	return true;
}

/**
 * list_lru_add - put an item at the tail of its (node, memcg) list
 * @lru: the lru
 * @item: the item's list head; must be initialised and not on any list
 * @nid: node of the item
 * @memcg: memcg the item is charged to; ignored unless @lru is memcg-aware.
 *	memcg_list_lru_alloc() should have been called for it; if @memcg
 *	has no lists in @lru, the item goes to its nearest ancestor's.
 *
 * The first item of a memcg's list sets that memcg's bit for the lru's
 * shrinker on @nid.
 *
 * Return: true if the item was added, false if it was already on a list.
 */
bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l;
	bool added;

	l = lru_lock_items_list(lru, nid, &memcg, LRU_LOCK_PLAIN, NULL);
	added = lru_add_locked(lru, l, item, nid, memcg);
	spin_unlock(&l->lock);
	return added;
}
EXPORT_SYMBOL_GPL(list_lru_add);

/**
 * list_lru_add_irq - list_lru_add() for an lru used from interrupt context
 * @lru: the lru
 * @item: the item's list head
 * @nid: node of the item
 * @memcg: memcg of the item
 *
 * Context: process context, interrupts enabled; takes the list lock with
 * interrupts disabled, as every user of such an lru must.
 *
 * Return: true if the item was added, false if it was already on a list.
 */
bool list_lru_add_irq(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg)
{
	struct list_lru_one *l;
	bool added;

	l = lru_lock_items_list(lru, nid, &memcg, LRU_LOCK_IRQ, NULL);
	added = lru_add_locked(lru, l, item, nid, memcg);
	spin_unlock_irq(&l->lock);
	return added;
}
EXPORT_SYMBOL_GPL(list_lru_add_irq);

/**
 * list_lru_del - take an item off its (node, memcg) list
 * @lru: the lru
 * @item: the item
 * @nid: node of the item, as given to list_lru_add()
 * @memcg: memcg of the item, as given to list_lru_add() (or its ancestor
 *	that inherited the item)
 *
 * Return: true if the item was removed, false if it was on no list.
 */
bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l;
	bool removed;

	l = lru_lock_items_list(lru, nid, &memcg, LRU_LOCK_PLAIN, NULL);
	removed = lru_del_locked(l, item);
	spin_unlock(&l->lock);
	return removed;
}
EXPORT_SYMBOL_GPL(list_lru_del);

/**
 * list_lru_lock - lock the list that holds a memcg's items on a node
 * @lru: the lru
 * @nid: the node
 * @memcg: in: the memcg the items are charged to (may be NULL, or ignored
 *	when @lru is not memcg-aware); out: the memcg owning the locked list:
 *	@memcg, an ancestor when @memcg died, or NULL or the root for a
 *	per-node list
 *
 * The same placement list_lru_add() and list_lru_del() use, for callers
 * that must test or change their own state together with the list (THP's
 * deferred split queue, say): lock, then __list_lru_add() or
 * __list_lru_del() any number of times, then list_lru_unlock().
 *
 * Context: @memcg must not be freed meanwhile (RCU, a reference, or a
 * charged object pinning it). The list stays valid while locked: a dying
 * memcg's lists are emptied under their locks before they are freed.
 *
 * Return: the locked list; never NULL.
 */
struct list_lru_one *list_lru_lock(struct list_lru *lru, int nid,
				   struct mem_cgroup **memcg)
{
	return lru_lock_items_list(lru, nid, memcg, LRU_LOCK_PLAIN, NULL);
}
EXPORT_SYMBOL_GPL(list_lru_lock);

/**
 * list_lru_unlock - unlock a list locked by list_lru_lock()
 * @l: the list
 */
void list_lru_unlock(struct list_lru_one *l)
{
	spin_unlock(&l->lock);
}
EXPORT_SYMBOL_GPL(list_lru_unlock);

/**
 * list_lru_lock_irqsave - list_lru_lock(), saving and disabling interrupts
 * @lru: the lru
 * @nid: the node
 * @memcg: as for list_lru_lock()
 * @flags: where the interrupt state is saved
 *
 * Context: any, including interrupt context.
 *
 * Return: the locked list; unlock it with list_lru_unlock_irqrestore().
 */
struct list_lru_one *list_lru_lock_irqsave(struct list_lru *lru, int nid,
					   struct mem_cgroup **memcg,
					   unsigned long *flags)
{
	return lru_lock_items_list(lru, nid, memcg, LRU_LOCK_IRQSAVE, flags);
}
EXPORT_SYMBOL_GPL(list_lru_lock_irqsave);

/**
 * list_lru_unlock_irqrestore - unlock a list locked by list_lru_lock_irqsave()
 * @l: the list
 * @flags: the interrupt state list_lru_lock_irqsave() saved
 */
void list_lru_unlock_irqrestore(struct list_lru_one *l, unsigned long *flags)
{
	spin_unlock_irqrestore(&l->lock, *flags);
}
EXPORT_SYMBOL_GPL(list_lru_unlock_irqrestore);

/**
 * __list_lru_add - list_lru_add() on a list the caller has locked
 * @lru: the lru
 * @l: the list list_lru_lock() (or a variant) returned
 * @item: the item's list head
 * @nid: the node given to the lock
 * @memcg: the memcg the lock returned (the list's owner)
 *
 * Return: true if the item was added, false if it was already on a list.
 */
bool __list_lru_add(struct list_lru *lru, struct list_lru_one *l,
		    struct list_head *item, int nid, struct mem_cgroup *memcg)
{
	lockdep_assert_held(&l->lock);
	return lru_add_locked(lru, l, item, nid, memcg);
}
EXPORT_SYMBOL_GPL(__list_lru_add);

/**
 * __list_lru_del - list_lru_del() on a list the caller has locked
 * @lru: the lru
 * @l: the list list_lru_lock() (or a variant) returned
 * @item: the item; must be on @l or on no list
 * @nid: the node given to the lock
 *
 * Return: true if the item was removed, false if it was on no list.
 */
bool __list_lru_del(struct list_lru *lru, struct list_lru_one *l,
		    struct list_head *item, int nid)
{
	lockdep_assert_held(&l->lock);
	return lru_del_locked(l, item);
}
EXPORT_SYMBOL_GPL(__list_lru_del);

/* Add or delete an item embedded in a slab object: its page names both. */
static bool lru_obj_op(struct list_lru *lru, struct list_head *item, bool add)
{
	int nid = page_to_nid(virt_to_page(item));
	struct mem_cgroup *memcg = NULL;
	bool done;

	/* the objcg's memcg is only stable under RCU */
	rcu_read_lock();
	if (lru_per_memcg(lru))
		memcg = mem_cgroup_from_virt(item);
	if (add)
		done = list_lru_add(lru, item, nid, memcg);
	else
		done = list_lru_del(lru, item, nid, memcg);
	rcu_read_unlock();
	return done;
}

/**
 * list_lru_add_obj - list_lru_add() for an item embedded in a slab object
 * @lru: the lru
 * @item: list head inside an object from kmem_cache_alloc_lru() or kmalloc
 *
 * Node and memcg are those of the object's slab page: the memcg is the one
 * the object is charged to, or the root when it is not charged.
 *
 * Return: true if the item was added, false if it was already on a list.
 */
bool list_lru_add_obj(struct list_lru *lru, struct list_head *item)
{
	return lru_obj_op(lru, item, true);
}
EXPORT_SYMBOL_GPL(list_lru_add_obj);

/**
 * list_lru_del_obj - list_lru_del() for an item embedded in a slab object
 * @lru: the lru
 * @item: list head inside the object
 *
 * Return: true if the item was removed, false if it was on no list.
 */
bool list_lru_del_obj(struct list_lru *lru, struct list_head *item)
{
	return lru_obj_op(lru, item, false);
}
EXPORT_SYMBOL_GPL(list_lru_del_obj);

/**
 * list_lru_isolate - unlink an item from the list being walked
 * @list: the list passed to the isolate callback (its lock held)
 * @item: the item passed to the callback
 *
 * The item's head is left empty with list_del_init_careful(): whoever
 * sees it empty with list_empty_careful(), without the lock, also sees
 * every write the callback made before, and none comes after (THP's free
 * path frees a folio it finds unqueued).
 */
void list_lru_isolate(struct list_lru_one *list, struct list_head *item)
{
	lockdep_assert_held(&list->lock);
	list_del_init_careful(item);
	lru_one_count_add(list, -1);
}
EXPORT_SYMBOL_GPL(list_lru_isolate);

/**
 * list_lru_isolate_move - move an item from the list being walked to @head
 * @list: the list passed to the isolate callback (its lock held)
 * @item: the item passed to the callback
 * @head: a private list of the caller, typically a dispose list
 */
void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head)
{
	lockdep_assert_held(&list->lock);
	list_move(item, head);
	lru_one_count_add(list, -1);
}
EXPORT_SYMBOL_GPL(list_lru_isolate_move);

/**
 * list_lru_count_one - number of items of one memcg on one node
 * @lru: the lru
 * @nid: the node
 * @memcg: the memcg; ignored unless @lru is memcg-aware
 *
 * Lockless and O(1). A dying memcg counts 0: its items count in the parent.
 *
 * Return: the count, which may be stale by the time the caller reads it.
 */
unsigned long list_lru_count_one(struct list_lru *lru, int nid,
				 struct mem_cgroup *memcg)
{
	struct list_lru_one *l;
	unsigned long n = 0;

	rcu_read_lock();
	l = lru_list_of(lru, nid, memcg);
	if (l)
		n = lru_one_count(l);
	rcu_read_unlock();
	return n;
}
EXPORT_SYMBOL_GPL(list_lru_count_one);

/**
 * list_lru_count_node - number of items on one node, all memcgs together
 * @lru: the lru
 * @nid: the node
 *
 * Lockless. O(1) for an lru that is not memcg-aware; for a memcg-aware one
 * it sums the lists of the memcgs that have some in @lru, so that adds and
 * deletes of different memcgs share no counter at all (no caller needs this
 * total on a hot path).
 *
 * Return: the count.
 */
unsigned long list_lru_count_node(struct list_lru *lru, int nid)
{
	return lru_count_lists(lru, nid);
}
EXPORT_SYMBOL_GPL(list_lru_count_node);

/**
 * list_lru_count - number of items in the whole lru
 * @lru: the lru
 *
 * Return: the sum of list_lru_count_node() over the nodes with memory.
 */
unsigned long list_lru_count(struct list_lru *lru)
{
	unsigned long sum = 0;
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY)
		sum += list_lru_count_node(lru, nid);
	return sum;
}
EXPORT_SYMBOL_GPL(list_lru_count);

/*
 * Walk one list. The caller keeps @l valid: it is a per-node list, or the
 * caller holds lru_walk_srcu. A list that is, or becomes, dead holds nothing
 * to walk: its items were moved to the parent's list.
 */
static unsigned long lru_walk_list(struct list_lru_one *l,
				   list_lru_walk_cb isolate, void *cb_arg,
				   unsigned long *nr_to_walk, bool irq)
{
	long n = READ_ONCE(l->nr_items);
	struct list_head *item, *next;
	unsigned long isolated = 0;

	/*
	 * Empty or dead: no lock. Walks over every memcg (unmount's
	 * shrink_dcache_sb() restarts one per 1024 items) pass mostly emptied
	 * lists; an item added meanwhile is the next walk's. A live count
	 * gone negative by a bug is walked all the same.
	 */
	if (!n || n == LIST_LRU_DEAD)
		return 0;
restart:
	/* RETRY items count too: a walk always ends */
	if (*nr_to_walk == 0)
		return isolated;
	lru_one_lock(l, irq ? LRU_LOCK_IRQ : LRU_LOCK_PLAIN, NULL);
	if (lru_one_dead(l))
		goto out;
	list_for_each_safe(item, next, &l->list) {
		enum lru_status ret;

		if (*nr_to_walk == 0)
			break;
		*nr_to_walk -= 1;

		ret = isolate(item, l, cb_arg);
		switch (ret) {
		case LRU_REMOVED:
			isolated++;
			break;
		case LRU_REMOVED_RETRY:
			isolated++;
			fallthrough;
		case LRU_RETRY:
			/* the callback dropped the lock: the list may be dead */
			lockdep_assert_not_held(&l->lock);
			if (irq)
				lockdep_assert_irqs_enabled();
			__release(&l->lock);
			goto restart;
		case LRU_SKIP:
			break;
		case LRU_ROTATE:
			list_move_tail(item, &l->list);
			break;
		case LRU_STOP:
			lockdep_assert_not_held(&l->lock);
			if (irq)
				lockdep_assert_irqs_enabled();
			__release(&l->lock);
			return isolated;
		default:
			/* taken to have returned with the lock, as it came */
			WARN_ONCE(1, "list_lru: isolate callback %ps returned %d\n",
				  isolate, ret);
			lockdep_assert_held(&l->lock);
			goto out;
		}
		lockdep_assert_held(&l->lock);
	}
out:
	lru_one_unlock(l, irq ? LRU_LOCK_IRQ : LRU_LOCK_PLAIN, NULL);
	return isolated;
}

static unsigned long lru_walk_memcg_node(struct list_lru *lru, int nid,
					 struct mem_cgroup *memcg,
					 list_lru_walk_cb isolate,
					 void *cb_arg,
					 unsigned long *nr_to_walk, bool irq)
{
	unsigned long isolated = 0;
	struct list_lru_one *l;
#ifdef CONFIG_MEMCG
	int idx = srcu_read_lock(&lru_walk_srcu);
#endif

	rcu_read_lock();
	l = lru_list_of(lru, nid, memcg);
	rcu_read_unlock();
	if (l)
		isolated = lru_walk_list(l, isolate, cb_arg, nr_to_walk, irq);
#ifdef CONFIG_MEMCG
	srcu_read_unlock(&lru_walk_srcu, idx);
#endif
	return isolated;
}

/**
 * list_lru_walk_one - walk the items of one memcg on one node
 * @lru: the lru
 * @nid: the node
 * @memcg: the memcg; ignored unless @lru is memcg-aware
 * @isolate: called for each item with the list lock held
 * @cb_arg: passed to @isolate
 * @nr_to_walk: at most this many items are visited; decremented per item
 *
 * Items are visited from the head: the items of dead children, moved there
 * when they died, then the memcg's own, oldest first.
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_walk_one(struct list_lru *lru, int nid,
				struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg,
				unsigned long *nr_to_walk)
{
	return lru_walk_memcg_node(lru, nid, memcg, isolate, cb_arg,
				   nr_to_walk, false);
}
EXPORT_SYMBOL_GPL(list_lru_walk_one);

/**
 * list_lru_walk_one_irq - list_lru_walk_one() with interrupts disabled
 * @lru: the lru
 * @nid: the node
 * @memcg: the memcg
 * @isolate: called for each item with the list lock held, irqs off
 * @cb_arg: passed to @isolate
 * @nr_to_walk: at most this many items are visited
 *
 * For lrus whose items are added or deleted with interrupts disabled.
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid,
				    struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk)
{
	return lru_walk_memcg_node(lru, nid, memcg, isolate, cb_arg,
				   nr_to_walk, true);
}
EXPORT_SYMBOL_GPL(list_lru_walk_one_irq);

/**
 * list_lru_shrink_walk - walk the list a shrinker was asked to scan
 * @lru: the lru
 * @sc: the shrinker's control: @sc->nid and @sc->memcg pick the list,
 *	@sc->nr_to_scan is the budget and is decremented per item visited
 * @isolate: called for each item with the list lock held
 * @cb_arg: passed to @isolate
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_shrink_walk(struct list_lru *lru,
				   struct shrink_control *sc,
				   list_lru_walk_cb isolate, void *cb_arg)
{
	return lru_walk_memcg_node(lru, sc->nid, sc->memcg, isolate, cb_arg,
				   &sc->nr_to_scan, false);
}
EXPORT_SYMBOL_GPL(list_lru_shrink_walk);

/**
 * list_lru_shrink_walk_irq - list_lru_shrink_walk() with interrupts disabled
 * @lru: the lru
 * @sc: the shrinker's control
 * @isolate: called for each item with the list lock held, irqs off
 * @cb_arg: passed to @isolate
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_shrink_walk_irq(struct list_lru *lru,
				       struct shrink_control *sc,
				       list_lru_walk_cb isolate, void *cb_arg)
{
	return lru_walk_memcg_node(lru, sc->nid, sc->memcg, isolate, cb_arg,
				   &sc->nr_to_scan, true);
}
EXPORT_SYMBOL_GPL(list_lru_shrink_walk_irq);

/**
 * list_lru_walk_node - walk every memcg's items on one node
 * @lru: the lru
 * @nid: the node
 * @isolate: called for each item with the list lock held
 * @cb_arg: passed to @isolate
 * @nr_to_walk: at most this many items are visited
 *
 * The root memcg's list first, then the memcgs' lists in memcg id order.
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_walk_node(struct list_lru *lru, int nid,
				 list_lru_walk_cb isolate, void *cb_arg,
				 unsigned long *nr_to_walk)
{
	unsigned long isolated;

	isolated = lru_walk_list(&lru->node[nid].lru, isolate, cb_arg,
				 nr_to_walk, false);
#ifdef CONFIG_MEMCG
	if (lru_per_memcg(lru) && *nr_to_walk) {
		struct list_lru_memcg *blk;
		unsigned long id;
		int idx;

		/* a block found under RCU stays while the SRCU is held */
		idx = srcu_read_lock(&lru_walk_srcu);
		for (id = 0; *nr_to_walk; id++) {
			rcu_read_lock();
			blk = lru_next_block(lru, &id);
			rcu_read_unlock();
			if (!blk)
				break;
			isolated += lru_walk_list(&blk->node[nid], isolate,
						  cb_arg, nr_to_walk, false);
		}
		srcu_read_unlock(&lru_walk_srcu, idx);
	}
#endif
	return isolated;
}
EXPORT_SYMBOL_GPL(list_lru_walk_node);

/**
 * list_lru_walk_nodemask - walk every memcg's items on a set of nodes
 * @lru: the lru
 * @nodes: the nodes, walked in ascending order
 * @isolate: called for each item with the list lock held
 * @cb_arg: passed to @isolate
 * @nr_to_walk: at most this many items are visited, over all nodes
 *
 * Return: the number of items @isolate removed.
 */
unsigned long list_lru_walk_nodemask(struct list_lru *lru,
				     const nodemask_t *nodes,
				     list_lru_walk_cb isolate, void *cb_arg,
				     unsigned long *nr_to_walk)
{
	unsigned long isolated = 0;
	int nid;

	for_each_node_mask(nid, *nodes) {
		if (!*nr_to_walk)
			break;
		isolated += list_lru_walk_node(lru, nid, isolate, cb_arg,
					       nr_to_walk);
	}
	return isolated;
}
EXPORT_SYMBOL_GPL(list_lru_walk_nodemask);

/**
 * __list_lru_init - set up an lru
 * @lru: the lru, zeroed or destroyed (list_lru_init_memcg_key() sets the
 *	lockdep class of its list locks first)
 * @memcg_aware: keep items per memcg
 * @shrinker: shrinker of a memcg-aware lru (its memcg bits are set as
 *	memcgs get items), or NULL
 *
 * Use the list_lru_init*() wrappers.
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int __list_lru_init(struct list_lru *lru, bool memcg_aware,
		    struct shrinker *shrinker)
{
	int nid;

	lru->node = kcalloc(nr_node_ids, sizeof(*lru->node), GFP_KERNEL);
	if (!lru->node)
		return -ENOMEM;
	for (nid = 0; nid < nr_node_ids; nid++)
		lru_one_init(lru, &lru->node[nid].lru);
	return lru_init_memcg(lru, memcg_aware, shrinker);
}
EXPORT_SYMBOL_GPL(__list_lru_init);

/**
 * list_lru_destroy - free an lru's lists
 * @lru: the lru; one never initialised (zeroed) or already destroyed is fine
 *
 * Items still listed are forgotten, not freed: the owner disposes of them
 * first. No other user of @lru may be left.
 *
 * Context: process context.
 */
void list_lru_destroy(struct list_lru *lru)
{
	if (!lru->node)
		return;
	lru_destroy_memcg(lru);
	kfree(lru->node);
	lru->node = NULL;
}
EXPORT_SYMBOL_GPL(list_lru_destroy);

#ifdef CONFIG_LIST_LRU_KUNIT_TEST
#include "list_lru_kunit.c"
#endif
