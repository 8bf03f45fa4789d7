/*
 * kernel/tqueue.c - the deferred-work queue (linux/tqueue.h) and waiting
 * (linux/sched.h).
 */
#include <asm/processor.h>
#include <asm/system.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/tqueue.h>

static LIST_HEAD(tq_head);

/* schedule_task - see linux/tqueue.h. */
int schedule_task(struct tq_struct *tq)
{
	unsigned long flags;
	int queued = 0;

	local_irq_save(flags);
	if (!tq->sync) {
		tq->sync = 1;
		list_add_tail(&tq->list, &tq_head);
		queued = 1;
	}
	local_irq_restore(flags);
	return queued;
}

/* cancel_task - see linux/tqueue.h. */
int cancel_task(struct tq_struct *tq)
{
	unsigned long flags;
	int was;

	local_irq_save(flags);
	was = (int)tq->sync;
	if (was) {
		list_del(&tq->list);
		tq->sync = 0;
	}
	local_irq_restore(flags);
	return was;
}

/* tasks_pending - see linux/tqueue.h. */
int tasks_pending(void)
{
	return !list_empty(&tq_head);
}

/*
 * run_tasks - run queued tasks one at a time (interrupts on) until the
 * queue is empty; returns how many ran.  Not from interrupt context.
 */
static int run_tasks(void)
{
	unsigned long flags;
	int n = 0;

	if (in_interrupt())
		return 0;
	local_irq_save(flags);
	while (!list_empty(&tq_head)) {
		struct tq_struct *tq = list_entry(tq_head.next, struct tq_struct, list);
		void (*fn)(void *) = tq->routine;
		void *data = tq->data;
		list_del(&tq->list);
		tq->sync = 0;
		local_irq_enable();
		fn(data);
		n++;
		local_irq_disable();
	}
	local_irq_restore(flags);
	return n;
}

/* flush_scheduled_tasks - see linux/tqueue.h. */
void flush_scheduled_tasks(void)
{
	run_tasks();
}

/* schedule - see linux/sched.h.  Returns with interrupts enabled. */
void schedule(void)
{
	if (run_tasks())
		return;
	local_irq_disable();
	if (tasks_pending())
		local_irq_enable();
	else
		safe_halt();
}

/* schedule_timeout - see linux/sched.h. */
long schedule_timeout(long ticks)
{
	unsigned long end = jiffies + (unsigned long)ticks;

	while (time_before(jiffies, end))
		schedule();
	return 0;
}
