/*
 * drivers/buggy/buggy_double_free.c - releasing an object twice, like the
 * kHTTPd bug Nooks caught (a socket released on an error path and again
 * on close).
 *
 * commit_bug() takes an "error path" that releases the stored message and
 * then falls through to the normal release, which frees it again.
 * Natively kfree detects the second free and panics; with Nooks the
 * object tracker refuses to release an object that is no longer tracked.
 */
#define BUGGY_NAME "buggy_double_free"
#include "buggy_dev.h"

/* release_msg - the common release of a message. */
static void release_msg(struct msg *m)
{
	kfree(m);
}

/* commit_bug - release the message on the error path, then again. */
static int commit_bug(struct file *file)
{
	struct msg *m = last;

	(void)file;
	bugs++;
	if (!m)
		return -EINVAL;
	printk(KERN_INFO "%s: releasing the message twice\n", BUGGY_NAME);
	release_msg(m);				/* error path */
	release_msg(m);				/* BUG: released again on "close" */
	last = NULL;
	return 0;
}

BUGGY_MODULE();
