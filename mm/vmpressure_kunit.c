// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "vmpressure": in-kernel pressure listeners.
 *
 * Included at the end of mm/vmpressure.c (CONFIG_VMPRESSURE_KUNIT_TEST), so
 * the cases drive vmpressure_notify() on fake memcgs (no cgroup, no
 * references, no parent), with no reclaim behind them.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

#include "lru_park.h"

struct probe {
	struct vmpressure_listener l;
	struct vmpressure *vmpr;
	struct kunit *test;
	int calls[VMPRESSURE_NUM_LEVELS];
	struct vmpressure_listener *drop;	/* unlisten this when called */
	bool live;		/* listened to, not yet unlistened */
	atomic_t dead_calls;	/* calls after the unlisten returned */
	atomic_t in_cb, done;
	unsigned int sleep_ms;
	int offlines;		/* ->offline() calls */
};

static void probe_notify(struct vmpressure_listener *l,
			 enum vmpressure_levels level)
{
	struct probe *p = container_of(l, struct probe, l);

	if (!READ_ONCE(p->live))
		atomic_inc(&p->dead_calls);
	p->calls[level]++;
	atomic_set(&p->in_cb, 1);
	if (p->sleep_ms)
		msleep(p->sleep_ms);
	if (p->drop) {
		__vmpressure_unlisten(p->drop);
		p->drop = NULL;
	}
	atomic_set(&p->done, 1);
}

static void probe_offline(struct vmpressure_listener *l)
{
	struct probe *p = container_of(l, struct probe, l);

	p->offlines++;
	if (p->drop) {
		__vmpressure_unlisten(p->drop);
		p->drop = NULL;
	}
}

/* a memcg around a vmpressure: no cgroup, no references, no parent */
static struct mem_cgroup *fake_memcg(struct kunit *test)
{
	struct mem_cgroup *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->css.flags = CSS_NO_REF;
	vmpressure_init(&m->vmpressure);
	return m;
}

static struct vmpressure *fake_vmpr(struct kunit *test)
{
	return &fake_memcg(test)->vmpressure;
}

/* what vmpressure_listen() does past its checks, on a fake memcg */
static int fake_listen(struct vmpressure *vmpr, struct vmpressure_listener *l)
{
	return __vmpressure_listen(vmpr, l, vmpressure_to_memcg(vmpr));
}

static struct probe *probe_as(struct kunit *test, struct vmpressure *vmpr,
			      enum vmpressure_levels level, bool local)
{
	struct probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->l.notify = probe_notify;
	p->l.offline = probe_offline;
	p->l.level = level;
	p->l.local = local;
	p->vmpr = vmpr;
	p->test = test;
	WRITE_ONCE(p->live, true);
	KUNIT_ASSERT_EQ(test, fake_listen(vmpr, &p->l), 0);
	return p;
}

static struct probe *probe(struct kunit *test, struct vmpressure *vmpr,
			   enum vmpressure_levels level)
{
	return probe_as(test, vmpr, level, false);
}

/* a local listener at the lowest level */
static struct probe *probe_local(struct kunit *test, struct vmpressure *vmpr)
{
	return probe_as(test, vmpr, VMPRESSURE_LOW, true);
}

static void unprobe(struct probe *p)
{
	__vmpressure_unlisten(&p->l);
	WRITE_ONCE(p->live, false);
}

/* The level from scanned and reclaimed pages (60% and 95% thresholds) */
static void vmpressure_test_levels(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(512, 512), VMPRESSURE_LOW);
	/* reclaimed above scanned (slab) counts as all reclaimed */
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(512, 900), VMPRESSURE_LOW);
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(100, 50), VMPRESSURE_LOW);
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(100, 40),
			VMPRESSURE_MEDIUM);
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(100, 10),
			VMPRESSURE_MEDIUM);
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(100, 3),
			VMPRESSURE_CRITICAL);
	KUNIT_EXPECT_EQ(test, vmpressure_calc_level(512, 0),
			VMPRESSURE_CRITICAL);
}

/* A listener hears its level and the ones above, nothing below */
static void vmpressure_test_notify_levels(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *low = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *med = probe(test, vmpr, VMPRESSURE_MEDIUM);
	struct probe *crit = probe(test, vmpr, VMPRESSURE_CRITICAL);
	struct vmpressure_listener bad = { .level = VMPRESSURE_LOW };

	vmpressure_notify(vmpr, VMPRESSURE_MEDIUM, false);
	vmpressure_notify(vmpr, VMPRESSURE_LOW, false);
	vmpressure_notify(vmpr, VMPRESSURE_CRITICAL, false);
	KUNIT_EXPECT_EQ(test, low->calls[VMPRESSURE_LOW], 1);
	KUNIT_EXPECT_EQ(test, low->calls[VMPRESSURE_MEDIUM], 1);
	KUNIT_EXPECT_EQ(test, low->calls[VMPRESSURE_CRITICAL], 1);
	KUNIT_EXPECT_EQ(test, med->calls[VMPRESSURE_LOW], 0);
	KUNIT_EXPECT_EQ(test, med->calls[VMPRESSURE_MEDIUM], 1);
	KUNIT_EXPECT_EQ(test, med->calls[VMPRESSURE_CRITICAL], 1);
	KUNIT_EXPECT_EQ(test, crit->calls[VMPRESSURE_MEDIUM], 0);
	KUNIT_EXPECT_EQ(test, crit->calls[VMPRESSURE_CRITICAL], 1);

	/* no callback, or a level past the last: refused */
	KUNIT_EXPECT_EQ(test, fake_listen(vmpr, &bad), -EINVAL);
	bad.notify = probe_notify;
	bad.level = VMPRESSURE_NUM_LEVELS;
	KUNIT_EXPECT_EQ(test, fake_listen(vmpr, &bad), -EINVAL);
	/* refused on the root (or memcg is off): unlistening does nothing */
	KUNIT_EXPECT_NE(test, vmpressure_listen(NULL, &bad), 0);
	vmpressure_unlisten(&bad);
	KUNIT_EXPECT_NULL(test, bad.memcg);
	unprobe(low);
	unprobe(med);
	unprobe(crit);
}

/*
 * A local listener hears reclaim of its own memcg only: the walk up from a
 * descendant's work item passes it by (vmpressure_work_fn() tells the
 * ancestors with @ancestor set); the other listener hears both.
 */
static void vmpressure_test_local(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *tree = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *local;

	local = probe_local(test, vmpr);

	vmpressure_notify(vmpr, VMPRESSURE_MEDIUM, true);
	KUNIT_EXPECT_EQ(test, local->calls[VMPRESSURE_MEDIUM], 0);
	KUNIT_EXPECT_EQ(test, tree->calls[VMPRESSURE_MEDIUM], 1);
	vmpressure_notify(vmpr, VMPRESSURE_CRITICAL, false);
	KUNIT_EXPECT_EQ(test, local->calls[VMPRESSURE_CRITICAL], 1);
	KUNIT_EXPECT_EQ(test, tree->calls[VMPRESSURE_CRITICAL], 1);
	KUNIT_EXPECT_EQ(test, vmpr->nr_tree_listeners, 1);
	unprobe(local);
	unprobe(tree);
	KUNIT_EXPECT_EQ(test, vmpr->nr_tree_listeners, 0);
}

/*
 * A callback unlistens itself, and one unlistens the listener after it:
 * no deadlock, the removed ones are not called (again), and every other
 * listener is called exactly once per notification.
 */
static void vmpressure_test_unlisten_in_callback(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *self = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *a = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *b = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *c = probe(test, vmpr, VMPRESSURE_LOW);

	self->drop = &self->l;
	a->drop = &b->l;
	vmpressure_notify(vmpr, VMPRESSURE_LOW, false);
	WRITE_ONCE(self->live, false);
	WRITE_ONCE(b->live, false);
	KUNIT_EXPECT_EQ(test, self->calls[VMPRESSURE_LOW], 1);
	KUNIT_EXPECT_EQ(test, a->calls[VMPRESSURE_LOW], 1);
	KUNIT_EXPECT_EQ(test, b->calls[VMPRESSURE_LOW], 0);
	KUNIT_EXPECT_EQ(test, c->calls[VMPRESSURE_LOW], 1);

	vmpressure_notify(vmpr, VMPRESSURE_LOW, false);
	KUNIT_EXPECT_EQ(test, self->calls[VMPRESSURE_LOW], 1);
	KUNIT_EXPECT_EQ(test, a->calls[VMPRESSURE_LOW], 2);
	KUNIT_EXPECT_EQ(test, b->calls[VMPRESSURE_LOW], 0);
	KUNIT_EXPECT_EQ(test, c->calls[VMPRESSURE_LOW], 2);
	KUNIT_EXPECT_PTR_NE(test, listen_owner, current);
	unprobe(a);
	unprobe(c);
}

static int notify_once(void *arg)
{
	struct probe *p = arg;

	vmpressure_notify(p->vmpr, VMPRESSURE_CRITICAL, false);
	return 0;
}

/* vmpressure_unlisten() returns only after a callback in flight is done */
static void vmpressure_test_unlisten_waits(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *p = probe(test, vmpr, VMPRESSURE_LOW);
	unsigned long deadline = jiffies + 5 * HZ;
	struct task_struct *t;

	p->sleep_ms = 200;
	t = kthread_run(notify_once, p, "vmpressure-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	while (!atomic_read(&p->in_cb) && time_before(jiffies, deadline))
		usleep_range(1000, 2000);
	KUNIT_EXPECT_TRUE(test, atomic_read(&p->in_cb));
	unprobe(p);
	KUNIT_EXPECT_TRUE(test, atomic_read(&p->done));
	/* the thread is done with @p before the case frees it */
	kthread_stop(t);
	put_task_struct(t);
}

struct passer {
	struct vmpressure *vmpr;
	atomic_t returned;
};

static int notify_as_ancestor(void *arg)
{
	struct passer *a = arg;

	vmpressure_notify(a->vmpr, VMPRESSURE_CRITICAL, true);
	atomic_set(&a->returned, 1);
	return 0;
}

/*
 * A descendant's report passes a memcg whose listeners are all local
 * without taking listen_lock: every memcg's work item walks up through
 * the root, where the vmap pools listen locally, and must not queue
 * behind a callback. The case holds the lock; the notifier returns anyway.
 */
static void vmpressure_test_local_passes_lock(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *local = probe_local(test, vmpr);
	unsigned long deadline = jiffies + HZ;
	struct task_struct *t;
	struct passer *a;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->vmpr = vmpr;
	mutex_lock(&listen_lock);
	/* held before it runs: it returns at once, and is reaped at once */
	t = kthread_create(notify_as_ancestor, a, "vmpressure-kunit");
	if (IS_ERR(t)) {
		mutex_unlock(&listen_lock);
		KUNIT_FAIL(test, "no thread");
		return;
	}
	get_task_struct(t);
	wake_up_process(t);
	while (!atomic_read(&a->returned) && time_before(jiffies, deadline))
		usleep_range(1000, 2000);
	KUNIT_EXPECT_TRUE(test, atomic_read(&a->returned));
	mutex_unlock(&listen_lock);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, local->calls[VMPRESSURE_CRITICAL], 0);
	KUNIT_EXPECT_EQ(test, vmpr->nr_tree_listeners, 0);
	unprobe(local);
}

struct race {
	struct vmpressure *vmpr;
	atomic_t stop;
	unsigned long rounds;
};

static int notify_loop(void *arg)
{
	struct race *r = arg;

	while (!atomic_read(&r->stop)) {
		vmpressure_notify(r->vmpr, VMPRESSURE_CRITICAL, false);
		r->rounds++;
		cond_resched();
	}
	return 0;
}

/*
 * Listeners come and go while another thread notifies without a pause:
 * none is called once its unlisten returned, and every list stays whole
 * (CONFIG_DEBUG_LIST).
 */
static void vmpressure_test_listen_race(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *p[4];
	struct task_struct *t;
	struct race *r;
	int i, j;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->vmpr = vmpr;
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = probe(test, vmpr, i % VMPRESSURE_NUM_LEVELS);
		unprobe(p[i]);
	}
	t = kthread_run(notify_loop, r, "vmpressure-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	for (j = 0; j < 2000; j++) {
		struct probe *q = p[j % ARRAY_SIZE(p)];
		bool self = j % 7 == 0;

		/* every seventh time the probe's own callback unlistens it */
		q->drop = self ? &q->l : NULL;
		WRITE_ONCE(q->live, true);
		KUNIT_EXPECT_EQ(test, fake_listen(vmpr, &q->l), 0);
		cond_resched();
		if (!self) {
			unprobe(q);
			continue;
		}
		/*
		 * If no notification came yet, drop it here: unlistening a
		 * listener its callback already dropped is harmless
		 */
		unprobe(q);
	}
	atomic_set(&r->stop, 1);
	kthread_stop(t);
	put_task_struct(t);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&p[i]->dead_calls), 0);
	KUNIT_EXPECT_GT(test, r->rounds, 0UL);
	KUNIT_EXPECT_EQ(test, vmpr->nr_tree_listeners, 0);
}

/*
 * Offline takes every listener off, once, tells each, and leaves nothing
 * for notify or unlisten to do; a callback that unlistens a listener
 * further down the list while offline walks it takes that one off itself.
 */
static void vmpressure_test_offline(struct kunit *test)
{
	struct vmpressure *vmpr = fake_vmpr(test);
	struct probe *a = probe(test, vmpr, VMPRESSURE_LOW);
	struct probe *b = probe_local(test, vmpr);
	struct probe *c = probe(test, vmpr, VMPRESSURE_LOW);
	struct mem_cgroup *dying;

	a->drop = &c->l;
	KUNIT_EXPECT_EQ(test, __vmpressure_offline(vmpr), 2);
	KUNIT_EXPECT_EQ(test, a->offlines, 1);
	KUNIT_EXPECT_EQ(test, b->offlines, 1);
	KUNIT_EXPECT_EQ(test, c->offlines, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&vmpr->listeners));
	KUNIT_EXPECT_TRUE(test, list_empty(&c->l.node));
	KUNIT_EXPECT_EQ(test, READ_ONCE(vmpr->nr_tree_listeners), 0);

	vmpressure_notify(vmpr, VMPRESSURE_CRITICAL, false);
	KUNIT_EXPECT_EQ(test, a->calls[VMPRESSURE_CRITICAL], 0);
	KUNIT_EXPECT_EQ(test, b->calls[VMPRESSURE_CRITICAL], 0);
	KUNIT_EXPECT_EQ(test, __vmpressure_offline(vmpr), 0);

	/* a memcg already dying takes no new listener */
	dying = kunit_kzalloc(test, sizeof(*dying), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dying);
	dying->css.flags = CSS_NO_REF | CSS_DYING;
	a->live = true;
	KUNIT_EXPECT_EQ(test, __vmpressure_listen(vmpr, &a->l, dying),
			-ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&vmpr->listeners));
	KUNIT_EXPECT_NULL(test, a->l.memcg);
	unprobe(a);
	unprobe(b);
	unprobe(c);
	KUNIT_EXPECT_EQ(test, a->offlines + b->offlines + c->offlines, 2);
}

struct lister {
	struct mem_cgroup *memcg;
	struct probe *p;
	int ret;
	struct completion done;
};

static int lister_fn(void *arg)
{
	struct lister *ls = arg;

	ls->ret = __vmpressure_listen(&ls->memcg->vmpressure, &ls->p->l,
				      ls->memcg);
	complete(&ls->done);
	return 0;
}

/*
 * A listen racing with its memcg's offline (CSS_DYING is set, then
 * vmpressure_offline() looks for listeners without a lock): the listener
 * is refused or the offline sees it, never neither, which would leave it
 * holding a removed memcg. The listen is parked between its two steps
 * while the offline looks; then, in the other order, the offline looks
 * first and the listen comes after.
 */
static void vmpressure_test_listen_vs_offline(struct kunit *test)
{
	struct mem_cgroup *m = fake_memcg(test);
	struct vmpressure *vmpr = &m->vmpressure;
	struct lister ls = { .memcg = m };
	struct task_struct *task;
	bool seen;

	ls.p = kunit_kzalloc(test, sizeof(*ls.p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ls.p);
	ls.p->l.notify = probe_notify;
	init_completion(&ls.done);

	task = lru_park_start(lister_fn, &ls, LRU_PARK_LISTEN, 0);
	if (IS_ERR(task))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_TRUE(test, lru_park_wait(&ls.done));
	WRITE_ONCE(m->css.flags, CSS_NO_REF | CSS_DYING);
	seen = vmpressure_offline_listened(vmpr);
	lru_park_release();
	wait_for_completion(&ls.done);
	/* parked after its listener went on the list: seen, and refused */
	KUNIT_EXPECT_TRUE(test, seen);
	KUNIT_EXPECT_EQ(test, ls.ret, -ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&vmpr->listeners));
	KUNIT_EXPECT_NULL(test, ls.p->l.memcg);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vmpr->nr_tree_listeners), 0);

	/* the offline first: nothing to see, and the listen is refused */
	KUNIT_EXPECT_FALSE(test, vmpressure_offline_listened(vmpr));
	KUNIT_EXPECT_EQ(test, __vmpressure_listen(vmpr, &ls.p->l, m), -ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&vmpr->listeners));
}

/*
 * The offline of a memcg without listeners queues nothing (what every
 * rmdir pays). The memcg's work item leaves a live memcg's listeners
 * alone; once the memcg is dying, vmpressure_offline() queues it and it
 * takes every listener off, telling each once.
 */
static void vmpressure_test_offline_work(struct kunit *test)
{
	struct mem_cgroup *none = fake_memcg(test);
	struct mem_cgroup *m = fake_memcg(test);
	struct vmpressure *vmpr = &m->vmpressure;
	struct probe *a, *b;

	none->css.flags |= CSS_DYING;
	vmpressure_offline(&none->vmpressure);
	KUNIT_EXPECT_FALSE(test, work_pending(&none->vmpressure.work));
	flush_work(&none->vmpressure.work);

	a = probe(test, vmpr, VMPRESSURE_LOW);
	b = probe_local(test, vmpr);
	schedule_work(&vmpr->work);
	flush_work(&vmpr->work);
	KUNIT_EXPECT_EQ(test, a->offlines + b->offlines, 0);
	KUNIT_EXPECT_FALSE(test, list_empty(&vmpr->listeners));
	KUNIT_EXPECT_EQ(test, READ_ONCE(vmpr->nr_tree_listeners), 1);

	m->css.flags |= CSS_DYING;
	vmpressure_offline(vmpr);
	flush_work(&vmpr->work);
	KUNIT_EXPECT_EQ(test, a->offlines, 1);
	KUNIT_EXPECT_EQ(test, b->offlines, 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&vmpr->listeners));
	KUNIT_EXPECT_EQ(test, READ_ONCE(vmpr->nr_tree_listeners), 0);
	KUNIT_EXPECT_FALSE(test, vmpressure_offline_listened(vmpr));
	unprobe(a);
	unprobe(b);
	KUNIT_EXPECT_EQ(test, a->offlines + b->offlines, 2);
}

static struct kunit_case vmpressure_cases[] = {
	KUNIT_CASE(vmpressure_test_levels),
	KUNIT_CASE(vmpressure_test_notify_levels),
	KUNIT_CASE(vmpressure_test_local),
	KUNIT_CASE(vmpressure_test_local_passes_lock),
	KUNIT_CASE(vmpressure_test_unlisten_in_callback),
	KUNIT_CASE(vmpressure_test_unlisten_waits),
	KUNIT_CASE(vmpressure_test_offline),
	KUNIT_CASE(vmpressure_test_listen_vs_offline),
	KUNIT_CASE(vmpressure_test_offline_work),
	KUNIT_CASE_SLOW(vmpressure_test_listen_race),
	{}
};

static struct kunit_suite vmpressure_suite = {
	.name = "vmpressure",
	.test_cases = vmpressure_cases,
};

kunit_test_suite(vmpressure_suite);
