/*
 * asm/irq.h - interrupt vector assignment.
 *
 *   0x00-0x1f  CPU exceptions (asm/traps.h)
 *   0x20-0x27  IRQ 0-7, master 8259 (IRQ 0 = PIT timer, IRQ 4 = COM1)
 *   0x28-0x2f  IRQ 8-15, slave 8259
 *   0x80       system call (int 0x80, callable from ring 3)
 */
#ifndef _ASM_IRQ_H
#define _ASM_IRQ_H

#define NR_IRQS 16
#define FIRST_EXTERNAL_VECTOR 0x20
#define SYSCALL_VECTOR 0x80

#define TIMER_IRQ 0
#define CASCADE_IRQ 2
#define COM1_IRQ 4

#endif
