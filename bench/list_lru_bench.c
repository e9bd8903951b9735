// SPDX-License-Identifier: GPL-2.0
/*
 * list_lru and shrinker microbenchmarks for `make bench`.
 *
 * Built into both bench kernels (the unpatched base and the patched one),
 * so it uses only API both have; the few differences are under
 * LIST_LRU_DEAD, which only the patched list_lru.h defines.
 *
 * debugfs file list_lru_bench: write a command, then read the result from
 * the same open file. Commands (the writer's memcg and node are used):
 *   addel N K    N x (list_lru_add + list_lru_del) of one item (each add
 *                the list's first: it sets the shrinker bit), after K
 *                writers have arrived (K tasks start together)
 *   addel_root N K  the same on the root memcg's list
 *   addel_steady N K  the same while the list holds 1,000 other items:
 *                no add is a list's first, no delete its last
 *   floor N      N x (spin_lock + list_add + list_del + spin_unlock)
 *   walk N       N items added, then one walk isolating all: ns per item
 *   shrinker N   N x shrinker_alloc(MEMCG_AWARE) + register, then frees
 *   lrumem       bytes of per-memcg lists for two memcg-aware lrus
 *   lrutable     bytes of per-memcg lists and lookup for two lrus, every
 *                online memcg
 *   rcu_barrier N  N x rcu_barrier(): what a module unload or any other
 *                rcu_barrier() user waits, while the guest runs a load
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/list_lru.h>
#include <linux/version.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#ifdef LIST_LRU_DEAD
#include "lru_park.h"
#endif

static struct list_lru bench_lru;
static atomic_t arrived = ATOMIC_INIT(0);
static atomic_t generation = ATOMIC_INIT(0);

struct bench_item {
	struct list_head lru;
} ____cacheline_aligned;

struct bench_result {
	char buf[128];
	size_t len;
};

/* Wait until @k writers are here; the last one releases everybody. */
static void bench_barrier(int k)
{
	int gen = atomic_read(&generation);

	if (atomic_inc_return(&arrived) == k) {
		atomic_set(&arrived, 0);
		atomic_inc(&generation);
		return;
	}
	while (atomic_read(&generation) == gen)
		cpu_relax();
}

#define STEADY_ITEMS	1000

static u64 bench_addel(unsigned long n, int k, bool root, int others)
{
	struct mem_cgroup *memcg = root ? root_mem_cgroup :
				   get_mem_cgroup_from_mm(current->mm);
	struct bench_item *it = kcalloc(others + 1, sizeof(*it), GFP_KERNEL);
	int nid = numa_node_id();
	unsigned long i;
	u64 t0, t1;

	if (!it || memcg_list_lru_alloc(memcg, &bench_lru, GFP_KERNEL)) {
		kfree(it);
		mem_cgroup_put(memcg);
		return 0;
	}
	for (i = 0; i <= others; i++)
		INIT_LIST_HEAD(&it[i].lru);
	for (i = 1; i <= others; i++)
		list_lru_add(&bench_lru, &it[i].lru, nid, memcg);
	bench_barrier(k);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		list_lru_add(&bench_lru, &it->lru, nid, memcg);
		list_lru_del(&bench_lru, &it->lru, nid, memcg);
	}
	t1 = ktime_get_ns();
	for (i = 1; i <= others; i++)
		list_lru_del(&bench_lru, &it[i].lru, nid, memcg);
	mem_cgroup_put(memcg);
	kfree(it);
	return t1 - t0;
}

static u64 bench_floor(unsigned long n)
{
	struct bench_item *it = kzalloc(sizeof(*it), GFP_KERNEL);
	static DEFINE_SPINLOCK(lock);
	LIST_HEAD(head);
	unsigned long i;
	u64 t0, t1;

	if (!it)
		return 0;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		spin_lock(&lock);
		list_add_tail(&it->lru, &head);
		spin_unlock(&lock);
		spin_lock(&lock);
		list_del_init(&it->lru);
		spin_unlock(&lock);
	}
	t1 = ktime_get_ns();
	kfree(it);
	return t1 - t0;
}

static u64 bench_rcu_barrier(unsigned long n)
{
	unsigned long i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++)
		rcu_barrier();
	return ktime_get_ns() - t0 ?: 1;
}

/* ours and mainline since 6.13 pass no lock; 6.12 passes the list's */
#if defined(LIST_LRU_DEAD) || LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
static enum lru_status bench_isolate(struct list_head *item,
				     struct list_lru_one *list, void *arg)
#else
static enum lru_status bench_isolate(struct list_head *item,
				     struct list_lru_one *list,
				     spinlock_t *lock, void *arg)
#endif
{
	list_lru_isolate(list, item);
	return LRU_REMOVED;
}

static u64 bench_walk(unsigned long n)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);
	struct bench_item *items = kvcalloc(n, sizeof(*items), GFP_KERNEL);
	int nid = numa_node_id();
	unsigned long i, todo = n;
	u64 t0, t1;

	if (!items || memcg_list_lru_alloc(memcg, &bench_lru, GFP_KERNEL)) {
		kvfree(items);
		mem_cgroup_put(memcg);
		return 0;
	}
	for (i = 0; i < n; i++) {
		INIT_LIST_HEAD(&items[i].lru);
		list_lru_add(&bench_lru, &items[i].lru, nid, memcg);
	}
	t0 = ktime_get_ns();
	list_lru_walk_one(&bench_lru, nid, memcg, bench_isolate, NULL, &todo);
	t1 = ktime_get_ns();
	mem_cgroup_put(memcg);
	kvfree(items);
	return t1 - t0;
}

static unsigned long bench_count(struct shrinker *s, struct shrink_control *sc)
{
	return 0;
}

static unsigned long bench_scan(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_STOP;
}

static u64 bench_shrinker(unsigned long n)
{
	struct shrinker **s = kcalloc(n, sizeof(*s), GFP_KERNEL);
	unsigned long i;
	u64 t0, t1;

	if (!s)
		return 0;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		s[i] = shrinker_alloc(SHRINKER_MEMCG_AWARE, "bench-%lu", i);
		if (!s[i])
			break;
		s[i]->count_objects = bench_count;
		s[i]->scan_objects = bench_scan;
		shrinker_register(s[i]);
	}
	t1 = ktime_get_ns();
	while (i--)
		shrinker_free(s[i]);
	kfree(s);
	return t1 - t0;
}

static u64 bench_lrumem(void)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);
	struct list_lru lru[2] = {};
	u64 bytes = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (list_lru_init_memcg(&lru[i], NULL))
			goto out;
		if (memcg_list_lru_alloc(memcg, &lru[i], GFP_KERNEL))
			goto out;
#ifdef LIST_LRU_DEAD
		/* ours: one kmalloc'd block of nr_node_ids lists, no header */
		bytes += kmalloc_size_roundup(struct_size_t(struct list_lru_memcg,
							   node, nr_node_ids));
#else
		bytes += ksize(xa_load(&lru[i].xa, memcg_kmem_id(memcg)));
#endif
	}
out:
	for (i = 0; i < 2; i++)
		list_lru_destroy(&lru[i]);
	mem_cgroup_put(memcg);
	return bytes;
}

#ifndef LIST_LRU_DEAD
/* 6.12: the xarray's nodes, and the blocks they point to */
static size_t xa_bytes(void *entry)
{
	struct xa_node *node;
	size_t bytes;
	int i;

	if (!entry || (xa_is_internal(entry) && !xa_is_node(entry)))
		return 0;
	if (!xa_is_node(entry))
		return ksize(entry);
	node = xa_to_node(entry);
	bytes = ksize(node);
	for (i = 0; i < XA_CHUNK_SIZE; i++)
		bytes += xa_bytes(rcu_dereference_raw(node->slots[i]));
	return bytes;
}
#endif

/*
 * Bookkeeping of two memcg-aware lrus (a superblock's) for every online
 * memcg: per-memcg lists and the structure that finds them, as allocated.
 */
static u64 bench_lrutable(void)
{
	struct list_lru lru[2] = {};
	struct mem_cgroup *memcg;
	u64 bytes = 0;
	int i;

	for (i = 0; i < 2; i++)
		if (list_lru_init_memcg(&lru[i], NULL))
			goto out;
	for (memcg = mem_cgroup_iter(NULL, NULL, NULL); memcg;
	     memcg = mem_cgroup_iter(NULL, memcg, NULL)) {
		if (!mem_cgroup_online(memcg))
			continue;
		for (i = 0; i < 2; i++)
			memcg_list_lru_alloc(memcg, &lru[i], GFP_KERNEL);
	}
	for (i = 0; i < 2; i++) {
#ifdef LIST_LRU_DEAD
		bytes += list_lru_memcg_bytes(&lru[i]);
#else
		xa_lock_irq(&lru[i].xa);
		bytes += xa_bytes(xa_head(&lru[i].xa));
		xa_unlock_irq(&lru[i].xa);
#endif
	}
out:
	for (i = 0; i < 2; i++)
		list_lru_destroy(&lru[i]);
	return bytes;
}

static int bench_open(struct inode *inode, struct file *file)
{
	file->private_data = kzalloc(sizeof(struct bench_result), GFP_KERNEL);
	return file->private_data ? 0 : -ENOMEM;
}

static int bench_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *pos)
{
	struct bench_result *res = file->private_data;
	unsigned long n = 0;
	char cmd[64], op[16];
	int k = 1, args;
	u64 ns;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	args = sscanf(cmd, "%15s %lu %d", op, &n, &k);
	if (args < 1 || k < 1 || k > 64)
		return -EINVAL;

	if (!strcmp(op, "addel") && n)
		ns = bench_addel(n, k, false, 0);
	else if (!strcmp(op, "addel_root") && n)
		ns = bench_addel(n, k, true, 0);
	else if (!strcmp(op, "addel_steady") && n)
		ns = bench_addel(n, k, false, STEADY_ITEMS);
	else if (!strcmp(op, "floor") && n)
		ns = bench_floor(n);
	else if (!strcmp(op, "walk") && n)
		ns = bench_walk(n);
	else if (!strcmp(op, "shrinker") && n)
		ns = bench_shrinker(n);
	else if (!strcmp(op, "rcu_barrier") && n)
		ns = bench_rcu_barrier(n);
	else if (!strcmp(op, "lrumem"))
		ns = bench_lrumem(), n = 1;
	else if (!strcmp(op, "lrutable"))
		ns = bench_lrutable(), n = 1;
	else
		return -EINVAL;
	if (!ns)
		return -ENOMEM;
	/* per operation, in picoseconds to keep precision without floats */
	res->len = scnprintf(res->buf, sizeof(res->buf), "%llu\n",
			     n == 1 && !strncmp(op, "lru", 3) ? ns :
			     div64_u64(ns * 1000, n));
	return len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *pos)
{
	struct bench_result *res = file->private_data;

	return simple_read_from_buffer(ubuf, len, pos, res->buf, res->len);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.release = bench_release,
	.write = bench_write,
	.read = bench_read,
	.llseek = default_llseek,
};

/*
 * The lru has a memcg-aware shrinker, as the superblock's lrus do: a
 * memcg's first item sets the shrinker's bit, as it would in a kernel
 * that runs.
 */
static int __init list_lru_bench_init(void)
{
	struct shrinker *s = shrinker_alloc(SHRINKER_MEMCG_AWARE,
					    "list_lru_bench");
	int err;

	if (!s)
		return -ENOMEM;
	s->count_objects = bench_count;
	s->scan_objects = bench_scan;
	err = list_lru_init_memcg(&bench_lru, s);
	if (err) {
		shrinker_free(s);
		return err;
	}
	shrinker_register(s);
	debugfs_create_file("list_lru_bench", 0600, NULL, NULL, &bench_fops);
	return 0;
}
late_initcall(list_lru_bench_init);
