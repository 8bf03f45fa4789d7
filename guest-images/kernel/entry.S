/*
 * kernel/entry.S - the way into and out of the kernel: the 256 interrupt
 * vector stubs, the common trap frame builder, and the ring 0 <-> ring 3
 * switch used by run_user().
 *
 * Each stub makes the stack look the same for every vector (struct pt_regs in
 * asm/ptrace.h): it pushes a dummy error code when the CPU does not push
 * one, then the vector number, and jumps to trap_common.  Stubs are 16 bytes
 * apart; their addresses are also listed in trap_vectors[] (.rodata).
 */
#include <asm/segment.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			(v) == 21 || (v) == 29 || (v) == 30)

	.section .rodata
	.balign 4
	.globl trap_vectors
trap_vectors:

	.text
	.p2align 4
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.p2align 4
1:
	.if HAS_ERRCODE(vec)
	.else
	pushl $0			/* dummy error code */
	.endif
	pushl $vec
	jmp trap_common
	.pushsection .rodata
	.long 1b
	.popsection
	.set vec, vec + 1
	.endr

/*
 * trap_common - save the rest of the frame, switch to kernel data segments,
 * call trap(regs), and return through ret_from_trap.  trap() may change
 * the frame (a fixup moves EIP; a system call sets EAX).
 */
trap_common:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $__KERNEL_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	cld
	pushl %esp			/* struct pt_regs *regs */
	call trap
	addl $4, %esp
	.globl ret_from_trap
ret_from_trap:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp			/* vector number and error code */
	iret

/*
 * int enter_user(u32 eip, u32 esp)
 *
 * Save the callee-saved registers and EFLAGS on the current (kernel) stack,
 * remember that stack in user_return_esp, and IRET to ring 3 at eip with
 * ESP = esp, IF = 1, IOPL = 0 and all general registers zero.  Control comes
 * back only through leave_user(), whose argument is the return value.
 */
	.globl enter_user
	.type enter_user, @function
enter_user:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	movl %esp, user_return_esp
	movl 24(%esp), %eax		/* eip */
	movl 28(%esp), %ecx		/* esp */
	pushl $__USER_DS		/* ss */
	pushl %ecx			/* esp */
	pushl $0x202			/* eflags: IF | the always-one bit 1 */
	pushl $__USER_CS		/* cs */
	pushl %eax			/* eip */
	movl $__USER_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	iret

/*
 * void leave_user(int code)  -- does not return to its caller
 *
 * Called in ring 0 on the TSS.esp0 stack (from a system call or an
 * exception taken in ring 3).  Drops that stack, restores the kernel
 * segments, the registers and EFLAGS saved by enter_user(), and makes
 * enter_user() return code.
 */
	.globl leave_user
	.type leave_user, @function
leave_user:
	movl 4(%esp), %eax
	movl $__KERNEL_DS, %edx
	movw %dx, %ds
	movw %dx, %es
	movw %dx, %fs
	movw %dx, %gs
	movl user_return_esp, %esp
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
