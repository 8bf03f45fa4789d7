/*
 * asm/timex.h - the 8254 programmable interval timer and the cycle counter.
 */
#ifndef _ASM_TIMEX_H
#define _ASM_TIMEX_H

#include <asm/param.h>
#include <asm/processor.h>

#define CLOCK_TICK_RATE 1193182	/* PIT input clock, Hz */
#define LATCH ((CLOCK_TICK_RATE + HZ / 2) / HZ)	/* PIT count per jiffy: 11932 */

#define PIT_CH0 0x40
#define PIT_MODE 0x43

typedef u64 cycles_t;

static inline cycles_t get_cycles(void)
{
	return rdtsc();
}

/* time_init - program PIT channel 0 (mode 2, HZ) and install the tick handler. */
void time_init(void);

/* pit_read_count - latch and read the current count of PIT channel 0. */
u16 pit_read_count(void);

#endif
