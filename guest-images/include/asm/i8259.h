/*
 * asm/i8259.h - the two cascaded 8259A programmable interrupt controllers
 * (kernel/i8259.c).
 *
 * Master at 0x20/0x21 (IRQ 0-7), slave at 0xa0/0xa1 (IRQ 8-15) wired to the
 * master's IRQ 2.  The command port reads IRR or ISR depending on the last
 * OCW3; the data port reads and writes the mask register (IMR, 1 = masked).
 */
#ifndef _ASM_I8259_H
#define _ASM_I8259_H

#include <linux/types.h>

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_IMR 0x21
#define PIC_SLAVE_CMD 0xa0
#define PIC_SLAVE_IMR 0xa1

#define PIC_EOI 0x20		/* OCW2: non-specific end of interrupt */
#define PIC_READ_IRR 0x0a	/* OCW3: next command-port read gives IRR */
#define PIC_READ_ISR 0x0b	/* OCW3: ... gives ISR */

/* init_8259A - remap IRQ 0-15 to vectors 0x20-0x2f, everything masked but IRQ 2. */
void init_8259A(void);

void enable_8259A_irq(unsigned int irq);
void disable_8259A_irq(unsigned int irq);

/* ack_8259A_irq - send EOI for irq (to the slave too for irq >= 8). */
void ack_8259A_irq(unsigned int irq);

/* The 16-bit IRR / ISR / IMR of both chips (slave in bits 15..8). */
u16 pic_read_irr(void);
u16 pic_read_isr(void);
u16 pic_read_imr(void);

#endif
