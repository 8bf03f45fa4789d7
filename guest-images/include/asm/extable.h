/*
 * asm/extable.h - the exception table: a list of (instruction, fixup) pairs.
 *
 * When an instruction listed here raises an exception in ring 0, the trap
 * handler does not oops: it records the fault (asm/traps.h: last_fixup) and
 * resumes at the fixup address.  The key is the EIP the CPU reports: the
 * faulting instruction for faults, the next instruction for traps (int3,
 * into).  Use from inline assembly:
 *
 *	asm volatile("1: movl (%1), %0\n"
 *		     "2:\n"
 *		     _ASM_EXTABLE(1b, 2b) : ...);
 */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

struct exception_table_entry {
	unsigned long insn, fixup;
};

#define _ASM_EXTABLE(from, to)				\
	".pushsection __ex_table, \"a\"\n\t"		\
	".balign 4\n\t"					\
	".long " #from ", " #to "\n\t"			\
	".popsection\n\t"

/* search_exception_tables - the fixup for addr, or 0. */
unsigned long search_exception_tables(unsigned long addr);

#endif
