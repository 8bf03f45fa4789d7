/*
 * linux/usermode.h - running a function in ring 3 (kernel/usermode.c,
 * kernel/entry.S) and the system calls it can make (kernel/syscall.c).
 *
 * There are no processes yet: run_user() drops from the kernel to ring 3 at
 * entry on the given user stack and comes back when the user code calls
 * exit() (int 0x80, __NR_exit) or takes an exception.  Traps from ring 3 use
 * the stack in TSS.esp0 (user_kstack), not the caller's stack.
 */
#ifndef _LINUX_USERMODE_H
#define _LINUX_USERMODE_H

#include <asm/ptrace.h>
#include <asm/traps.h>
#include <linux/types.h>

#define USER_KSTACK_SIZE 8192

/* How a run_user() call ended. */
struct user_result {
	bool exited;		/* true: exit(code); false: killed by an exception */
	int code;		/* the exit code */
	struct fault_info fault;	/* the exception, when !exited */
};

/*
 * run_user - call entry(arg) in ring 3 with ESP = stack_top (the argument is
 * stored just below it, cdecl-style).  Code and stack must be on pages with
 * PTE_U.  Returns with the kernel's EFLAGS restored.
 */
void run_user(void (*entry)(void), void *stack_top, u32 arg,
	      struct user_result *res);

/* user_fault - called by trap() for an exception from ring 3: end run_user. */
__noreturn void user_fault(const struct fault_info *fi);

/* sys_exit - the exit() system call: end run_user() with code. */
__noreturn void sys_exit(int code);

/* do_syscall - handle int 0x80 (regs->eax = number); result in regs->eax. */
void do_syscall(struct pt_regs *regs);

/* The trap frame of the most recent system call (for tests and debugging). */
extern struct pt_regs *last_syscall_regs;
extern u8 user_kstack[USER_KSTACK_SIZE];

/* Attribute for code and data that ring 3 may use (kernel/kernel.ld). */
#define __user_text __attribute__((section(".user.text")))
#define __user_data __attribute__((section(".user.data")))

#endif
