/*
 * kernel/timer.c - kernel timers (linux/timer.h): one list sorted by
 * expiry, checked by the timer softirq, which the tick raises.
 */
#include <asm/system.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/timer.h>

static LIST_HEAD(timer_head);
static unsigned long last_checked;

/* init_timer - see linux/timer.h. */
void init_timer(struct timer_list *t)
{
	INIT_LIST_HEAD(&t->list);
}

/* insert - put t on the list in expiry order (interrupts off). */
static void insert(struct timer_list *t)
{
	struct list_head *pos;

	list_for_each(pos, &timer_head) {
		struct timer_list *o = list_entry(pos, struct timer_list, list);
		if (time_before(t->expires, o->expires))
			break;
	}
	__list_add(&t->list, pos->prev, pos);
}

/* add_timer - see linux/timer.h.  Adding a pending timer re-arms it. */
void add_timer(struct timer_list *t)
{
	unsigned long flags;

	local_irq_save(flags);
	if (timer_pending(t))
		list_del(&t->list);
	insert(t);
	local_irq_restore(flags);
}

/* mod_timer - see linux/timer.h. */
int mod_timer(struct timer_list *t, unsigned long expires)
{
	unsigned long flags;
	int was;

	local_irq_save(flags);
	was = timer_pending(t);
	if (was)
		list_del(&t->list);
	t->expires = expires;
	insert(t);
	local_irq_restore(flags);
	return was;
}

/* del_timer - see linux/timer.h. */
int del_timer(struct timer_list *t)
{
	unsigned long flags;
	int was;

	local_irq_save(flags);
	was = timer_pending(t);
	if (was)
		list_del(&t->list);
	local_irq_restore(flags);
	return was;
}

/*
 * run_timers - the TIMER softirq: call every expired timer, unlinking it
 * first so the function may re-arm it.
 */
static void run_timers(void)
{
	unsigned long flags;

	local_irq_save(flags);
	while (!list_empty(&timer_head)) {
		struct timer_list *t = list_entry(timer_head.next, struct timer_list, list);
		void (*fn)(unsigned long) = t->function;
		unsigned long data = t->data;
		if (time_before(jiffies, t->expires))
			break;
		list_del(&t->list);
		local_irq_enable();
		fn(data);
		local_irq_disable();
	}
	local_irq_restore(flags);
}

/* timer_tick - IRQ 0, second handler on the line: raise the softirq each new tick. */
static void timer_tick(int irq, void *dev_id, struct pt_regs *regs)
{
	(void)irq; (void)dev_id; (void)regs;
	if (jiffies != last_checked) {
		last_checked = jiffies;
		if (!list_empty(&timer_head))
			raise_softirq(TIMER_SOFTIRQ);
	}
}

/* timers_init - see linux/timer.h. */
void timers_init(void)
{
	open_softirq(TIMER_SOFTIRQ, run_timers);
	if (request_irq(TIMER_IRQ, timer_tick, SA_SHIRQ, "timers", &timer_head))
		printk(KERN_ERR "timers: cannot share IRQ 0\n");
}
