/*
 * drivers/bench/xpcbench.c - a character device that does as little as
 * possible, so that the cost of reaching it is what gets measured: the
 * empty call (ioctl XPCBENCH_IOC_NOP) and calls that pass a buffer (write
 * copies bytes in, read copies them out).  The same binary runs native or
 * in a Nooks domain; `nooks-emu bench crossing` compares the two.
 */
#include <asm/uaccess.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include "xpcbench.h"

static int major;
MODULE_PARM(major, "i");

static char data[XPCBENCH_MAX];
static unsigned int len;

/* xb_open, xb_release - nothing to do. */
static int xb_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

static int xb_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

/* xb_write - copy count bytes in (at most XPCBENCH_MAX). */
static ssize_t xb_write(struct file *file, const char *buf, size_t count, loff_t *ppos)
{
	(void)file;
	(void)ppos;
	if (count > XPCBENCH_MAX)
		count = XPCBENCH_MAX;
	if (copy_from_user(data, buf, count))
		return -EFAULT;
	len = (unsigned int)count;
	return (ssize_t)count;
}

/* xb_read - copy the last written bytes out. */
static ssize_t xb_read(struct file *file, char *buf, size_t count, loff_t *ppos)
{
	(void)file;
	(void)ppos;
	if (count > len)
		count = len;
	if (copy_to_user(buf, data, count))
		return -EFAULT;
	return (ssize_t)count;
}

/* xb_ioctl - NOP returns 0; SUM returns the byte sum of the last write. */
static int xb_ioctl(struct inode *inode, struct file *file, unsigned int cmd, unsigned long arg)
{
	unsigned int i, sum = 0;

	(void)inode;
	(void)file;
	(void)arg;
	switch (cmd) {
	case XPCBENCH_IOC_NOP:
		return 0;
	case XPCBENCH_IOC_SUM:
		for (i = 0; i < len; i++)
			sum += (unsigned char)data[i];
		return (int)(sum & 0x7fffffff);
	default:
		return -ENOTTY;
	}
}

static struct file_operations xb_fops = {
	.owner = THIS_MODULE,
	.read = xb_read,
	.write = xb_write,
	.ioctl = xb_ioctl,
	.open = xb_open,
	.release = xb_release,
};

/* xb_init - register the device. */
static int __init xb_init(void)
{
	int r = register_chrdev((unsigned int)major, XPCBENCH_NAME, &xb_fops);

	if (r < 0)
		return r;
	if (!major)
		major = r;
	return 0;
}

/* xb_exit - unregister. */
static void __exit xb_exit(void)
{
	unregister_chrdev((unsigned int)major, XPCBENCH_NAME);
}

module_init(xb_init);
module_exit(xb_exit);
MODULE_LICENSE("GPL");
