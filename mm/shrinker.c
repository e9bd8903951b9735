// SPDX-License-Identifier: GPL-2.0
/*
 * The shrinker core: registration of caches that reclaim can shrink, and
 * shrink_slab(), which turns reclaim pressure on one node (and memcg) into
 * calls of their count_objects() and scan_objects().
 *
 * Registered shrinkers sit on an RCU list; a reclaimer takes a reference on
 * the one it is about to call and lets go of the RCU read lock, so a slow
 * or sleeping shrinker holds up neither registration nor other reclaimers,
 * and shrinker_free() only waits for the calls already in flight.
 *
 * Memcg-aware shrinkers also get an id. Each memcg keeps, per node, a map
 * with a bit per id, set by list_lru when the memcg's list on that node
 * gets its first object and cleared here when the shrinker reports
 * SHRINK_EMPTY, so memcg reclaim calls only the shrinkers that may have
 * something. The map is split into units of BITS_PER_LONG ids kept in an
 * xarray and created on demand (list_lru creates the unit of its shrinker
 * when it creates a memcg's lists), so registering a shrinker never walks
 * the memcgs. See Documentation/mm/shrinker.rst.
 */
#include <linux/memcontrol.h>
#include <linux/rculist.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <trace/events/vmscan.h>

#include "internal.h"
#include "lru_park.h"

/* Writers of shrinker_list and the id space; shrinker_debug.c takes it too. */
DEFINE_MUTEX(shrinker_mutex);
LIST_HEAD(shrinker_list);

/*
 * Memcg reclaim that has freed what it still wanted (reclaim_state's
 * memcg_want, set by vmscan before it calls the shrinkers) stops: between
 * the batches of a shrinker (at low priority one pass over a large cache
 * can free several times the ask) and before the next shrinker, where
 * the next pass over that memcg resumes (shrink_slab_memcg()). Other
 * reclaim has no such goal.
 */
static struct reclaim_state *memcg_reclaim_goal(void)
{
#ifdef CONFIG_MEMCG
	struct reclaim_state *rs = current->reclaim_state;

	if (rs && rs->memcg && rs->memcg_want != ULONG_MAX)
		return rs;
#endif
	return NULL;
}

/* The (non-root) memcg a memcg reclaim is for, or NULL */
static struct mem_cgroup *reclaim_target_memcg(void)
{
#ifdef CONFIG_MEMCG
	struct reclaim_state *rs = current->reclaim_state;

	if (rs)
		return rs->memcg;
#endif
	return NULL;
}

static bool memcg_reclaim_met(void)
{
#ifdef CONFIG_MEMCG
	struct reclaim_state *rs = memcg_reclaim_goal();

	return rs && rs->memcg_bytes >= rs->memcg_want;
#else
	return false;
#endif
}

#ifdef CONFIG_MEMCG

/* Memcg-aware shrinkers by id: written under shrinker_mutex, read under RCU */
static DEFINE_XARRAY_ALLOC(shrinker_ids);
/* Units a new memcg creates up front: enough for every id handed out */
static unsigned int shrinker_nr_units;

static inline unsigned int id_unit(int id)
{
	return id / SHRINKER_UNIT_BITS;
}

static inline unsigned int id_bit(int id)
{
	return id % SHRINKER_UNIT_BITS;
}

/*
 * The map of @memcg on @nid. It is set when the memcg comes online and freed
 * with the memcg, so a caller that keeps the memcg alive may use it.
 */
static inline struct shrinker_info *memcg_info(struct mem_cgroup *memcg,
					       int nid)
{
	return rcu_dereference_check(memcg->nodeinfo[nid]->shrinker_info, true);
}

static __always_inline struct shrinker_unit *
info_unit(struct shrinker_info *info, unsigned long idx)
{
	if (idx < SHRINKER_INFO_DIRECT)
		return READ_ONCE(info->direct[idx]);
	return xa_load(&info->units, idx);
}

/* The first unit at @*idx or above, with its index in @*idx; or NULL. */
static struct shrinker_unit *info_next_unit(struct shrinker_info *info,
					    unsigned long *idx)
{
	struct shrinker_unit *unit;

	for (; *idx < SHRINKER_INFO_DIRECT; ++*idx) {
		unit = READ_ONCE(info->direct[*idx]);
		if (unit)
			return unit;
	}
	return xa_find(&info->units, idx, ULONG_MAX, XA_PRESENT);
}

#define for_each_info_unit(info, idx, unit)				\
	for ((idx) = 0; ((unit) = info_next_unit((info), &(idx))); (idx)++)

static int info_add_unit(struct shrinker_info *info, unsigned long idx,
			 gfp_t gfp, int nid)
{
	struct shrinker_unit *unit;
	unsigned long flags;
	int err = 0;

	unit = kzalloc_node(sizeof(*unit), gfp, nid);
	if (!unit)
		return -ENOMEM;
	/*
	 * Saving the interrupt state: an object allocated under an IRQ-safe
	 * lock (workingset's i_pages) gets here with them off. With a @gfp
	 * that may sleep, __xa_insert() drops and retakes the lock with
	 * xa_unlock_irq()/xa_lock_irq(), and then interrupts were on.
	 */
	xa_lock_irqsave(&info->units, flags);
	if (idx < SHRINKER_INFO_DIRECT) {
		if (info->direct[idx])
			err = -EBUSY;
		else
			/* the zeroed unit before its pointer: pairs with READ_ONCE() */
			smp_store_release(&info->direct[idx], unit);
	} else {
		err = __xa_insert(&info->units, idx, unit, gfp);
	}
	xa_unlock_irqrestore(&info->units, flags);
	if (err)
		kfree(unit);
	return err == -EBUSY ? 0 : err;
}

static void info_free(struct shrinker_info *info)
{
	struct shrinker_unit *unit;
	unsigned long idx;

	for_each_info_unit(info, idx, unit)
		kfree(unit);
	xa_destroy(&info->units);
	kfree(info);
}

/**
 * free_shrinker_info - free the shrinker maps of a memcg
 * @memcg: the memcg being freed (or whose onlining failed)
 */
void free_shrinker_info(struct mem_cgroup *memcg)
{
	struct shrinker_info *info;
	int nid;

	for_each_node(nid) {
		info = memcg_info(memcg, nid);
		RCU_INIT_POINTER(memcg->nodeinfo[nid]->shrinker_info, NULL);
		if (info)
			info_free(info);
	}
}

/**
 * alloc_shrinker_info - give a memcg coming online its shrinker maps
 * @memcg: the memcg
 *
 * Creates the units for the ids handed out so far, so shrinkers that set
 * their bits directly (not through list_lru) find them. Units for later ids
 * come on demand. The root memcg needs no map: reclaim of the root calls
 * every shrinker.
 *
 * Return: 0 or -ENOMEM (the caller frees with free_shrinker_info()).
 */
int alloc_shrinker_info(struct mem_cgroup *memcg)
{
	unsigned int idx, units = READ_ONCE(shrinker_nr_units);
	struct shrinker_info *info;
	int nid;

	if (mem_cgroup_is_root(memcg))
		return 0;
	for_each_node(nid) {
		info = kzalloc_node(sizeof(*info), GFP_KERNEL, nid);
		if (!info)
			return -ENOMEM;
		xa_init_flags(&info->units, XA_FLAGS_LOCK_IRQ);
		rcu_assign_pointer(memcg->nodeinfo[nid]->shrinker_info, info);
		for (idx = 0; idx < units; idx++)
			if (info_add_unit(info, idx, GFP_KERNEL, nid))
				return -ENOMEM;
	}
	return 0;
}

/**
 * shrinker_memcg_prepare - make room for a shrinker's bit in a memcg's maps
 * @memcg: the memcg, kept alive by the caller
 * @id: the shrinker's id (negative: nothing to do)
 * @gfp: allocation context
 *
 * list_lru calls this when it creates a memcg's lists, so that the first
 * object on them can set the bit without allocating.
 *
 * Return: 0 or -ENOMEM.
 */
int shrinker_memcg_prepare(struct mem_cgroup *memcg, int id, gfp_t gfp)
{
	struct shrinker_info *info;
	int nid, err;

	if (id < 0 || !memcg || mem_cgroup_is_root(memcg))
		return 0;
	for_each_node(nid) {
		info = memcg_info(memcg, nid);
		if (!info || info_unit(info, id_unit(id)))
			continue;
		err = info_add_unit(info, id_unit(id), gfp, nid);
		if (err)
			return err;
	}
	return 0;
}

/* set_shrinker_bit() for an id past the direct units, out of line */
static noinline void set_shrinker_bit_slow(struct shrinker_info *info,
					   int shrinker_id)
{
	struct shrinker_unit *unit = info_unit(info, id_unit(shrinker_id));

	/*
	 * Every list owner got its unit from shrinker_memcg_prepare() before
	 * its first list was published; reparenting targets such an owner or
	 * the root. A missing unit is a bug: its objects stay unreclaimed by
	 * memcg reclaim until the next first object.
	 */
	if (WARN_ON_ONCE(!unit))
		return;
	/* as in set_shrinker_bit() */
	smp_mb__before_atomic();
	set_bit(id_bit(shrinker_id), &unit->map);
}

/**
 * set_shrinker_bit - note that a memcg may have objects for a shrinker
 * @memcg: the memcg
 * @nid: the node of the objects
 * @shrinker_id: the shrinker's id; negative ids are ignored
 *
 * Called when a memcg's list gets its first object, after the list's count
 * was raised: the barrier here orders that store before the bit, so that
 * reclaim, which clears the bit on %SHRINK_EMPTY and then counts again,
 * either sees the object or leaves the bit set. Never allocates: the unit
 * of the id was made with the memcg's lists (shrinker_memcg_prepare()).
 *
 * Context: any, interrupts off included; takes no lock.
 */
void set_shrinker_bit(struct mem_cgroup *memcg, int nid, int shrinker_id)
{
	struct shrinker_info *info;
	struct shrinker_unit *unit;

	if (shrinker_id < 0 || !memcg || mem_cgroup_is_root(memcg))
		return;
	info = memcg_info(memcg, nid);
	if (unlikely(!info))
		return;
	/* a direct unit here; one in the xarray is looked up out of line */
	unit = id_unit(shrinker_id) < SHRINKER_INFO_DIRECT ?
	       READ_ONCE(info->direct[id_unit(shrinker_id)]) : NULL;
	if (likely(unit)) {
		/* pairs with the barrier after clear_bit() in shrink_memcg_one() */
		smp_mb__before_atomic();
		set_bit(id_bit(shrinker_id), &unit->map);
		return;
	}
	set_shrinker_bit_slow(info, shrinker_id);
}

/*
 * The deferred-work counter of @shrinker for @sc: the memcg's own for a
 * memcg-aware shrinker reclaimed in a memcg, the shrinker's per-node one
 * otherwise. A shrinker that is not NUMA-aware has one pool whatever node
 * is under reclaim, so its work is deferred in node 0's counter only: one
 * counter per node would let it owe up to twice its pool per node.
 */
static atomic_long_t *deferred_slot(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	int nid = shrinker->flags & SHRINKER_NUMA_AWARE ? sc->nid : 0;
	struct shrinker_info *info;
	struct shrinker_unit *unit;

	if (!(shrinker->flags & SHRINKER_MEMCG_AWARE) || !sc->memcg ||
	    mem_cgroup_is_root(sc->memcg))
		return &shrinker->nr_deferred[nid];
	info = memcg_info(sc->memcg, nid);
	unit = info ? info_unit(info, id_unit(shrinker->id)) : NULL;
	if (!unit)
		return &shrinker->nr_deferred[nid];
	return &unit->nr_deferred[id_bit(shrinker->id)];
}

/**
 * reparent_shrinker_deferred - hand a dying memcg's deferred work upwards
 * @memcg: the memcg going offline
 *
 * Deferred work of each shrinker moves to the parent's map, or to the
 * shrinker's own per-node counter when the parent is the root or has no
 * unit for it.
 */
void reparent_shrinker_deferred(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);
	struct shrinker_unit *unit, *punit;
	struct shrinker_info *info, *pinfo;
	struct shrinker *shrinker;
	unsigned long idx;
	int nid, bit;
	long nr;

	mutex_lock(&shrinker_mutex);
	for_each_node(nid) {
		info = memcg_info(memcg, nid);
		pinfo = parent ? memcg_info(parent, nid) : NULL;
		if (!info)
			continue;
		for_each_info_unit(info, idx, unit) {
			punit = pinfo ? info_unit(pinfo, idx) : NULL;
			for (bit = 0; bit < SHRINKER_UNIT_BITS; bit++) {
				nr = atomic_long_xchg(&unit->nr_deferred[bit], 0);
				if (!nr)
					continue;
				if (punit) {
					atomic_long_add(nr, &punit->nr_deferred[bit]);
					continue;
				}
				shrinker = xa_load(&shrinker_ids,
						   idx * SHRINKER_UNIT_BITS + bit);
				if (shrinker)
					atomic_long_add(nr, &shrinker->nr_deferred[nid]);
			}
		}
	}
	mutex_unlock(&shrinker_mutex);
}

static int shrinker_id_alloc(struct shrinker *shrinker)
{
	u32 id;
	int err;

	mutex_lock(&shrinker_mutex);
	/* the lowest free id, as units are made up to the highest one */
	err = xa_alloc(&shrinker_ids, &id, shrinker, xa_limit_31b, GFP_KERNEL);
	if (!err) {
		shrinker->id = id;
		if (id_unit(id) >= shrinker_nr_units)
			WRITE_ONCE(shrinker_nr_units, id_unit(id) + 1);
	}
	mutex_unlock(&shrinker_mutex);
	return err;
}

static void shrinker_id_free(struct shrinker *shrinker)
{
	lockdep_assert_held(&shrinker_mutex);
	if (shrinker->flags & SHRINKER_MEMCG_AWARE)
		xa_erase(&shrinker_ids, shrinker->id);
}

static unsigned long do_shrink_slab(struct shrink_control *sc,
				    struct shrinker *shrinker, int priority);

/*
 * Run the shrinker with id @id for @sc, clearing its bit in @unit when it
 * reports SHRINK_EMPTY. Called and returns without the RCU read lock.
 */
static unsigned long shrink_memcg_one(struct shrink_control *sc,
				      struct shrinker_unit *unit, int id,
				      int priority)
{
	struct shrinker *shrinker;
	unsigned long ret;

	rcu_read_lock();
	shrinker = xa_load(&shrinker_ids, id);
	/*
	 * Freed: its id's bit is stale. (With kmem accounting off no lru
	 * keeps lists per memcg, so no bit is ever set for a slab cache.)
	 */
	if (unlikely(!shrinker)) {
		lru_park_here(LRU_PARK_STALE_BIT, id);
		clear_bit(id_bit(id), &unit->map);
		/*
		 * The id may have been handed to a new shrinker whose first
		 * object set the bit just before the clear: that shrinker was
		 * in the table before its lru could add anything, so a second
		 * look after the barrier finds it, and the bit goes back.
		 */
		smp_mb__after_atomic();
		if (xa_load(&shrinker_ids, id))
			set_bit(id_bit(id), &unit->map);
		rcu_read_unlock();
		return 0;
	}
	/*
	 * In the table from shrinker_alloc(), before its owner set the
	 * callbacks: the get fails until shrinker_register(), and orders the
	 * loads of the callbacks after it.
	 */
	lru_park_here(LRU_PARK_SHRINKER_FOUND, id);
	if (!shrinker_try_get(shrinker)) {
		rcu_read_unlock();
		return 0;
	}
	rcu_read_unlock();

	ret = do_shrink_slab(sc, shrinker, priority);
	if (ret == SHRINK_EMPTY) {
		ret = 0;
		clear_bit(id_bit(id), &unit->map);
		/*
		 * An object added after the count above set the bit before we
		 * cleared it: count again after the barrier (paired with
		 * set_shrinker_bit()) and put the bit back if so.
		 */
		smp_mb__after_atomic();
		ret = shrinker->count_objects(shrinker, sc);
		if (ret && ret != SHRINK_EMPTY)
			set_bit(id_bit(id), &unit->map);
		ret = 0;
	}
	shrinker_put(shrinker);
	return ret;
}

static unsigned long shrink_slab_memcg(struct shrink_control *sc,
				       int priority)
{
	struct shrinker_info *info;
	struct shrinker_unit *unit;
	unsigned long idx, freed = 0;
	unsigned int bit, id, start;
	bool wrapped = false;

	/* an offline memcg's objects were reparented */
	if (!mem_cgroup_online(sc->memcg))
		return 0;
	info = memcg_info(sc->memcg, sc->nid);
	if (!info)
		return 0;
	/*
	 * Reclaim with a goal stops at the first shrinker it reaches with the
	 * goal met, and the next pass over this memcg and node starts with
	 * that shrinker, wrapping around: over repeated reclaim each shrinker
	 * takes its turn first, not only the lowest ids. The cursor is a
	 * hint; racing reclaimers may overwrite each other's.
	 */
	start = memcg_reclaim_goal() ? READ_ONCE(info->resume) : 0;
again:
	for_each_info_unit(info, idx, unit) {
		for_each_set_bit(bit, &unit->map, SHRINKER_UNIT_BITS) {
			id = idx * SHRINKER_UNIT_BITS + bit;
			if (wrapped ? id >= start : id < start)
				continue;
			if (memcg_reclaim_met()) {
				WRITE_ONCE(info->resume, id);
				return freed;
			}
			freed += shrink_memcg_one(sc, unit, id, priority);
			if (fatal_signal_pending(current) && freed)
				return freed;
		}
	}
	if (start && !wrapped) {
		wrapped = true;
		goto again;
	}
	return freed;
}

#else /* !CONFIG_MEMCG */

static inline int shrinker_id_alloc(struct shrinker *shrinker)
{
	return 0;
}

static inline void shrinker_id_free(struct shrinker *shrinker)
{
}

static inline atomic_long_t *deferred_slot(struct shrinker *shrinker,
					   struct shrink_control *sc)
{
	return &shrinker->nr_deferred[sc->nid];
}

static inline unsigned long shrink_slab_memcg(struct shrink_control *sc,
					      int priority)
{
	return 0;
}

#endif /* CONFIG_MEMCG */

/*
 * How much of @freeable reclaim at @priority asks for: 1/2^priority of it,
 * times 4 / seeks, so that with DEFAULT_SEEKS slab objects are scanned at
 * twice the rate of the LRU pages. seeks == 0 means objects cost nothing to
 * recreate: half of them.
 */
static unsigned long pressure_share(unsigned long freeable, int priority,
				    int seeks)
{
	if (!seeks)
		return freeable / 2;
	return mult_frac(freeable >> priority, 4, seeks);
}

/* Add @nr to a deferred-work counter, never beyond @cap. */
static long defer_work(atomic_long_t *slot, long nr, long cap)
{
	long old = atomic_long_read(slot), new;

	do {
		new = min(old + nr, cap);
		if (new <= old)
			return old;
	} while (!atomic_long_try_cmpxchg(slot, &old, new));
	return new;
}

/*
 * Largest count do_shrink_slab() works with: twice it (the bound on deferred
 * work) must fit a long.
 */
#define SHRINK_FREEABLE_MAX	(LONG_MAX / 2)

static unsigned long do_shrink_slab(struct shrink_control *sc,
				    struct shrinker *shrinker, int priority)
{
	unsigned long batch = shrinker->batch > 0 ? shrinker->batch
						  : SHRINK_BATCH;
	unsigned long freeable, delta, total, todo, scanned = 0, freed = 0;
	unsigned long owed;
	atomic_long_t *slot;
	long deferred, left;

	/* with a goal, batches small enough to stop close to it */
	if (memcg_reclaim_goal())
		batch = min_t(unsigned long, batch, SHRINK_BATCH);
	freeable = shrinker->count_objects(shrinker, sc);
	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return freeable;
	freeable = min_t(unsigned long, freeable, SHRINK_FREEABLE_MAX);

	slot = deferred_slot(shrinker, sc);
	deferred = atomic_long_xchg(slot, 0);
	delta = pressure_share(freeable, priority, shrinker->seeks);
	/*
	 * Work deferred by earlier calls (GFP_NOFS reclaim, say) is paid at
	 * the rate of this call's priority, like the fresh share: a burst of
	 * deferrals must not empty a whole cache at DEF_PRIORITY. What this
	 * call leaves unpaid stays deferred. Never more than twice what
	 * exists.
	 */
	owed = (unsigned long)deferred + delta;
	total = min(((unsigned long)deferred >> priority) + delta,
		    freeable * 2);
	todo = total;
	trace_mm_shrink_slab_start(shrinker, sc, deferred, freeable, delta,
				   total, priority, sc->memcg);

	/*
	 * Whole batches, and a last short one only when the total reaches
	 * everything freeable: a cache smaller than a batch is not scanned
	 * bit by bit at every call, but it does not live forever either.
	 */
	while (todo >= batch || (todo && todo >= freeable)) {
		unsigned long ret;

		if (memcg_reclaim_met()) {
			/*
			 * The ask is met (maybe before the first batch: the
			 * caller checks only between shrinkers, and other
			 * frees credit too): the unscanned rest of this call's
			 * share is not owed. What was scanned pays that
			 * share first, then the older debt, as in a call
			 * that runs to the end.
			 */
			owed = (unsigned long)deferred + min(scanned, delta);
			break;
		}
		sc->nr_to_scan = min(batch, todo);
		sc->nr_scanned = sc->nr_to_scan;
		ret = shrinker->scan_objects(shrinker, sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(SLABS_SCANNED, sc->nr_scanned);
		todo -= min(todo, sc->nr_scanned);
		scanned += sc->nr_scanned;
		cond_resched();
	}

	left = owed > scanned ? owed - scanned : 0;
	left = left ? defer_work(slot, left, freeable * 2) :
		      atomic_long_read(slot);
	trace_mm_shrink_slab_end(shrinker, sc->nid, freed, deferred, left,
				 total, sc->memcg);
	return freed;
}

#ifdef CONFIG_MEMCG
/*
 * Memcg reclaim credit. A memcg is charged per object byte for its slab
 * (obj_full_size()), so what memcg reclaim frees of it is measured in the
 * same bytes, when they are uncharged, and only for the memcgs under the
 * reclaim's target (a global cache such as XFS's reclaimable inodes may
 * free other memcgs' objects too). try_to_free_mem_cgroup_pages() names the
 * target in its reclaim_state; vmscan turns the bytes into reclaimed pages.
 *
 * Only the reclaiming task's own frees count: an interrupt or an RCU
 * callback that happens to run on its stack frees on nobody's behalf. An
 * object freed after a grace period is credited when it is queued, by
 * reclaim_credit_obj(), and not again when the callback frees it.
 */
static struct reclaim_state *credit_target(void)
{
	struct reclaim_state *rs = current->reclaim_state;

	if (!rs || !rs->memcg || !in_task())
		return NULL;
	return rs;
}

/* A walk up, not cgroup_is_descendant(): it needs no cgroup behind a memcg. */
static bool credit_memcg(struct reclaim_state *rs, struct mem_cgroup *memcg,
			 unsigned long bytes)
{
	for (; memcg; memcg = parent_mem_cgroup(memcg)) {
		if (memcg == rs->memcg) {
			rs->memcg_bytes += bytes;
			return true;
		}
	}
	return false;
}

/*
 * Called by the slab free hook, an object's charged bytes given back, and
 * by reclaim_credit_obj() (mm/memcontrol.c, which knows what an object was
 * charged) for an object freed after a grace period. The caller keeps
 * @objcg alive (the object charged to it).
 */
void reclaim_credit_objcg(struct obj_cgroup *objcg, size_t bytes)
{
	struct reclaim_state *rs = credit_target();

	if (!rs)
		return;
	rcu_read_lock();
	credit_memcg(rs, obj_cgroup_memcg(objcg), bytes);
	rcu_read_unlock();
}
#endif /* CONFIG_MEMCG */

/**
 * shrinker_alloc - allocate a shrinker
 * @flags: %SHRINKER_NUMA_AWARE, %SHRINKER_MEMCG_AWARE, %SHRINKER_NONSLAB
 * @fmt: printf format of its name (debugfs)
 *
 * The caller sets count_objects, scan_objects and, optionally, seeks (default
 * %DEFAULT_SEEKS), batch and private_data, then calls shrinker_register().
 * A memcg-aware shrinker gets its id here, so a list_lru can be tied to it
 * before registration.
 *
 * Context: process context, may sleep.
 * Return: the shrinker, or NULL without memory.
 */
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *shrinker;
	va_list ap;
	int err;

	shrinker = kzalloc_obj(*shrinker, GFP_KERNEL);
	if (!shrinker)
		return NULL;
	va_start(ap, fmt);
	err = shrinker_debugfs_name_alloc(shrinker, fmt, ap);
	va_end(ap);
	shrinker->flags = flags | SHRINKER_ALLOCATED;
	shrinker->seeks = DEFAULT_SEEKS;
#ifdef CONFIG_MEMCG
	/* no map bit unless memcg-aware and given an id below */
	shrinker->id = -1;
#endif
	shrinker->nr_deferred = kcalloc(nr_node_ids,
					sizeof(*shrinker->nr_deferred),
					GFP_KERNEL);
	if (err || !shrinker->nr_deferred)
		goto fail;
	if (flags & SHRINKER_MEMCG_AWARE) {
		/* cgroup_disable=memory: nothing is ever charged to a memcg */
		if (mem_cgroup_disabled())
			shrinker->flags &= ~SHRINKER_MEMCG_AWARE;
		else if (shrinker_id_alloc(shrinker))
			goto fail;
	}
	return shrinker;

fail:
	/* each of these copes with what was never allocated */
	kfree(shrinker->nr_deferred);
	shrinker_debugfs_name_free(shrinker);
	kfree(shrinker);
	return NULL;
}
EXPORT_SYMBOL_GPL(shrinker_alloc);

/**
 * shrinker_register - make a shrinker visible to reclaim
 * @shrinker: from shrinker_alloc(), with its callbacks set
 *
 * Context: process context, may sleep.
 */
void shrinker_register(struct shrinker *shrinker)
{
	if (WARN_ONCE(!(shrinker->flags & SHRINKER_ALLOCATED),
		      "shrinker: register of a shrinker not from shrinker_alloc()\n"))
		return;

	init_completion(&shrinker->done);
	mutex_lock(&shrinker_mutex);
	/* memcg reclaim finds a memcg-aware shrinker in the table already */
	WRITE_ONCE(shrinker->flags, shrinker->flags | SHRINKER_REGISTERED);
	shrinker_debugfs_add(shrinker);
	list_add_tail_rcu(&shrinker->list, &shrinker_list);
	mutex_unlock(&shrinker_mutex);
	/* the callbacks before the count: pairs with shrinker_try_get() */
	refcount_set_release(&shrinker->refcount, 1);
}
EXPORT_SYMBOL_GPL(shrinker_register);

/**
 * shrinker_free - unregister and free a shrinker
 * @shrinker: the shrinker, registered or not; NULL is fine
 *
 * Waits for the calls of the shrinker in flight; no call starts after it
 * begins. The caller may free what the shrinker uses once it returns.
 *
 * Context: process context, may sleep.
 */
void shrinker_free(struct shrinker *shrinker)
{
	struct dentry *dir = NULL;
	bool registered;
	int dir_id = 0;

	if (!shrinker)
		return;
	registered = shrinker->flags & SHRINKER_REGISTERED;
	/*
	 * Drop the registration's reference: no new call can start. Then
	 * wait for the calls in flight to drop theirs.
	 */
	if (registered) {
		shrinker_put(shrinker);
		wait_for_completion(&shrinker->done);
	}

	mutex_lock(&shrinker_mutex);
	shrinker_id_free(shrinker);
	if (registered) {
		/* reclaimers on the RCU list may be reading the other flags */
		WRITE_ONCE(shrinker->flags,
			   shrinker->flags & ~SHRINKER_REGISTERED);
		dir = shrinker_debugfs_detach(shrinker, &dir_id);
		list_del_rcu(&shrinker->list);
	}
	mutex_unlock(&shrinker_mutex);

	if (dir)
		shrinker_debugfs_remove(dir, dir_id);
	shrinker_debugfs_name_free(shrinker);
	kfree(shrinker->nr_deferred);
	/* reclaimers may still be looking at it on the list */
	kfree_rcu(shrinker, rcu);
}
EXPORT_SYMBOL_GPL(shrinker_free);

/**
 * shrink_slab - shrink slab caches of one node (and memcg)
 * @gfp_mask: allocation context of the reclaim
 * @nid: node whose memory is reclaimed
 * @memcg: memcg whose memory is reclaimed; NULL or the root for all
 * @priority: reclaim priority, DEF_PRIORITY (gentle) down to 0 (everything)
 *
 * For a non-root memcg only the memcg-aware shrinkers whose bit is set in
 * its map on @nid are called; otherwise every registered shrinker is.
 *
 * Return: the number of objects freed.
 */
unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg,
			  int priority)
{
	struct shrink_control sc = {
		.gfp_mask = gfp_mask,
		.nid = nid,
		.memcg = memcg,
		.target_memcg = reclaim_target_memcg(),
	};
	struct shrinker *shrinker;
	unsigned long freed = 0;

	if (!mem_cgroup_disabled() && memcg && !mem_cgroup_is_root(memcg))
		return shrink_slab_memcg(&sc, priority);

	rcu_read_lock();
	list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
		unsigned long ret;

		if (!shrinker_try_get(shrinker))
			continue;
		rcu_read_unlock();
		ret = do_shrink_slab(&sc, shrinker, priority);
		freed += ret == SHRINK_EMPTY ? 0 : ret;
		/* the entry stays valid for the walk until a grace period */
		rcu_read_lock();
		shrinker_put(shrinker);
	}
	rcu_read_unlock();
	/* a long list of cheap shrinkers must not hog the CPU either */
	cond_resched();
	return freed;
}

#ifdef CONFIG_SHRINKER_KUNIT_TEST
#include "shrinker_kunit.c"
#endif
