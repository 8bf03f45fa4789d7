/*
 * asm/ptrace.h - struct pt_regs, the register frame built on the kernel stack
 * by every trap, interrupt and system call (kernel/entry.S).
 *
 * Stack at the time trap() runs, lowest address first:
 *
 *   edi esi ebp esp' ebx edx ecx eax     pushed by PUSHAL (esp' unused)
 *   gs fs es ds                          pushed by trap_common
 *   trapno err                           pushed by the vector stub (err may
 *                                        be a dummy 0, or the CPU's code)
 *   eip cs eflags                        pushed by the CPU
 *   esp ss                               pushed by the CPU only on a ring
 *                                        3 -> ring 0 switch
 */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#include <linux/types.h>

struct pt_regs {
	u32 edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;
	u32 gs, fs, es, ds;
	u32 trapno, err;
	u32 eip, cs, eflags;
	u32 esp, ss;	/* valid only when user_mode(regs) */
};

/* user_mode - did the trap come from ring 3? */
static inline int user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

/* kernel_stack_pointer - ESP at the time of a ring 0 trap. */
static inline u32 kernel_stack_pointer(const struct pt_regs *regs)
{
	return (u32)&regs->esp;
}

#endif
