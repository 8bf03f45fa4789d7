/*
 * linux/interrupt.h - device interrupt handlers (kernel/irq.c).
 *
 * Handlers run with interrupts disabled (all IDT IRQ gates are interrupt
 * gates) and must not sleep.  The EOI is sent after the handler returns.
 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <asm/irq.h>
#include <asm/ptrace.h>

typedef void (*irq_handler_t)(int irq, void *dev_id, struct pt_regs *regs);

/*
 * request_irq - install handler for irq and unmask it at the PIC.
 * Returns 0, -EINVAL for a bad irq, -EBUSY if it already has a handler.
 */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name,
		void *dev_id);

/* free_irq - mask irq and remove its handler. */
void free_irq(unsigned int irq, void *dev_id);

void enable_irq(unsigned int irq);
void disable_irq(unsigned int irq);

/* do_IRQ - dispatch an IRQ vector (called from trap()). */
void do_IRQ(unsigned int irq, struct pt_regs *regs);

/* irq_count - how many times irq has been handled (spurious ones excluded). */
unsigned long irq_count(unsigned int irq);
extern unsigned long spurious_irqs;

#endif
