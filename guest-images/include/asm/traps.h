/*
 * asm/traps.h - exception vectors and the trap entry points (kernel/traps.c).
 */
#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H

#include <asm/ptrace.h>
#include <linux/compiler.h>
#include <linux/types.h>

enum {
	X86_TRAP_DE = 0,	/* divide error */
	X86_TRAP_DB = 1,	/* debug */
	X86_TRAP_NMI = 2,	/* non-maskable interrupt */
	X86_TRAP_BP = 3,	/* breakpoint (int3) */
	X86_TRAP_OF = 4,	/* overflow (into) */
	X86_TRAP_BR = 5,	/* bound range exceeded */
	X86_TRAP_UD = 6,	/* invalid opcode */
	X86_TRAP_NM = 7,	/* device not available */
	X86_TRAP_DF = 8,	/* double fault, error code 0 */
	X86_TRAP_OLD_MF = 9,	/* coprocessor segment overrun */
	X86_TRAP_TS = 10,	/* invalid TSS, error code */
	X86_TRAP_NP = 11,	/* segment not present, error code */
	X86_TRAP_SS = 12,	/* stack segment fault, error code */
	X86_TRAP_GP = 13,	/* general protection, error code */
	X86_TRAP_PF = 14,	/* page fault, error code, CR2 */
	X86_TRAP_SPURIOUS = 15,
	X86_TRAP_MF = 16,	/* x87 floating point error */
	X86_TRAP_AC = 17,	/* alignment check, error code */
	X86_TRAP_MC = 18,	/* machine check */
	X86_TRAP_XF = 19,	/* SIMD floating point */
	X86_TRAP_VE = 20,	/* virtualization */
	X86_TRAP_CP = 21,	/* control protection, error code */
	NR_EXCEPTION_VECTORS = 32,
};

/* The 256 entry stubs of kernel/entry.S, one per vector. */
extern void (*const trap_vectors[256])(void);

/* trap_init - fill the IDT (exceptions, IRQs, int 0x80) and load it. */
void trap_init(void);

/* trap - the C entry of every vector, called from kernel/entry.S. */
void trap(struct pt_regs *regs);

/* trap_name - "page fault", "general protection", ... */
const char *trap_name(unsigned int vector);

/* die - print an oops report for regs and panic. */
__noreturn void die(const char *why, struct pt_regs *regs);

/* show_regs - print the registers of a trap frame (part of an oops). */
void show_regs(const struct pt_regs *regs);

/*
 * What the kernel recorded about the last exception it fixed up through the
 * exception table (asm/extable.h).  Self-tests read it.
 */
struct fault_info {
	u32 vector, err, eip, cr2, cs;
};
extern struct fault_info last_fixup;
extern unsigned long nr_fixups;

#endif
