/*
 * kernel/selftest/irq.c - interrupts: the PIT timer ticks (jiffies), HLT
 * sleeps until an interrupt, CLI holds a pending IRQ in the 8259's IRR
 * until STI, the PIC mask holds it until unmasked, EOI clears the ISR.
 *
 * Time is measured with the PIT counter (latched reads), not with loops,
 * so the checks hold at any emulation speed.  Every wait is bounded.
 */
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/system.h>
#include <asm/timex.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include "selftest.h"

#define SPIN_BOUND 50000000ul	/* jiffies polls before a wait gives up */
#define PIT_READ_BOUND 2000000ul	/* PIT counter reads before a wait gives up */

static bool timer_works;

/* wait_jiffies - busy-wait until jiffies advanced by n; false on timeout. */
static bool wait_jiffies(unsigned long n)
{
	unsigned long start = jiffies, i;

	for (i = 0; i < SPIN_BOUND; i++)
		if (jiffies - start >= n)
			return true;
	return false;
}

/*
 * wait_pit_periods - poll the PIT counter until it has reloaded n times
 * (each reload is one timer period, i.e. one IRQ 0 request).  Works with
 * interrupts disabled.  Returns false if the counter does not move.
 */
static bool wait_pit_periods(int n)
{
	u16 prev = pit_read_count(), c;
	unsigned long i;

	for (i = 0; i < PIT_READ_BOUND && n > 0; i++) {
		c = pit_read_count();
		if (c > prev)		/* counted down to 1, reloaded LATCH */
			n--;
		prev = c;
	}
	return n <= 0;
}

/* test_timer_ticks - jiffies and the IRQ 0 count advance (busy wait). */
static void test_timer_ticks(void)
{
	unsigned long j0 = jiffies, c0 = irq_count(TIMER_IRQ);

	timer_works = wait_jiffies(3);
	st_expect("timer_ticks", timer_works && irq_count(TIMER_IRQ) - c0 >= 3,
		  "jiffies %lu -> %lu, IRQ 0 count +%lu", j0, jiffies, irq_count(TIMER_IRQ) - c0);
}

/* HLT with IF=1 returns after the next interrupt: 5 HLTs take about 5 ticks. */
static void test_hlt(void)
{
	unsigned long j0;
	int i;

	if (!timer_works) {
		st_skip("hlt_wakeup", "no timer interrupts");
		return;
	}
	j0 = jiffies;
	for (i = 0; i < 5; i++)
		safe_halt();
	st_expect("hlt_wakeup", jiffies - j0 >= 4 && jiffies - j0 <= 6,
		  "5 HLTs took %lu ticks", jiffies - j0);
}

/* CLI: ticks stop, the request waits in IRR, STI delivers it right away. */
static void test_cli(void)
{
	unsigned long j0, j1, j2;
	bool waited;
	u16 irr;

	local_irq_disable();
	j0 = jiffies;
	waited = wait_pit_periods(2);
	j1 = jiffies;
	irr = pic_read_irr();
	/* the interrupt is taken after the instruction following STI */
	__asm__ __volatile__("sti\n\tnop" ::: "memory");
	j2 = jiffies;
	st_expect("cli_masks", waited && j1 == j0 && (irr & 1) && j2 > j1,
		  "PIT periods seen %d, jiffies %lu -> %lu with IF=0, IRR %04x, %lu after STI",
		  waited, j0, j1, irr, j2);
}

/* A masked IRQ line: no interrupts; unmasking delivers the latched request. */
static void test_pic_mask(void)
{
	unsigned long j0, j1;
	bool waited, after;

	disable_irq(TIMER_IRQ);
	j0 = jiffies;
	waited = wait_pit_periods(2);
	j1 = jiffies;
	enable_irq(TIMER_IRQ);
	after = wait_jiffies(1);
	st_expect("pic_mask", waited && j1 == j0 && after && (pic_read_imr() & 1) == 0,
		  "PIT periods seen %d, jiffies %lu -> %lu while masked, tick after unmask %d",
		  waited, j0, j1, after);
}

/* Outside a handler no IRQ is in service (every handler got its EOI). */
static void test_eoi(void)
{
	u16 isr = pic_read_isr();

	st_expect("eoi", isr == 0, "ISR %04x", isr);
}

/* jiffies_64 and the IRQ 0 count move with jiffies. */
static void test_counters(void)
{
	unsigned long flags;
	u64 j64;
	unsigned long j;

	local_irq_save(flags);
	j64 = jiffies_64;
	j = jiffies;
	local_irq_restore(flags);
	st_expect("jiffies_64", (unsigned long)j64 == j && irq_count(TIMER_IRQ) >= j,
		  "jiffies %lu jiffies_64 %llu IRQ0 %lu", j, j64, irq_count(TIMER_IRQ));
}

/* selftest_irq - the "irq" area. */
void selftest_irq(void)
{
	test_timer_ticks();
	test_hlt();
	test_cli();
	test_pic_mask();
	test_eoi();
	test_counters();
}
