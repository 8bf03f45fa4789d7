/*
 * drivers/buggy/buggy_null.c - a missing NULL check, one of the bug kinds
 * hand-inserted in the Nooks evaluation.
 *
 * commit_bug() looks up a per-minor statistics slot that was never
 * allocated and updates it without checking the lookup's result: a write
 * near address 0, which oopses natively (page 0 is never mapped).
 */
#define BUGGY_NAME "buggy_null"
#include "buggy_dev.h"

struct minor_stats {
	unsigned int minor;
	unsigned int hits;
};

static struct minor_stats *stats_table[4];	/* never filled in */

/* find_stats - the slot for minor, or NULL. */
static struct minor_stats *find_stats(unsigned int minor)
{
	return minor < 4 ? stats_table[minor] : NULL;
}

/* commit_bug - count a hit for this file's minor, without a NULL check. */
static int commit_bug(struct file *file)
{
	struct minor_stats *s = find_stats(MINOR(file->f_inode->i_rdev));

	bugs++;
	printk(KERN_INFO "%s: updating stats for minor %u\n", BUGGY_NAME,
	       MINOR(file->f_inode->i_rdev));
	HIDE(s);
	s->hits++;				/* BUG: s is NULL */
	return 0;
}

BUGGY_MODULE();
