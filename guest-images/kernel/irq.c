/*
 * kernel/irq.c - device interrupts: a handler table for IRQ 0-15, dispatch
 * with spurious-interrupt filtering, and the EOI to the 8259s.
 */
#include <asm/i8259.h>
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>

struct irq_desc {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	unsigned long count;
};

static struct irq_desc irq_desc[NR_IRQS];
unsigned long spurious_irqs;

/* request_irq - see linux/interrupt.h. */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name,
		void *dev_id)
{
	unsigned long flags;

	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	if (irq_desc[irq].handler)
		return -EBUSY;
	local_irq_save(flags);
	irq_desc[irq].handler = handler;
	irq_desc[irq].dev_id = dev_id;
	irq_desc[irq].name = name;
	enable_8259A_irq(irq);
	local_irq_restore(flags);
	return 0;
}

/* free_irq - see linux/interrupt.h. */
void free_irq(unsigned int irq, void *dev_id)
{
	unsigned long flags;

	if (irq >= NR_IRQS || irq_desc[irq].dev_id != dev_id)
		return;
	local_irq_save(flags);
	disable_8259A_irq(irq);
	irq_desc[irq].handler = NULL;
	irq_desc[irq].dev_id = NULL;
	local_irq_restore(flags);
}

/* enable_irq - unmask irq at the PIC. */
void enable_irq(unsigned int irq)
{
	if (irq < NR_IRQS)
		enable_8259A_irq(irq);
}

/* disable_irq - mask irq at the PIC. */
void disable_irq(unsigned int irq)
{
	if (irq < NR_IRQS)
		disable_8259A_irq(irq);
}

/* irq_count - see linux/interrupt.h. */
unsigned long irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? irq_desc[irq].count : 0;
}

/*
 * do_IRQ - run the handler of irq, then EOI.  IRQ 7 and IRQ 15 are also
 * what an 8259 reports when a request vanished before the CPU acknowledged
 * it; those arrive with the ISR bit clear and get no EOI (except the
 * master's, for a spurious IRQ 15).  An IRQ without a handler is masked.
 */
void do_IRQ(unsigned int irq, struct pt_regs *regs)
{
	struct irq_desc *desc = &irq_desc[irq];

	if ((irq == 7 || irq == 15) && !(pic_read_isr() & (1u << irq))) {
		spurious_irqs++;
		if (irq == 15)
			ack_8259A_irq(CASCADE_IRQ);
		return;
	}
	desc->count++;
	if (desc->handler)
		desc->handler((int)irq, desc->dev_id, regs);
	else
		disable_8259A_irq(irq);
	ack_8259A_irq(irq);
}
