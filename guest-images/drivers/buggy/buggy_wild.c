/*
 * drivers/buggy/buggy_wild.c - a store through a wild pointer (a stale,
 * corrupted "cookie" taken for an object address).
 *
 * commit_bug() uses a cookie that holds garbage (0xc0ffee00: above all
 * RAM and below the kernel's fixed windows, never mapped) as a pointer
 * and writes through it: a page fault, which oopses natively.
 */
#define BUGGY_NAME "buggy_wild"
#include "buggy_dev.h"

static unsigned long cookie = 0xc0ffee00ul;	/* should have been a pointer */

/* commit_bug - store through the wild pointer. */
static int commit_bug(struct file *file)
{
	unsigned int *p = (unsigned int *)cookie;

	(void)file;
	bugs++;
	HIDE(p);
	printk(KERN_INFO "%s: storing through %p\n", BUGGY_NAME, (void *)p);
	*(volatile unsigned int *)p = writes;	/* BUG: wild pointer */
	return 0;
}

BUGGY_MODULE();
