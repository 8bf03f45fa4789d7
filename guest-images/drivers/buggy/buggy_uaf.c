/*
 * drivers/buggy/buggy_uaf.c - use after free, like the 3c90x driver bug
 * Nooks caught: the driver frees a buffer and then zeroes it.
 *
 * commit_bug() "resets" the stored message in the wrong order: kfree, then
 * memset 0 (a write to freed memory: natively it silently clobbers the
 * allocator's free list), then runs its completion through the zeroed
 * function pointer, a call to address 0 that oopses.  With Nooks, freed
 * memory is write-protected in the driver's domain, so the memset faults
 * first and the driver is recovered.
 */
#define BUGGY_NAME "buggy_uaf"
#include "buggy_dev.h"

/* commit_bug - free, then write, then use the freed message. */
static int commit_bug(struct file *file)
{
	struct msg *m = last;

	(void)file;
	bugs++;
	if (!m)
		return -EINVAL;
	printk(KERN_INFO "%s: freeing the message, then zeroing it\n", BUGGY_NAME);
	kfree(m);
	memset(m, 0, sizeof(*m));		/* BUG: writes freed memory */
	HIDE(m);
	m->done(m);				/* BUG: calls through the zeroed pointer */
	last = NULL;
	return 0;
}

BUGGY_MODULE();
