/*
 * asm/desc.h - segment descriptors, gate descriptors and the TSS
 * (kernel/gdt.c and kernel/traps.c).
 *
 * Segment descriptor (8 bytes, GDT):
 *
 *   63        56 55 54 53 52 51    48 47 46  45 44 43     40 39        32
 *  +------------+--+--+--+---+-------+--+-----+--+---------+------------+
 *  | base 31:24 | G|DB| 0|AVL|lim19:16| P| DPL | S|  type   | base 23:16 |
 *  +------------+--+--+--+---+-------+--+-----+--+---------+------------+
 *   31                              16 15                               0
 *  +----------------------------------+---------------------------------+
 *  |            base 15:0             |           limit 15:0            |
 *  +----------------------------------+---------------------------------+
 *   G: limit in 4 KiB units.  DB: 32-bit segment.  P: present.
 *   S=1 code/data: type = 1 0 C R A (code) or 0 0 E W A (data).
 *   S=0 system: type 9 = available 32-bit TSS, 0xb = busy TSS.
 *
 * Gate descriptor (8 bytes, IDT):
 *
 *   63                               48 47 46  45 44  40 39           32
 *  +-----------------------------------+--+-----+------+---------------+
 *  |          handler 31:16            | P| DPL | type |   0 (unused)  |
 *  +-----------------------------------+--+-----+------+---------------+
 *   31                               16 15                              0
 *  +-----------------------------------+-------------------------------+
 *  |         code segment selector     |          handler 15:0         |
 *  +-----------------------------------+-------------------------------+
 *   type 0xe: 32-bit interrupt gate (clears IF);  0xf: 32-bit trap gate.
 *   DPL: the lowest privilege that may raise it with INT n (3 = user).
 */
#ifndef _ASM_DESC_H
#define _ASM_DESC_H

#include <linux/compiler.h>
#include <linux/types.h>

struct desc_struct {
	u32 lo, hi;
};

/* The operand of LGDT/LIDT. */
struct desc_ptr {
	u16 limit;
	u32 base;
} __packed;

/* Access bytes (bits 47..40). */
#define DESC_CODE_KERNEL 0x9b	/* P, DPL 0, S, code readable, accessed */
#define DESC_DATA_KERNEL 0x93	/* P, DPL 0, S, data writable, accessed */
#define DESC_CODE_USER 0xfb	/* P, DPL 3, ... */
#define DESC_DATA_USER 0xf3
#define DESC_TSS 0x89		/* P, DPL 0, available 32-bit TSS */
#define DESC_FLAGS_4K_32 0xc	/* G and DB in bits 55..52 */

#define GATE_INTERRUPT 0xe
#define GATE_TRAP 0xf

/* The 32-bit task-state segment: only ESP0/SS0 and the I/O map base matter. */
struct tss_struct {
	u32 link;
	u32 esp0, ss0;		/* stack loaded on an interrupt from ring 3 */
	u32 esp1, ss1, esp2, ss2;
	u32 cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap;
	u16 io_bitmap_base;	/* past the limit: ring 3 has no I/O ports */
} __packed;

_Static_assert(sizeof(struct tss_struct) == 104, "TSS layout");

extern struct desc_struct gdt[];
extern struct tss_struct init_tss;

/* make_desc - build a segment descriptor (limit in bytes or 4 KiB units). */
struct desc_struct make_desc(u32 base, u32 limit, u8 access, u8 flags);

/* gdt_init - load the kernel GDT, reload every segment register, load TR. */
void gdt_init(void);

/* set_gdt_entry - write one GDT slot (the caller reloads what it affects). */
void set_gdt_entry(int index, struct desc_struct d);

/* tss_set_esp0 - the stack the CPU switches to on a trap from ring 3. */
void tss_set_esp0(u32 esp0);

/* idt_set_gate - point vector at handler with a gate type and DPL. */
void idt_set_gate(int vector, void (*handler)(void), int type, int dpl);

static inline u16 read_tr(void)
{
	u16 sel;
	__asm__ __volatile__("str %0" : "=r"(sel));
	return sel;
}

#endif
