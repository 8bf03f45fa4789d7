/*
 * kernel/irq.c - device interrupts: a chain of handlers per IRQ 0-15
 * (linux/interrupt.h), dispatch with spurious-interrupt filtering, the EOI
 * to the 8259s, and the softirq pass on the way out of the outermost IRQ.
 */
#include <asm/i8259.h>
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/slab.h>

struct irq_desc {
	struct irqaction *action;	/* handler chain, in registration order */
	unsigned int depth;		/* disable_irq nesting */
	unsigned long count;
};

static struct irq_desc irq_desc[NR_IRQS];
unsigned long spurious_irqs;
unsigned int irq_nesting;

/* do_softirq - placeholder for images without kernel/softirq.c. */
__attribute__((weak)) void do_softirq(void)
{
}

/* request_irq - see linux/interrupt.h. */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	struct irqaction *a, **p;
	unsigned long f;

	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	a = kmalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->handler = handler;
	a->flags = flags;
	a->name = name;
	a->dev_id = dev_id;
	a->next = NULL;
	local_irq_save(f);
	if (irq_desc[irq].action &&
	    (!(flags & SA_SHIRQ) || !(irq_desc[irq].action->flags & SA_SHIRQ))) {
		local_irq_restore(f);
		kfree(a);
		return -EBUSY;
	}
	for (p = &irq_desc[irq].action; *p; p = &(*p)->next)
		;
	*p = a;
	if (!irq_desc[irq].depth)
		enable_8259A_irq(irq);
	local_irq_restore(f);
	return 0;
}

/* free_irq - see linux/interrupt.h. */
void free_irq(unsigned int irq, void *dev_id)
{
	struct irqaction **p, *a = NULL;
	unsigned long f;

	if (irq >= NR_IRQS)
		return;
	local_irq_save(f);
	for (p = &irq_desc[irq].action; *p; p = &(*p)->next) {
		if ((*p)->dev_id == dev_id) {
			a = *p;
			*p = a->next;
			break;
		}
	}
	if (!irq_desc[irq].action)
		disable_8259A_irq(irq);
	local_irq_restore(f);
	if (!a)
		printk(KERN_WARNING "free_irq: irq %u has no handler for dev_id %p\n",
		       irq, dev_id);
	kfree(a);
}

/* enable_irq - see linux/interrupt.h; unmasks when the depth reaches 0. */
void enable_irq(unsigned int irq)
{
	unsigned long f;

	if (irq >= NR_IRQS)
		return;
	local_irq_save(f);
	if (irq_desc[irq].depth && !--irq_desc[irq].depth && irq_desc[irq].action)
		enable_8259A_irq(irq);
	local_irq_restore(f);
}

/* disable_irq - see linux/interrupt.h. */
void disable_irq(unsigned int irq)
{
	unsigned long f;

	if (irq >= NR_IRQS)
		return;
	local_irq_save(f);
	if (!irq_desc[irq].depth++)
		disable_8259A_irq(irq);
	local_irq_restore(f);
}

/* irq_count - see linux/interrupt.h. */
unsigned long irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? irq_desc[irq].count : 0;
}

/*
 * do_IRQ - run the handler chain of irq, then EOI, then (outermost IRQ
 * only) the softirqs.  IRQ 7 and IRQ 15 are also what an 8259 reports when
 * a request vanished before the CPU acknowledged it; those arrive with the
 * ISR bit clear and get no EOI (except the master's, for a spurious IRQ 15).
 * An IRQ without a handler is masked.
 */
void do_IRQ(unsigned int irq, struct pt_regs *regs)
{
	struct irq_desc *desc = &irq_desc[irq];
	struct irqaction *a;

	if ((irq == 7 || irq == 15) && !(pic_read_isr() & (1u << irq))) {
		spurious_irqs++;
		if (irq == 15)
			ack_8259A_irq(CASCADE_IRQ);
		return;
	}
	desc->count++;
	irq_nesting++;
	if (desc->action) {
		for (a = desc->action; a; a = a->next)
			a->handler((int)irq, a->dev_id, regs);
	} else {
		disable_8259A_irq(irq);
	}
	ack_8259A_irq(irq);
	irq_nesting--;
	if (!irq_nesting)
		do_softirq();
}
