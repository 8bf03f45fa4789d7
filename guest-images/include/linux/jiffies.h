/*
 * linux/jiffies.h - the tick counter, incremented HZ times a second by the
 * timer interrupt (kernel/time.c).
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <asm/param.h>
#include <linux/types.h>

extern volatile unsigned long jiffies;
extern volatile u64 jiffies_64;
/* user_ticks - ticks that interrupted ring 3 code (user time, in jiffies). */
extern volatile unsigned long user_ticks;

/* time_after(a, b) - is tick a later than tick b?  Correct across wrap-around. */
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)

#endif
