/*
 * kernel/softirq.c - the bottom half (linux/interrupt.h): work an IRQ
 * handler defers to run right after it, with interrupts enabled.
 */
#include <asm/system.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>

static softirq_action_t softirq_vec[NR_SOFTIRQS];
static volatile unsigned long softirq_pending;
unsigned int softirq_running;

/* open_softirq - see linux/interrupt.h. */
void open_softirq(unsigned int nr, softirq_action_t action)
{
	if (nr < NR_SOFTIRQS)
		softirq_vec[nr] = action;
}

/* raise_softirq - see linux/interrupt.h. */
void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	softirq_pending |= 1ul << nr;
	local_irq_restore(flags);
}

/*
 * do_softirq - see linux/interrupt.h.  Takes the pending mask with
 * interrupts off, runs each action with interrupts on, and loops while
 * handlers raised more.  Returns with the caller's interrupt state.
 */
void do_softirq(void)
{
	unsigned long flags, pending;
	unsigned int nr;

	local_irq_save(flags);
	if (softirq_running || !softirq_pending) {
		local_irq_restore(flags);
		return;
	}
	softirq_running = 1;
	while ((pending = softirq_pending) != 0) {
		softirq_pending = 0;
		local_irq_enable();
		for (nr = 0; nr < NR_SOFTIRQS; nr++)
			if ((pending & (1ul << nr)) && softirq_vec[nr])
				softirq_vec[nr]();
		local_irq_disable();
	}
	softirq_running = 0;
	local_irq_restore(flags);
}
