/*
 * kernel/boot.S - the Multiboot v1 header and the first instructions.
 *
 * The loader jumps to _start in 32-bit protected mode with paging off,
 * EAX = 0x2BADB002 and EBX = the physical address of the Multiboot
 * information.  _start sets up a stack, clears EFLAGS and .bss, and calls
 * start_kernel(magic, info) in kernel/setup.c, which never returns.
 */
#include <asm/multiboot.h>

#define MB_HEADER_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)
#define BOOT_STACK_SIZE 16384

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_HEADER_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_HEADER_FLAGS)	/* checksum */

	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	cli
	movl $boot_stack_top, %esp
	movl %eax, %edx			/* keep the magic; rep stosb uses EAX */
	pushl $0
	popfl				/* IF=0, DF=0, AC=0, NT=0, IOPL=0 */

	/* Zero .bss (the loader is not required to).  EBX, EDX survive. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	movl $boot_stack_top, %esp
	xorl %ebp, %ebp			/* the end of the frame-pointer chain */
	pushl %ebx			/* info */
	pushl %edx			/* magic */
	call start_kernel

	/* start_kernel never returns; if it did, stop here. */
1:	cli
	hlt
	jmp 1b

	.section .bss
	.balign 16
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
