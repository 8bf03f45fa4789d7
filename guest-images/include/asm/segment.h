/*
 * asm/segment.h - the GDT slots and segment selectors of the kernel.
 *
 * A selector:
 *   15                     3   2   1   0
 *  +------------------------+----+-------+
 *  |     descriptor index   | TI |  RPL  |
 *  +------------------------+----+-------+
 *   TI 0: GDT, 1: LDT.   RPL: requested privilege level (0 kernel, 3 user).
 *
 * All four segments are flat: base 0, limit 4 GiB.
 */
#ifndef _ASM_SEGMENT_H
#define _ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS 1
#define GDT_ENTRY_KERNEL_DS 2
#define GDT_ENTRY_USER_CS 3
#define GDT_ENTRY_USER_DS 4
#define GDT_ENTRY_TSS 5
#define GDT_ENTRY_SPARE 6	/* free for tests and later use */
#define GDT_ENTRIES 8		/* the GDT limit ends after entry 7 */

#define SEG_RPL_MASK 3
#define SEG_TI_MASK 4

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)		/* 0x08 */
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)		/* 0x10 */
#define __USER_CS (GDT_ENTRY_USER_CS * 8 + 3)		/* 0x1b */
#define __USER_DS (GDT_ENTRY_USER_DS * 8 + 3)		/* 0x23 */
#define __TSS_SEL (GDT_ENTRY_TSS * 8)			/* 0x28 */
#define __SPARE_SEL (GDT_ENTRY_SPARE * 8)		/* 0x30 */

#endif
