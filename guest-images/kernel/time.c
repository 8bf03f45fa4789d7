/*
 * kernel/time.c - the periodic timer: PIT channel 0 at HZ, counting jiffies.
 *
 * PIT mode/command byte (port 0x43):
 *    7   6   5   4   3   2   1   0
 *  +-------+-------+-----------+---+
 *  |channel| access|   mode    |BCD|
 *  +-------+-------+-----------+---+
 *   channel 00 = counter 0; access 11 = low byte then high byte, 00 = latch;
 *   mode 010 = rate generator (one IRQ 0 pulse every LATCH input clocks).
 */
#include <asm/io.h>
#include <asm/system.h>
#include <asm/timex.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>

volatile unsigned long jiffies;
volatile u64 jiffies_64;
volatile unsigned long user_ticks;

/* timer_interrupt - IRQ 0: one tick. */
static void timer_interrupt(int irq, void *dev_id, struct pt_regs *regs)
{
	(void)irq;
	(void)dev_id;
	jiffies_64++;
	jiffies++;
	if (user_mode(regs))
		user_ticks++;
}

/* time_init - see asm/timex.h. */
void time_init(void)
{
	outb(0x34, PIT_MODE);		/* counter 0, lobyte/hibyte, mode 2, binary */
	outb(LATCH & 0xff, PIT_CH0);
	outb(LATCH >> 8, PIT_CH0);
	if (request_irq(TIMER_IRQ, timer_interrupt, SA_SHIRQ, "timer", NULL))
		panic("time_init: IRQ 0 busy");
	printk("time: PIT channel 0 mode 2, count %u, %u Hz\n", LATCH, HZ);
}

/* pit_read_count - latch counter 0 and read it (counts down from LATCH to 1). */
u16 pit_read_count(void)
{
	unsigned long flags;
	u16 v;

	local_irq_save(flags);
	outb(0x00, PIT_MODE);		/* counter 0, latch command */
	v = inb(PIT_CH0);
	v |= (u16)inb(PIT_CH0) << 8;
	local_irq_restore(flags);
	return v;
}

/*
 * udelay - poll the PIT counter until us microseconds' worth of input
 * clocks went by.  The counter runs down from LATCH and reloads, so each
 * step is (prev - cur) modulo LATCH.  Gives up after a bounded number of
 * reads in case the counter does not move.
 */
void udelay(unsigned long us)
{
	u64 want = (u64)us * CLOCK_TICK_RATE / 1000000, seen = 0;
	u16 prev = pit_read_count(), cur;
	unsigned long reads = 0, max_reads = 1000 + us * 20;

	while (seen < want && reads++ < max_reads) {
		cur = pit_read_count();
		seen += prev >= cur ? prev - cur : prev + (LATCH - cur);
		prev = cur;
	}
}

/* mdelay - udelay(1000), ms times. */
void mdelay(unsigned long ms)
{
	while (ms--)
		udelay(1000);
}
