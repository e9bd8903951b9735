// SPDX-License-Identifier: GPL-2.0
/*
 * The park engine of lru_park.h, in test kernels only (a KUnit suite of
 * list_lru or of the shrinker core built in): it stops one chosen thread at
 * a named point of list_lru or the shrinker core until a test lets it go.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/time64.h>

#include "lru_park.h"

/*
 * Park points (lru_park.h). One point is armed at a time: the suites run
 * their cases one after the other. The parked thread spins, since points
 * sit inside spinlocks too; both guests' CPUs keep running, so the test
 * thread on the other CPU goes on meanwhile.
 */
enum { PARK_IDLE, PARK_ARMED, PARK_PARKED, PARK_RELEASED };

static struct {
	enum lru_park_point point;
	long arg;
	struct task_struct *task;
	atomic_t state;
	bool pinned;	/* lru_park_start() pinned the caller to its CPU */
} lru_park;

/* ten seconds, in the 1 us steps of the waits below */
#define LRU_PARK_MAX_US	(10 * USEC_PER_SEC)

/*
 * For tests from userspace: a reparenting sleeps this long after each
 * node, so that deletes through the VFS meet half-reparented memcgs.
 */
static unsigned int reparent_delay_us;
module_param(reparent_delay_us, uint, 0644);
MODULE_PARM_DESC(reparent_delay_us,
		 "test kernels: sleep after reparenting each node's list (us)");

void lru_park_here(enum lru_park_point point, long arg)
{
	unsigned int delay = READ_ONCE(reparent_delay_us);
	unsigned long us;

	/* the only point outside any lock: a sleep is fine there */
	if (point == LRU_PARK_REPARENT_NODE && unlikely(delay))
		usleep_range(delay, delay + delay / 4 + 1);

	/* acquire: arg and task were set before the point (lru_park_arm()) */
	if (likely(smp_load_acquire(&lru_park.point) != point) ||
	    lru_park.arg != arg || lru_park.task != current ||
	    atomic_cmpxchg(&lru_park.state, PARK_ARMED, PARK_PARKED) !=
	    PARK_ARMED)
		return;
	/* udelay() works with interrupts off; a lost release ends the wait */
	for (us = 0; atomic_read_acquire(&lru_park.state) == PARK_PARKED; us++) {
		if (us == LRU_PARK_MAX_US) {
			pr_warn("lru_park: point %d never released\n", point);
			break;
		}
		udelay(1);
	}
}

/* Park @task (only it) the next time it reaches @point with @arg. */
void lru_park_arm(enum lru_park_point point, long arg,
		  struct task_struct *task)
{
	lru_park.arg = arg;
	lru_park.task = task;
	atomic_set(&lru_park.state, PARK_ARMED);
	/* the filter before the point: pairs with the reads in lru_park_here */
	smp_store_release(&lru_park.point, point);
}

/*
 * Wait for the armed thread to park. If it has not within 10 s, disarm and
 * wait for it to finish (it completes @done last): the caller's test may
 * then fail and return, and no thread is left using its frame.
 */
bool lru_park_wait(struct completion *done)
{
	unsigned long ms;

	for (ms = 0; ms < LRU_PARK_MAX_US / USEC_PER_MSEC; ms++) {
		if (atomic_read_acquire(&lru_park.state) == PARK_PARKED)
			return true;
		usleep_range(1000, 2000);
	}
	lru_park_release();
	/* a hang beats a thread writing to a dead test's frame */
	if (!wait_for_completion_timeout(done, 10 * HZ)) {
		pr_err("lru_park: a thread that never parked is stuck\n");
		wait_for_completion(done);
	}
	return false;
}

/*
 * Start a kthread running @fn(@arg), armed to park at @point with @parg.
 * It runs on another CPU than the caller, which stays on its own CPU until
 * lru_park_release(): a thread spinning at a point never yields its CPU.
 * Return: the thread, or an ERR_PTR (-ENODEV with a single online CPU).
 */
struct task_struct *lru_park_start(int (*fn)(void *), void *arg,
				   enum lru_park_point point, long parg)
{
	struct task_struct *task;
	int cpu;

	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		migrate_enable();
		return ERR_PTR(-ENODEV);
	}
	task = kthread_create(fn, arg, "lru_park/%d", point);
	if (IS_ERR(task)) {
		migrate_enable();
		return task;
	}
	kthread_bind(task, cpu);
	lru_park.pinned = true;
	lru_park_arm(point, parg, task);
	wake_up_process(task);
	return task;
}

/* Let the parked thread go (and disarm, if nobody parked). */
void lru_park_release(void)
{
	WRITE_ONCE(lru_park.point, LRU_PARK_NONE);
	atomic_set_release(&lru_park.state, PARK_RELEASED);
	if (lru_park.pinned) {
		lru_park.pinned = false;
		migrate_enable();
	}
}
