/*
 * asm/uaccess.h - moving data between a driver and its caller's buffer.
 *
 * Callers of char drivers are kernel code (linux/fs.h), so the "user"
 * buffer is kernel memory and the copies are plain memcpy.  Like Linux,
 * they return the number of bytes NOT copied (always 0 here).
 */
#ifndef _ASM_UACCESS_H
#define _ASM_UACCESS_H

#include <linux/string.h>
#include <linux/types.h>

static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

#define put_user(x, ptr) ({ *(ptr) = (x); 0; })
#define get_user(x, ptr) ({ (x) = *(ptr); 0; })

#endif
