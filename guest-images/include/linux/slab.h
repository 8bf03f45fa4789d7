/*
 * linux/slab.h - the kernel heap (kernel/mm/slab.c).
 *
 * kmalloc(n) returns n bytes aligned to the power of two it was rounded up to
 * (at least 16), or page-aligned memory for n > KMALLOC_MAX_SMALL.  kfree(NULL)
 * is a no-op.  The gfp argument of Linux is kept for source compatibility and
 * ignored: nothing here sleeps.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL 0
#define GFP_ATOMIC 1

#define KMALLOC_MIN_SIZE 16u
#define KMALLOC_MAX_SMALL 2048

void kmalloc_init(void);
void *kmalloc(size_t size, int gfp);
void *kzalloc(size_t size, int gfp);
void kfree(const void *p);

/* ksize - the usable size of a kmalloc'ed block (>= the size asked for). */
size_t ksize(const void *p);

#endif
