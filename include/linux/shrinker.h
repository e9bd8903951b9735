/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinkers: how reclaim asks a cache to give memory back.
 *
 * A cache registers a shrinker with two callbacks. count_objects() says how
 * many objects could be freed; scan_objects() tries to free up to
 * sc->nr_to_scan of them. Reclaim calls them per NUMA node and per memory
 * cgroup, in proportion to its own pressure. See
 * Documentation/mm/shrinker.rst.
 */
#ifndef _LINUX_SHRINKER_H
#define _LINUX_SHRINKER_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/xarray.h>

/* scan_objects(): nothing can be freed in this context, try later */
#define SHRINK_STOP (~0UL)
/* count_objects(): the cache is empty (lets memcg reclaim skip it next time) */
#define SHRINK_EMPTY (~0UL - 1)

/**
 * struct shrink_control - one request from reclaim to a shrinker
 * @gfp_mask: allocation context of the reclaim; a shrinker that needs
 *	__GFP_FS (or __GFP_IO) and does not find it returns %SHRINK_STOP
 * @nid: the node under reclaim. NUMA-aware shrinkers count and free objects
 *	of this node; the others look at their whole pool and may ignore it
 * @memcg: the memcg under reclaim, for %SHRINKER_MEMCG_AWARE shrinkers
 *	(NULL or the root means "not limited to a memcg")
 * @target_memcg: in memcg reclaim, the memcg it reclaims for (@memcg is it
 *	or a descendant); NULL in kswapd's, global and root reclaim, for
 *	drop_caches and debugfs scans. A cache that is not per memcg may use
 *	it (mem_cgroup_obj_in_subtree()) to free only objects charged under it.
 *	Set only by shrink_slab() and the debugfs scan: a caller that builds
 *	its own shrink_control for its own shrinker leaves it unset
 * @nr_to_scan: objects to look at in this call (at most the batch size);
 *	list_lru_shrink_walk() decrements it per object visited
 * @nr_scanned: objects the shrinker reports as looked at; preset to
 *	@nr_to_scan, lower it if fewer were (it is what reclaim accounts)
 */
struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	struct mem_cgroup *memcg;
	struct mem_cgroup *target_memcg;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
};

/**
 * struct shrinker - a cache that reclaim can shrink
 * @count_objects: number of freeable objects for sc->nid (and sc->memcg);
 *	0 if unknown right now, %SHRINK_EMPTY if there are none. Must be cheap
 *	and must not sleep for long: it is called for every reclaim pass.
 * @scan_objects: free up to sc->nr_to_scan objects; return how many were
 *	freed, or %SHRINK_STOP if it cannot make progress in this context
 * @private_data: for the owner
 * @batch: objects per scan_objects() call; 0 means %SHRINK_BATCH
 * @seeks: cost to recreate an object relative to a page (%DEFAULT_SEEKS);
 *	higher means scanned less. 0 means "scan half of what is freeable"
 * @flags: %SHRINKER_NUMA_AWARE, %SHRINKER_MEMCG_AWARE, %SHRINKER_NONSLAB
 *	given to shrinker_alloc(); the core adds its own state bits
 * @refcount: held by each reclaimer running the shrinker; the registration
 *	holds one; shrinker_free() waits until it drains
 * @done: completed when @refcount reaches zero
 * @rcu: frees the shrinker after reclaimers walking the list are gone
 * @list: entry in the list of registered shrinkers (RCU)
 * @id: id of a memcg-aware shrinker: its bit in each memcg's map
 * @debugfs_id: debugfs directory number
 * @name: name given to shrinker_alloc()
 * @debugfs_entry: its debugfs directory
 * @nr_deferred: per node, work deferred from earlier calls (the memcg-aware
 *	shrinkers keep a memcg's own in that memcg)
 */
struct shrinker {
	unsigned long (*count_objects)(struct shrinker *shrinker,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *shrinker,
				      struct shrink_control *sc);
	void *private_data;
	long batch;
	int seeks;
	unsigned int flags;

	refcount_t refcount;
	struct completion done;
	struct rcu_head rcu;
	struct list_head list;
	atomic_long_t *nr_deferred;
#ifdef CONFIG_SHRINKER_DEBUG
	const char *name;
	struct dentry *debugfs_entry;
	int debugfs_id;
#endif
#ifdef CONFIG_MEMCG
	int id;
#endif
};

#define DEFAULT_SEEKS	2	/* a good number if you don't know better */
#define SHRINK_BATCH	128	/* objects per scan_objects() by default */

/* State bits, set by the core */
#define SHRINKER_REGISTERED	BIT(0)
#define SHRINKER_ALLOCATED	BIT(1)

/* Flags for shrinker_alloc() */
#define SHRINKER_NUMA_AWARE	BIT(2)	/* objects counted and freed per node */
#define SHRINKER_MEMCG_AWARE	BIT(3)	/* ... and per memcg (with list_lru) */
/*
 * Not slab (objects charged some other way, e.g. as pages). Memcg reclaim
 * calls every shrinker whose bit is set, with kmem accounting or without,
 * so the flag changes nothing here; it is kept for callers that pass it.
 */
#define SHRINKER_NONSLAB	BIT(4)

/*
 * Per memcg and node: which memcg-aware shrinkers may have objects there
 * (a bit per shrinker id) and their deferred work. Kept in units of
 * BITS_PER_LONG ids in an xarray, so that ids grow without copying maps.
 */
#define SHRINKER_UNIT_BITS	BITS_PER_LONG

/**
 * struct shrinker_unit - map word and deferred work of BITS_PER_LONG ids
 * @map: bit set when the shrinker may have objects in this memcg and node
 * @nr_deferred: work deferred per shrinker
 */
struct shrinker_unit {
	unsigned long map;
	atomic_long_t nr_deferred[SHRINKER_UNIT_BITS];
};

/* Units of a map reached without a lookup: ids below 4 * BITS_PER_LONG */
#define SHRINKER_INFO_DIRECT	4

/**
 * struct shrinker_info - the shrinker map of one memcg on one node
 * @direct: the first units, by index; the ids of most systems fit here,
 *	and setting a bit then costs no lookup
 * @units: units from %SHRINKER_INFO_DIRECT on, by id / %SHRINKER_UNIT_BITS
 * @resume: the id memcg reclaim with a goal stopped before; its next pass
 *	over this memcg and node starts there and wraps, as
 *	mem_cgroup_reclaim_iter resumes the memcg walk: otherwise the
 *	lowest ids would give all of every small ask. A pass whose slab
 *	credit met the ask leaves the later shrinkers alone, those that
 *	free no slab (zswap writeback, the THP split) included
 *
 * Units are created on demand, before the first bit they hold can be set
 * (shrinker_memcg_prepare()), and never freed before the memcg.
 */
struct shrinker_info {
	struct shrinker_unit *direct[SHRINKER_INFO_DIRECT];
	struct xarray units;
	unsigned int resume;
};

/*
 * Take a reference on a registered shrinker; false before registration and
 * once it is going away. Acquire: a reclaimer may have found the shrinker
 * by id before its owner set the callbacks, and must read them only after
 * shrinker_register() published them with the count (a release).
 */
static inline bool shrinker_try_get(struct shrinker *shrinker)
{
	return refcount_inc_not_zero_acquire(&shrinker->refcount);
}

/* The last reference lets shrinker_free() go on. */
static inline void shrinker_put(struct shrinker *shrinker)
{
	if (!refcount_dec_and_test(&shrinker->refcount))
		return;
	complete(&shrinker->done);
}

__printf(2, 3)
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...);
void shrinker_register(struct shrinker *shrinker);
void shrinker_free(struct shrinker *shrinker);

#ifdef CONFIG_MEMCG
int shrinker_memcg_prepare(struct mem_cgroup *memcg, int id, gfp_t gfp);
#else
static inline int shrinker_memcg_prepare(struct mem_cgroup *memcg, int id,
					 gfp_t gfp)
{
	return 0;
}
#endif

/*
 * Memcg reclaim counts the charged memory it frees (Documentation/mm/
 * shrinker.rst, "What memcg reclaim counts"). Slab objects freed directly
 * are counted by the slab free hook; a shrinker that frees with call_rcu()
 * calls reclaim_credit_obj() on the object first.
 */
struct mem_cgroup;
struct obj_cgroup;
#ifdef CONFIG_MEMCG
void reclaim_credit_obj(const void *obj);
void reclaim_credit_objcg(struct obj_cgroup *objcg, size_t bytes);
#else
static inline void reclaim_credit_obj(const void *obj)
{
}
#endif

#ifdef CONFIG_SHRINKER_DEBUG
__printf(2, 3)
int shrinker_debugfs_rename(struct shrinker *shrinker, const char *fmt, ...);
#else
static inline __printf(2, 3)
int shrinker_debugfs_rename(struct shrinker *shrinker, const char *fmt, ...)
{
	return 0;
}
#endif

#endif /* _LINUX_SHRINKER_H */
