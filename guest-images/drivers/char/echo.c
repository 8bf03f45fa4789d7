/*
 * drivers/char/echo.c - the echo character device: bytes written are kept
 * in a ring buffer and come back on read, first in first out.
 *
 * Module args: major=N (default 0: dynamic), size=N (buffer bytes,
 * default ECHO_BUF_SIZE).  ioctl: ECHO_IOC_STATS, ECHO_IOC_RESET
 * (echo.h).  Reads never block: an empty buffer reads 0 bytes; a full
 * buffer accepts fewer bytes than offered (or -EAGAIN if none).
 */
#include <asm/uaccess.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "echo.h"

static int major;
static int size = ECHO_BUF_SIZE;
MODULE_PARM(major, "i");
MODULE_PARM(size, "i");

static char *ring;
static unsigned int head, fill;		/* read position, bytes stored */
static struct echo_stats stats;
static spinlock_t lock = SPIN_LOCK_UNLOCKED;

/* echo_open - count opens; any minor is the same device. */
static int echo_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	stats.opens++;
	return 0;
}

/* echo_release - nothing to undo. */
static int echo_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

/* echo_read - up to count buffered bytes, oldest first. */
static ssize_t echo_read(struct file *file, char *buf, size_t count, loff_t *ppos)
{
	unsigned long flags;
	size_t n = 0;

	(void)file;
	spin_lock_irqsave(&lock, flags);
	while (n < count && fill) {
		size_t chunk = min(count - n, (size_t)min(fill, (unsigned int)size - head));
		if (copy_to_user(buf + n, ring + head, chunk))
			break;
		head = (head + chunk) % (unsigned int)size;
		fill -= chunk;
		n += chunk;
	}
	stats.reads++;
	stats.bytes_out += n;
	stats.fill = fill;
	spin_unlock_irqrestore(&lock, flags);
	*ppos += n;
	return (ssize_t)n;
}

/* echo_write - store as many of count bytes as fit. */
static ssize_t echo_write(struct file *file, const char *buf, size_t count, loff_t *ppos)
{
	unsigned long flags;
	size_t n = 0;

	(void)file;
	spin_lock_irqsave(&lock, flags);
	while (n < count && fill < (unsigned int)size) {
		unsigned int tail = (head + fill) % (unsigned int)size;
		size_t chunk = min(count - n, (size_t)min((unsigned int)size - fill,
							(unsigned int)size - tail));
		if (copy_from_user(ring + tail, buf + n, chunk))
			break;
		fill += chunk;
		n += chunk;
	}
	stats.writes++;
	stats.bytes_in += n;
	stats.fill = fill;
	spin_unlock_irqrestore(&lock, flags);
	*ppos += n;
	return n || !count ? (ssize_t)n : -EAGAIN;
}

/* echo_ioctl - ECHO_IOC_STATS copies the counters out; ECHO_IOC_RESET empties. */
static int echo_ioctl(struct inode *inode, struct file *file, unsigned int cmd,
		      unsigned long arg)
{
	unsigned long flags;

	(void)inode;
	(void)file;
	switch (cmd) {
	case ECHO_IOC_STATS:
		return copy_to_user((void *)arg, &stats, sizeof(stats)) ? -EFAULT : 0;
	case ECHO_IOC_RESET:
		spin_lock_irqsave(&lock, flags);
		head = fill = stats.fill = 0;
		spin_unlock_irqrestore(&lock, flags);
		return 0;
	default:
		return -ENOTTY;
	}
}

static struct file_operations echo_fops = {
	.owner = THIS_MODULE,
	.read = echo_read,
	.write = echo_write,
	.ioctl = echo_ioctl,
	.open = echo_open,
	.release = echo_release,
};

/* echo_init - allocate the ring and register the device. */
static int __init echo_init(void)
{
	int r;

	if (size < 16 || size > 65536)
		return -EINVAL;
	ring = kmalloc((size_t)size, GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	r = register_chrdev((unsigned int)major, ECHO_NAME, &echo_fops);
	if (r < 0) {
		kfree(ring);
		return r;
	}
	if (!major)
		major = r;
	printk(KERN_INFO "echo: major %d, %d-byte buffer\n", major, size);
	return 0;
}

/* echo_exit - unregister and free. */
static void __exit echo_exit(void)
{
	unregister_chrdev((unsigned int)major, ECHO_NAME);
	kfree(ring);
	printk(KERN_INFO "echo: %u opens, %u bytes in, %u bytes out\n", stats.opens,
	       stats.bytes_in, stats.bytes_out);
}

module_init(echo_init);
module_exit(echo_exit);
MODULE_LICENSE("GPL");
