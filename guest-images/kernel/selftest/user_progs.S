/*
 * kernel/selftest/user_progs.S - small ring 3 programs for the privilege
 * tests (kernel/selftest/user.c).  They live in .user.text (ring 3
 * readable, read-only) and use only int 0x80 to talk to the kernel.
 * Each is entered by run_user() with its argument at 4(%esp).
 *
 * The *_insn labels mark instructions that are expected to fault.
 */
#include <asm/unistd.h>

#define SYSCALL(nr) movl $nr, %eax; int $0x80
#define EXIT_WITH_EBX SYSCALL(__NR_exit)

	.section .user.text, "ax"

	.globl user_prog_getpid		/* exit(getpid() + 100) */
user_prog_getpid:
	SYSCALL(__NR_getpid)
	leal 100(%eax), %ebx
	EXIT_WITH_EBX

	.globl user_prog_write		/* exit(write(1, user_hello, len)) */
user_prog_write:
	movl $1, %ebx
	movl $user_hello, %ecx
	movl $user_hello_len, %edx
	SYSCALL(__NR_write)
	movl %eax, %ebx
	EXIT_WITH_EBX

	.globl user_prog_write_bad	/* exit(write(1, arg, 4)): arg is a kernel address */
user_prog_write_bad:
	movl $1, %ebx
	movl 4(%esp), %ecx
	movl $4, %edx
	SYSCALL(__NR_write)
	movl %eax, %ebx
	EXIT_WITH_EBX

	.globl user_prog_segments	/* exit(CS << 16 | SS) */
user_prog_segments:
	xorl %ebx, %ebx
	movw %cs, %bx
	shll $16, %ebx
	movw %ss, %bx
	EXIT_WITH_EBX

	.globl user_prog_eflags		/* exit(EFLAGS) */
user_prog_eflags:
	pushfl
	popl %ebx
	EXIT_WITH_EBX

	.globl user_prog_read, user_read_insn	/* read *(u32 *)arg */
user_prog_read:
	movl 4(%esp), %ecx
user_read_insn:
	movl (%ecx), %ebx
	EXIT_WITH_EBX

	.globl user_prog_write_to, user_write_insn	/* *(u32 *)arg = 0 */
user_prog_write_to:
	movl 4(%esp), %ecx
user_write_insn:
	movl $0, (%ecx)
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_cli, user_cli_insn
user_prog_cli:
user_cli_insn:
	cli
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_hlt, user_hlt_insn
user_prog_hlt:
user_hlt_insn:
	hlt
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_mov_cr, user_mov_cr_insn
user_prog_mov_cr:
user_mov_cr_insn:
	movl %cr3, %eax
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_io, user_io_insn
user_prog_io:
user_io_insn:
	inb $0x80, %al
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_int_kernel, user_int_kernel_insn	/* int 0x20: a DPL 0 gate */
user_prog_int_kernel:
user_int_kernel_insn:
	int $0x20
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_int3, user_int3_next		/* int3: a DPL 3 gate, a trap */
user_prog_int3:
	int3
user_int3_next:
	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.globl user_prog_ud2, user_ud2_insn
user_prog_ud2:
user_ud2_insn:
	ud2

/*
 * user_prog_ticks - spin in ring 3 until times() says 3 ticks passed:
 * exit(0), or exit(1) after 2000 rounds of 100000 spins.  The spins are
 * long so that the ticks almost surely land in ring 3, not in times().
 */
	.globl user_prog_ticks
user_prog_ticks:
	SYSCALL(__NR_times)
	movl %eax, %esi
	movl $2000, %edi
1:	movl $100000, %ecx
2:	decl %ecx
	jnz 2b
	SYSCALL(__NR_times)
	subl %esi, %eax
	cmpl $3, %eax
	jae 3f
	decl %edi
	jnz 1b
	movl $1, %ebx
	EXIT_WITH_EBX
3:	xorl %ebx, %ebx
	EXIT_WITH_EBX

	.section .user.data, "aw"
user_hello:
	.ascii "user: hello from ring 3\n"
	.set user_hello_len, . - user_hello

	.balign 16
	.globl user_stack, user_stack_top
user_stack:
	.skip 4096
user_stack_top:
