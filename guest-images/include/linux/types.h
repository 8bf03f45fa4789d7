/*
 * linux/types.h - fixed-width integer types used throughout the kernel.
 *
 * The toy kernel runs on i386 only: int and long are 32 bits, pointers are
 * 32 bits, long long is 64 bits.  Names follow Linux (u8..u64, s8..s64).
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef unsigned int size_t;
typedef int ssize_t;
typedef unsigned long uintptr_t;
typedef long ptrdiff_t;

/* A physical address.  RAM is identity-mapped, so it equals the virtual one. */
typedef unsigned long phys_addr_t;

typedef _Bool bool;
#define true 1
#define false 0

_Static_assert(sizeof(u64) == 8 && sizeof(void *) == 4 && sizeof(long) == 4,
	       "the toy kernel is i386-only");

#endif
