/*
 * asm/unistd.h - system call numbers for int 0x80 (the Linux i386 numbers).
 *
 * Calling convention: EAX = number, EBX, ECX, EDX = arguments; the result
 * (or -errno) comes back in EAX.
 */
#ifndef _ASM_UNISTD_H
#define _ASM_UNISTD_H

#define __NR_exit 1	/* exit(code): leave user mode, run_user() returns code */
#define __NR_write 4	/* write(fd, buf, len): fd 1 or 2 writes to the console */
#define __NR_getpid 20	/* getpid(): always 1 */
#define __NR_times 43	/* times(NULL): jiffies */

#define NR_syscalls 64

#endif
