/*
 * asm/processor-flags.h - bit layouts of EFLAGS, CR0 and CR4.
 *
 * EFLAGS
 *  31       22  21  20  19  18  17  16  15  14  13 12  11  10   9   8   7   6   5   4   3   2   1   0
 * +-----------+---+---+---+---+---+---+---+---+------+---+---+---+---+---+---+---+---+---+---+---+---+
 * |  0 .. 0   |ID |VIP|VIF|AC |VM |RF | 0 |NT | IOPL |OF |DF |IF |TF |SF |ZF | 0 |AF | 0 |PF | 1 |CF |
 * +-----------+---+---+---+---+---+---+---+---+------+---+---+---+---+---+---+---+---+---+---+---+---+
 *
 * CR0 (only the bits this kernel uses)
 *   31  30  29    18    16     5   4   3   2   1   0
 * +---+---+---+ .. +--+ .. +--+ .. +--+--+--+--+--+--+
 * |PG |CD |NW |    |AM|    |WP|    |NE|ET|TS|EM|MP|PE|
 * +---+---+---+ .. +--+ .. +--+ .. +--+--+--+--+--+--+
 *   PG paging on; WP ring 0 honours read-only pages; PE protected mode.
 *
 * CR4 (only the bits this kernel uses)
 *      7     5     4     3     1     0
 * +--+-----+----+-----+-----+-----+-----+
 * |..| PGE | PAE| PSE | DE  | PVI | VME |
 * +--+-----+----+-----+-----+-----+-----+
 *   PSE 4 MiB pages (PDE.PS); PGE global pages (PTE.G survive CR3 loads).
 */
#ifndef _ASM_PROCESSOR_FLAGS_H
#define _ASM_PROCESSOR_FLAGS_H

#define X86_EFLAGS_CF 0x00000001u
#define X86_EFLAGS_FIXED 0x00000002u	/* always 1 */
#define X86_EFLAGS_PF 0x00000004u
#define X86_EFLAGS_AF 0x00000010u
#define X86_EFLAGS_ZF 0x00000040u
#define X86_EFLAGS_SF 0x00000080u
#define X86_EFLAGS_TF 0x00000100u
#define X86_EFLAGS_IF 0x00000200u
#define X86_EFLAGS_DF 0x00000400u
#define X86_EFLAGS_OF 0x00000800u
#define X86_EFLAGS_IOPL 0x00003000u
#define X86_EFLAGS_NT 0x00004000u
#define X86_EFLAGS_RF 0x00010000u
#define X86_EFLAGS_VM 0x00020000u
#define X86_EFLAGS_AC 0x00040000u
#define X86_EFLAGS_ID 0x00200000u

/* The six status flags set by arithmetic. */
#define X86_EFLAGS_ARITH (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			  X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

#define X86_CR0_PE 0x00000001u
#define X86_CR0_MP 0x00000002u
#define X86_CR0_EM 0x00000004u
#define X86_CR0_TS 0x00000008u
#define X86_CR0_ET 0x00000010u
#define X86_CR0_NE 0x00000020u
#define X86_CR0_WP 0x00010000u
#define X86_CR0_AM 0x00040000u
#define X86_CR0_NW 0x20000000u
#define X86_CR0_CD 0x40000000u
#define X86_CR0_PG 0x80000000u

#define X86_CR4_VME 0x00000001u
#define X86_CR4_PVI 0x00000002u
#define X86_CR4_TSD 0x00000004u
#define X86_CR4_DE 0x00000008u
#define X86_CR4_PSE 0x00000010u
#define X86_CR4_PAE 0x00000020u
#define X86_CR4_PGE 0x00000080u

#endif
