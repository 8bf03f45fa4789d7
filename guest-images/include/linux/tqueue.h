/*
 * linux/tqueue.h - deferred work run later in a kernel context
 * (kernel/tqueue.c), the Linux 2.4 task queue served by keventd.
 *
 * schedule_task(tq) queues tq once (a second call while it is queued does
 * nothing); the kernel runs queued tasks, in order, with interrupts enabled
 * and outside any interrupt handler, whenever it waits (schedule(), see
 * linux/sched.h) or when someone calls flush_scheduled_tasks().  A routine
 * may sleep in the sense this kernel has (call schedule()).
 */
#ifndef _LINUX_TQUEUE_H
#define _LINUX_TQUEUE_H

#include <linux/list.h>

struct tq_struct {
	struct list_head list;		/* on the queue while sync is set */
	unsigned long sync;		/* 1 while queued */
	void (*routine)(void *);
	void *data;
};

/* INIT_TQUEUE - set routine(data) for a tq_struct that is not queued. */
#define INIT_TQUEUE(tq, fn, arg) \
	do { INIT_LIST_HEAD(&(tq)->list); (tq)->sync = 0; \
	     (tq)->routine = (fn); (tq)->data = (arg); } while (0)
#define PREPARE_TQUEUE(tq, fn, arg) do { (tq)->routine = (fn); (tq)->data = (arg); } while (0)

/* schedule_task - queue tq; returns 1 if queued now, 0 if already queued. */
int schedule_task(struct tq_struct *tq);

/* cancel_task - unqueue tq if it has not run yet; 1 if it was queued. */
int cancel_task(struct tq_struct *tq);

/* flush_scheduled_tasks - run every queued task (and those they queue). */
void flush_scheduled_tasks(void);

/* tasks_pending - is any task queued? */
int tasks_pending(void);

#endif
