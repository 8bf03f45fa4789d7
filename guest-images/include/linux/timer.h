/*
 * linux/timer.h - one-shot kernel timers (kernel/timer.c).
 *
 * A timer calls function(data) once, from the timer softirq (interrupts on,
 * interrupt context: must not wait), at the first tick at or after
 * expires (in jiffies).  Pending timers sit on one list sorted by expiry.
 */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

#include <linux/jiffies.h>
#include <linux/list.h>

struct timer_list {
	struct list_head list;		/* on the pending list while armed */
	unsigned long expires;		/* jiffies */
	unsigned long data;		/* argument of function */
	void (*function)(unsigned long);
};

/* init_timer - prepare t (not pending); set function, data, expires after. */
void init_timer(struct timer_list *t);

/* add_timer - arm t for t->expires.  t must not be pending. */
void add_timer(struct timer_list *t);

/* mod_timer - (re)arm t for expires; returns 1 if it was pending. */
int mod_timer(struct timer_list *t, unsigned long expires);

/* del_timer - disarm t; returns 1 if it was pending. */
int del_timer(struct timer_list *t);
#define del_timer_sync del_timer

/* timer_pending - is t armed? */
static inline int timer_pending(const struct timer_list *t)
{
	return t->list.next != &t->list && t->list.next != NULL;
}

/* timers_init - register the timer softirq (boot). */
void timers_init(void);

#endif
