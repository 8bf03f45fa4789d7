/*
 * drivers/buggy/buggy_dev.h - the working part every buggy driver shares
 * (each .ko includes it; the drivers differ only in commit_bug()).
 *
 * A character device named BUGGY_NAME: a write stores up to 256 bytes in a
 * kmalloc'ed message, a read returns the last message.  The driver commits
 * its bug in commit_bug(), called by ioctl(BUGGY_IOC_TRIGGER) and during
 * the trigger-th write (module arg trigger=N, 0 = never).
 *
 * Before including this file a driver defines BUGGY_NAME and declares
 *   static int commit_bug(struct file *file);
 * and after it calls BUGGY_MODULE().
 */
#ifndef _DRIVERS_BUGGY_DEV_H
#define _DRIVERS_BUGGY_DEV_H

#include <asm/uaccess.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "buggy.h"

#define MSG_MAX 256

/*
 * HIDE - make the compiler forget what it knows about x, so the bug below
 * is compiled as written instead of being folded away as undefined
 * behaviour (clang deletes a call through a pointer it knows is NULL).
 */
#define HIDE(x) __asm__ __volatile__("" : "+r"(x) : : "memory")

/* One stored message; done() is called once the message was read back. */
struct msg {
	unsigned int len;
	char data[MSG_MAX];
	void (*done)(struct msg *m);
};

static int trigger;		/* commit the bug during this write (0: never) */
MODULE_PARM(trigger, "i");

static int major;
static unsigned int writes, bugs;
static struct msg *last;	/* the message a read returns */

static int commit_bug(struct file *file);

/* msg_done - a message was consumed: free it. */
static void msg_done(struct msg *m)
{
	kfree(m);
}

/* buggy_open - nothing per file. */
static int buggy_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

/* buggy_release - nothing per file. */
static int buggy_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

/* buggy_write - replace the stored message; the trigger-th write commits the bug. */
static ssize_t buggy_write(struct file *file, const char *buf, size_t count, loff_t *ppos)
{
	struct msg *m;

	if (count > MSG_MAX)
		count = MSG_MAX;
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	if (copy_from_user(m->data, buf, count)) {
		kfree(m);
		return -EFAULT;
	}
	m->len = count;
	m->done = msg_done;
	if (last)
		last->done(last);
	last = m;
	writes++;
	*ppos += count;
	if (trigger && writes == (unsigned int)trigger) {
		int err = commit_bug(file);
		if (err)
			return err;
	}
	return (ssize_t)count;
}

/* buggy_read - the stored message, then it is consumed. */
static ssize_t buggy_read(struct file *file, char *buf, size_t count, loff_t *ppos)
{
	struct msg *m = last;
	size_t n;

	(void)file;
	if (!m)
		return 0;
	n = min(count, (size_t)m->len);
	if (copy_to_user(buf, m->data, n))
		return -EFAULT;
	last = NULL;
	m->done(m);
	*ppos += n;
	return (ssize_t)n;
}

/* buggy_ioctl - BUGGY_IOC_TRIGGER commits the bug; BUGGY_IOC_COUNT reports writes. */
static int buggy_ioctl(struct inode *inode, struct file *file, unsigned int cmd,
		       unsigned long arg)
{
	(void)inode;
	switch (cmd) {
	case BUGGY_IOC_TRIGGER:
		return commit_bug(file);
	case BUGGY_IOC_COUNT:
		return put_user(writes, (unsigned int *)arg);
	default:
		return -ENOTTY;
	}
}

static struct file_operations buggy_fops = {
	.owner = THIS_MODULE,
	.read = buggy_read,
	.write = buggy_write,
	.ioctl = buggy_ioctl,
	.open = buggy_open,
	.release = buggy_release,
};

/* buggy_init - register the device under a dynamic major. */
static int __init buggy_init(void)
{
	int r = register_chrdev(0, BUGGY_NAME, &buggy_fops);

	if (r < 0)
		return r;
	major = r;
	printk(KERN_INFO "%s: major %d, trigger=%d\n", BUGGY_NAME, major, trigger);
	return 0;
}

/* buggy_exit - free the stored message and unregister. */
static void __exit buggy_exit(void)
{
	if (last)
		last->done(last);
	last = NULL;
	unregister_chrdev((unsigned int)major, BUGGY_NAME);
	printk(KERN_INFO "%s: %u writes, %u bugs committed\n", BUGGY_NAME, writes, bugs);
}

#define BUGGY_MODULE() \
	module_init(buggy_init); \
	module_exit(buggy_exit); \
	MODULE_LICENSE("GPL")

#endif
