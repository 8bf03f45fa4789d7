/*
 * kernel/i8259.c - the 8259A interrupt controllers (asm/i8259.h).
 *
 * The BIOS leaves IRQ 0-7 on vectors 8-15, on top of the CPU exceptions;
 * init_8259A() moves them to 0x20-0x2f with the standard ICW sequence:
 *   ICW1 0x11  edge triggered, cascade, ICW4 follows
 *   ICW2       vector base (0x20 master, 0x28 slave)
 *   ICW3       master: slave on IRQ 2 (bit mask 0x04); slave: its id 2
 *   ICW4 0x01  8086 mode, normal (not automatic) EOI
 */
#include <asm/i8259.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/system.h>

static u16 cached_irq_mask = 0xffff;	/* 1 = masked; slave in bits 15..8 */

/* write_masks - load cached_irq_mask into both IMRs. */
static void write_masks(void)
{
	outb((u8)cached_irq_mask, PIC_MASTER_IMR);
	outb((u8)(cached_irq_mask >> 8), PIC_SLAVE_IMR);
}

/* init_8259A - see asm/i8259.h. */
void init_8259A(void)
{
	unsigned long flags;

	local_irq_save(flags);
	outb(0xff, PIC_MASTER_IMR);
	outb(0xff, PIC_SLAVE_IMR);

	outb(0x11, PIC_MASTER_CMD);
	io_delay();
	outb(FIRST_EXTERNAL_VECTOR, PIC_MASTER_IMR);
	io_delay();
	outb(1u << CASCADE_IRQ, PIC_MASTER_IMR);
	io_delay();
	outb(0x01, PIC_MASTER_IMR);
	io_delay();

	outb(0x11, PIC_SLAVE_CMD);
	io_delay();
	outb(FIRST_EXTERNAL_VECTOR + 8, PIC_SLAVE_IMR);
	io_delay();
	outb(CASCADE_IRQ, PIC_SLAVE_IMR);
	io_delay();
	outb(0x01, PIC_SLAVE_IMR);
	io_delay();

	cached_irq_mask = 0xffff & ~(1u << CASCADE_IRQ);
	write_masks();
	local_irq_restore(flags);
}

/* enable_8259A_irq - unmask irq (its requests reach the CPU). */
void enable_8259A_irq(unsigned int irq)
{
	unsigned long flags;

	local_irq_save(flags);
	cached_irq_mask &= ~(1u << irq);
	write_masks();
	local_irq_restore(flags);
}

/* disable_8259A_irq - mask irq (requests stay latched in IRR). */
void disable_8259A_irq(unsigned int irq)
{
	unsigned long flags;

	local_irq_save(flags);
	cached_irq_mask |= 1u << irq;
	write_masks();
	local_irq_restore(flags);
}

/* ack_8259A_irq - non-specific EOI to the slave (if irq >= 8) and the master. */
void ack_8259A_irq(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_EOI, PIC_SLAVE_CMD);
	outb(PIC_EOI, PIC_MASTER_CMD);
}

/* read_pic_reg - select IRR or ISR with OCW3 and read it from both chips. */
static u16 read_pic_reg(u8 ocw3)
{
	u16 v;
	unsigned long flags;

	local_irq_save(flags);
	outb(ocw3, PIC_MASTER_CMD);
	outb(ocw3, PIC_SLAVE_CMD);
	v = inb(PIC_MASTER_CMD) | ((u16)inb(PIC_SLAVE_CMD) << 8);
	local_irq_restore(flags);
	return v;
}

/* pic_read_irr - requests raised but not yet delivered. */
u16 pic_read_irr(void)
{
	return read_pic_reg(PIC_READ_IRR);
}

/* pic_read_isr - requests delivered and not yet EOIed. */
u16 pic_read_isr(void)
{
	return read_pic_reg(PIC_READ_ISR);
}

/* pic_read_imr - the mask registers (1 = masked). */
u16 pic_read_imr(void)
{
	return inb(PIC_MASTER_IMR) | ((u16)inb(PIC_SLAVE_IMR) << 8);
}
