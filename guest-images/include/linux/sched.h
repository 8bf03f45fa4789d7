/*
 * linux/sched.h - waiting.  There is one thread of kernel control, so
 * "scheduling" means: run the deferred work of linux/tqueue.h, then sleep
 * until the next interrupt (which runs handlers, timers and packet input).
 * Code that waits for an event loops on schedule() with a jiffies deadline.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/jiffies.h>

/* schedule - run queued tasks; if none ran, halt until the next interrupt. */
void schedule(void);

/*
 * schedule_timeout - wait about ticks jiffies (running tasks meanwhile);
 * returns 0.
 */
long schedule_timeout(long ticks);

#endif
