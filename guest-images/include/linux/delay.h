/*
 * linux/delay.h - busy-wait delays, timed with the PIT counter (kernel/time.c).
 *
 * They work with interrupts disabled and at any emulation speed, since they
 * count PIT input clocks rather than loop iterations.
 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

/* udelay / mdelay - wait at least this long (bounded if the PIT is stuck). */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

#endif
