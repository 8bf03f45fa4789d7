/*
 * linux/interrupt.h - device interrupt handlers (kernel/irq.c) and the
 * bottom half that runs after them (kernel/softirq.c).
 *
 * Every IRQ line has a chain of handlers (struct irqaction).  A line may be
 * shared when every handler on it passes SA_SHIRQ; each handler must then
 * check its own device and return quietly if the interrupt was not its own.
 * Handlers run with interrupts disabled (all IDT IRQ gates are interrupt
 * gates) and must not sleep.  The EOI goes to the 8259 after the chain ran.
 *
 *   irq_desc[irq].action -> irqaction -> irqaction -> NULL
 *                           (handler,     (handler,
 *                            dev_id)       dev_id)
 *
 * After the outermost interrupt returns from its chain, do_softirq() runs
 * with interrupts enabled: expired timers (linux/timer.h), received packets
 * (netif_rx) and anything else raised with raise_softirq().
 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <asm/irq.h>
#include <asm/ptrace.h>

typedef void (*irq_handler_t)(int irq, void *dev_id, struct pt_regs *regs);

/* request_irq flags (Linux 2.4 names). */
#define SA_INTERRUPT 0x20000000	/* accepted, ignored: handlers always run with IF=0 */
#define SA_SHIRQ 0x04000000	/* the line may be shared */

struct irqaction {
	irq_handler_t handler;
	unsigned long flags;
	const char *name;
	void *dev_id;
	struct irqaction *next;
};

/*
 * request_irq - add handler to the chain of irq and unmask it at the PIC.
 * Returns 0; -EINVAL for a bad irq or handler; -EBUSY if the line has a
 * handler and either side did not ask for sharing; -ENOMEM.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);

/*
 * free_irq - remove the handler registered with dev_id from irq's chain;
 * the line is masked when the chain becomes empty.
 */
void free_irq(unsigned int irq, void *dev_id);

/*
 * enable_irq/disable_irq - unmask/mask a line at the PIC.  Nest like
 * Linux: n disable_irq calls need n enable_irq calls.
 */
void enable_irq(unsigned int irq);
void disable_irq(unsigned int irq);
#define disable_irq_nosync disable_irq

/* do_IRQ - dispatch an IRQ vector (called from trap()). */
void do_IRQ(unsigned int irq, struct pt_regs *regs);

/* irq_count - how many times irq has been handled (spurious ones excluded). */
unsigned long irq_count(unsigned int irq);
extern unsigned long spurious_irqs;

/* in_interrupt - nonzero while an IRQ handler or a softirq runs. */
extern unsigned int irq_nesting, softirq_running;
#define in_irq() (irq_nesting != 0)
#define in_interrupt() (irq_nesting != 0 || softirq_running != 0)

/*
 * Softirqs: a pending bit per kind, run by do_softirq() on the way out of
 * the outermost IRQ (interrupts on) and by the idle loop.
 */
enum {
	TIMER_SOFTIRQ,		/* kernel/timer.c: run expired timers */
	NET_RX_SOFTIRQ,		/* kernel/net/dev.c: deliver netif_rx packets */
	NR_SOFTIRQS
};
typedef void (*softirq_action_t)(void);

/* open_softirq - set the function run for nr (boot code only). */
void open_softirq(unsigned int nr, softirq_action_t action);
/* raise_softirq - mark nr pending (safe from interrupt handlers). */
void raise_softirq(unsigned int nr);
/*
 * do_softirq - run pending softirqs until none are pending.  Not
 * re-entered: a call made while softirqs run returns at once.  Weak in
 * kernel/irq.c so images without kernel/softirq.c still link.
 */
void do_softirq(void);

#endif
