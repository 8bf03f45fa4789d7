/*
 * nooks/xpc.S - the machine part of an extension procedure call: the CR3
 * load, the stack swap, the call and the way back (nooks/xpc.h), the
 * extension -> kernel entry stub, setjmp/longjmp for unwinding, and the
 * trampoline a failed domain's code is sent to.
 *
 * Every phase starts at a global label so the emulator can attribute
 * cycles by symbol:
 *
 *   nooks_xpc_switch       save registers and the caller's EFLAGS, cli
 *   nooks_xpc_cr3_load     load the target page directory (if different)
 *   nooks_xpc_stack_swap   ESP := target stack, copy the arguments, restore IF
 *   nooks_xpc_call         call the function
 *   nooks_xpc_return       cli, find the frame again
 *   nooks_xpc_stack_back   ESP := caller's stack
 *   nooks_xpc_cr3_back     load the caller's page directory (if different)
 *   nooks_kcall_cr3_kernel / nooks_kcall_cr3_domain   the CR3 loads that
 *                          bracket an extension -> kernel call, and
 *   nooks_kcall_stack_swap / nooks_kcall_stack_back   its stack swaps
 *
 * Between a CR3 load and the following stack swap nothing is pushed and
 * interrupts are off: the stack we are leaving may be read-only in the
 * address space we just loaded.
 */

/* struct nooks_xpc_frame offsets (nooks/xpc.h) */
#define XF_TO_CR3 0x00
#define XF_TO_ESP 0x04
#define XF_FROM_CR3 0x08
#define XF_FROM_ESP 0x0c
#define XF_FN 0x10
#define XF_NARGS 0x14
#define XF_ARGS 0x18
#define XF_EFLAGS 0x38
#define MAX_ARGS 8

/* struct nooks_jmpbuf offsets */
#define JB_EBX 0
#define JB_ESI 4
#define JB_EDI 8
#define JB_EBP 12
#define JB_ESP 16
#define JB_EIP 20
#define JB_EFLAGS 24
#define JB_CR3 28

	.text

/*
 * u32 nooks_xpc_switch(struct nooks_xpc_frame *f)
 *
 * Run f->fn(f->args[0..nargs)) with CR3 = f->to_cr3 on the stack whose top
 * is f->to_esp (0: continue on the current stack), then come back to the
 * caller's CR3 (f->from_cr3) and stack.  The frame must be readable in both
 * address spaces and writable in the caller's (it lives on the caller's stack).
 */
	.globl nooks_xpc_switch
	.type nooks_xpc_switch, @function
nooks_xpc_switch:
	pushl %ebp
	movl %esp, %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 8(%ebp), %ebx		/* f */
	pushfl
	popl XF_EFLAGS(%ebx)		/* the caller's IF, restored for the callee */
	cli
	movl %esp, XF_FROM_ESP(%ebx)
	movl XF_TO_ESP(%ebx), %edx
	testl %edx, %edx
	jnz 0f
	leal -16(%esp), %edx		/* no swap requested: continue below us */
0:
	.globl nooks_xpc_cr3_load
nooks_xpc_cr3_load:
	movl XF_TO_CR3(%ebx), %eax
	movl %cr3, %ecx
	cmpl %eax, %ecx
	je 1f
	movl %eax, %cr3
1:
	.globl nooks_xpc_stack_swap
nooks_xpc_stack_swap:
	movl %edx, %esp
	subl $4*MAX_ARGS, %esp
	movl XF_NARGS(%ebx), %ecx
	leal XF_ARGS(%ebx), %esi
	movl %esp, %edi
	cld
	rep movsl
	pushl XF_EFLAGS(%ebx)
	popfl
	.globl nooks_xpc_call
nooks_xpc_call:
	call *XF_FN(%ebx)
	.globl nooks_xpc_return
nooks_xpc_return:
	cli
	/* the frame again: the top of the task's chain (kernel memory; nothing
	 * on the callee's stack is trusted, the extension may have written it) */
	movl nooks_current_task, %ebx
	movl (%ebx), %ebx
	.globl nooks_xpc_stack_back
nooks_xpc_stack_back:
	movl XF_FROM_ESP(%ebx), %esp
	.globl nooks_xpc_cr3_back
nooks_xpc_cr3_back:
	movl XF_FROM_CR3(%ebx), %ecx
	movl %cr3, %edx
	cmpl %ecx, %edx
	je 2f
	movl %ecx, %cr3
2:
	pushl XF_EFLAGS(%ebx)
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size nooks_xpc_switch, . - nooks_xpc_switch

/*
 * int nooks_kernel_call(void *fn, int nargs, ...)
 *
 * Called by extension code, normally with a domain's CR3 loaded.  Loads the
 * kernel's CR3 first (nothing in the kernel may be written before), moves
 * to the kernel stack where the task left it (nooks_kcall_stack), so that
 * the crossing's frame is out of the extension's reach, lets
 * nooks_kernel_call_c(from_cr3, fn, nargs, args, domain_esp) do the checks, the frame
 * and the call, then goes back to the domain's stack and CR3.
 */
	.globl nooks_kernel_call
	.type nooks_kernel_call, @function
nooks_kernel_call:
	pushl %ebp
	movl %esp, %ebp
	movl %cr3, %eax
	pushl %eax			/* the caller's CR3, -4(%ebp) */
	.globl nooks_kcall_cr3_kernel
nooks_kcall_cr3_kernel:
	movl nooks_kernel_cr3, %ecx
	cmpl %ecx, %eax
	je 1f
	movl %ecx, %cr3
1:
	pushl %eax
	call nooks_kcall_stack		/* the kernel stack top, or 0: stay */
	addl $4, %esp
	testl %eax, %eax
	jnz 2f
	movl %esp, %eax
2:
	.globl nooks_kcall_stack_swap
nooks_kcall_stack_swap:
	movl %esp, %ecx
	movl %eax, %esp
	pushl %ecx			/* the domain stack, for nooks_kcall_stack_back */
	pushl %ecx			/* domain_esp: where nested calls into it continue */
	leal 16(%ebp), %ecx
	pushl %ecx			/* args (read from the domain stack) */
	pushl 12(%ebp)			/* nargs */
	pushl 8(%ebp)			/* fn */
	pushl -4(%ebp)			/* from_cr3 */
	call nooks_kernel_call_c
	movl (%esp), %ecx		/* from_cr3, from the kernel stack (the copy
					   on the domain's may have been overwritten) */
	addl $20, %esp
	.globl nooks_kcall_stack_back
nooks_kcall_stack_back:
	popl %esp
	.globl nooks_kcall_cr3_domain
nooks_kcall_cr3_domain:
	addl $4, %esp			/* the domain's copy of from_cr3 */
	movl %cr3, %edx
	cmpl %ecx, %edx
	je 3f
	movl %ecx, %cr3
3:
	popl %ebp
	ret
	.size nooks_kernel_call, . - nooks_kernel_call

/* int nooks_setjmp(struct nooks_jmpbuf *jb) - save the context; 0. */
	.globl nooks_setjmp
	.type nooks_setjmp, @function
nooks_setjmp:
	movl 4(%esp), %eax
	movl %ebx, JB_EBX(%eax)
	movl %esi, JB_ESI(%eax)
	movl %edi, JB_EDI(%eax)
	movl %ebp, JB_EBP(%eax)
	leal 4(%esp), %ecx
	movl %ecx, JB_ESP(%eax)
	movl (%esp), %ecx
	movl %ecx, JB_EIP(%eax)
	pushfl
	popl JB_EFLAGS(%eax)
	movl %cr3, %ecx
	movl %ecx, JB_CR3(%eax)
	xorl %eax, %eax
	ret
	.size nooks_setjmp, . - nooks_setjmp

/*
 * void nooks_longjmp(struct nooks_jmpbuf *jb, int val) - resume where
 * nooks_setjmp(jb) returned, making it return val (1 if val is 0), with
 * the saved CR3 and EFLAGS.
 */
	.globl nooks_longjmp
	.type nooks_longjmp, @function
nooks_longjmp:
	movl 4(%esp), %edx
	movl 8(%esp), %eax
	testl %eax, %eax
	jnz 1f
	incl %eax
1:	cli
	movl JB_CR3(%edx), %ecx
	movl %cr3, %esi
	cmpl %ecx, %esi
	je 2f
	movl %ecx, %cr3
2:	movl JB_EBX(%edx), %ebx
	movl JB_ESI(%edx), %esi
	movl JB_EDI(%edx), %edi
	movl JB_EBP(%edx), %ebp
	movl JB_ESP(%edx), %esp
	pushl JB_EFLAGS(%edx)
	popfl
	jmp *JB_EIP(%edx)
	.size nooks_longjmp, . - nooks_longjmp

/*
 * nooks_unwind_trampoline - the trap hook sends code of a failed domain
 * here (IRET with EIP changed), with the kernel's CR3.  Moves to the kernel
 * stack below the crossing that entered the domain (the domain's stack may
 * be nearly full) and never returns: nooks_unwind_current() longjmps to
 * that crossing.
 */
	.globl nooks_unwind_trampoline
	.type nooks_unwind_trampoline, @function
nooks_unwind_trampoline:
	cli
	call nooks_unwind_stack		/* a kernel stack, or 0: stay */
	testl %eax, %eax
	jz 1f
	movl %eax, %esp
1:	andl $-16, %esp
	call nooks_unwind_current
	ud2
	.size nooks_unwind_trampoline, . - nooks_unwind_trampoline

/*
 * nooks_import_trampoline - the shared tail of every import thunk (an
 * isolated module's call of a kernel function, nooks/module.c):
 *
 *     thunk:  pushl $kernel_function ; jmp nooks_import_trampoline
 *
 * Stack on entry: [kernel_function] [return address] [a0] ... [a7].  Makes
 * it nooks_kernel_call(kernel_function, 8, a0, ..., a7): eight argument
 * words are always copied (a cdecl callee ignores the extra ones).
 */
	.globl nooks_import_trampoline
	.type nooks_import_trampoline, @function
nooks_import_trampoline:
	popl %eax			/* the kernel function */
	.rept 8
	pushl 32(%esp)			/* a7, a6, ..., a0 */
	.endr
	pushl $8
	pushl %eax
	call nooks_kernel_call
	addl $40, %esp
	ret
	.size nooks_import_trampoline, . - nooks_import_trampoline

/*
 * nooks_export_trampoline - the shared tail of every extension thunk (a
 * function pointer of an extension handed to the kernel, replaced by
 *
 *     thunk:  pushl $ext_function ; pushl $domain ; jmp nooks_export_trampoline
 *
 * Stack on entry: [domain] [ext_function] [return address] [a0] ... [a7].
 * Makes it nooks_export_call(domain, ext_function, &a0) (nooks/module.c),
 * an XPC into the domain with eight argument words.
 */
	.globl nooks_export_trampoline
	.type nooks_export_trampoline, @function
nooks_export_trampoline:
	popl %eax			/* domain */
	popl %edx			/* extension function */
	leal 4(%esp), %ecx		/* &a0 */
	pushl %ecx
	pushl %edx
	pushl %eax
	call nooks_export_call
	addl $12, %esp
	ret
	.size nooks_export_trampoline, . - nooks_export_trampoline

/*
 * u32 nooks_call_on_stack(u32 top, u32 (*fn)(void *arg, u32 old_esp), void *arg)
 *
 * fn(arg, old_esp) on the stack below top, then back (nooks/recovery.c:
 * an interrupt taken inside a domain is handled on a kernel stack, not on
 * the domain's; old_esp is the domain stack position, free below).
 */
	.globl nooks_call_on_stack
	.type nooks_call_on_stack, @function
nooks_call_on_stack:
	pushl %ebp
	movl %esp, %ebp
	movl 8(%ebp), %eax		/* top */
	movl 12(%ebp), %ecx		/* fn */
	movl 16(%ebp), %edx		/* arg */
	.globl nooks_irq_stack_swap
nooks_irq_stack_swap:
	movl %eax, %esp
	pushl %ebp			/* the old stack, for the way back */
	pushl %ebp			/* old_esp */
	pushl %edx			/* arg */
	call *%ecx
	addl $8, %esp
	.globl nooks_irq_stack_back
nooks_irq_stack_back:
	popl %esp
	popl %ebp
	ret
	.size nooks_call_on_stack, . - nooks_call_on_stack
