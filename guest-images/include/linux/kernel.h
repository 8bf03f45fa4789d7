/*
 * linux/kernel.h - the everyday kernel API: printk, panic, BUG_ON, min/max,
 * ARRAY_SIZE, ALIGN and the formatted-print helpers from lib/vsprintf.c.
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/compiler.h>
#include <linux/stdarg.h>
#include <linux/stddef.h>
#include <linux/types.h>

/*
 * Log levels, as in Linux: a printk format may start with one of these.
 * The console prints every level; the marker itself is not printed.
 */
#define KERN_EMERG "<0>"
#define KERN_ALERT "<1>"
#define KERN_CRIT "<2>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ALIGN - round x up to a multiple of a (a power of two). */
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))

/* printk - format and write a message to the console; returns its length. */
__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

/* panic - print "Kernel panic - not syncing: <msg>" and stop the machine. */
__printf(1, 2) __noreturn void panic(const char *fmt, ...);

/* BUG - a kernel bug at this line: panic with file and line. */
#define BUG() panic("kernel BUG at %s:%d!", __FILE__, __LINE__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

/* lib/vsprintf.c: C-style formatting into a buffer (always NUL-terminated). */
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* simple_strtoul - parse an unsigned number (base 0 = auto: 0x.., 0.., dec). */
unsigned long simple_strtoul(const char *s, char **end, unsigned int base);
long simple_strtol(const char *s, char **end, unsigned int base);

#endif
