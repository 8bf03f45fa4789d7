/*
 * linux/compiler.h - compiler attributes and barriers.
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __noreturn __attribute__((noreturn))
#define __noinline __attribute__((noinline))
#define __always_inline inline __attribute__((always_inline))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __aligned(n) __attribute__((aligned(n)))
#define __packed __attribute__((packed))
#define __section(s) __attribute__((section(s)))
#define __printf(fmt, args) __attribute__((format(printf, fmt, args)))

/* barrier - stop the compiler from moving memory accesses across this point. */
#define barrier() __asm__ __volatile__("" ::: "memory")

/* READ_ONCE/WRITE_ONCE - one untorn access the compiler may not elide. */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
