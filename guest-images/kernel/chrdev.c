/*
 * kernel/chrdev.c - the character-device table and kernel-internal file
 * access (linux/fs.h).
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

struct chrdev {
	const char *name;
	const struct file_operations *fops;
	unsigned int gen;	/* bumped by unregister: files opened before go stale */
};

static struct chrdev chrdevs[MAX_CHRDEV];

/* register_chrdev - see linux/fs.h.  Dynamic majors count down from the top. */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops)
{
	if (!fops || !name)
		return -EINVAL;
	if (major == 0) {
		for (major = MAX_CHRDEV - 1; major > 0; major--)
			if (!chrdevs[major].fops)
				break;
		if (major == 0)
			return -EBUSY;
		chrdevs[major].name = name;
		chrdevs[major].fops = fops;
		return (int)major;
	}
	if (major >= MAX_CHRDEV)
		return -EINVAL;
	if (chrdevs[major].fops && chrdevs[major].fops != fops)
		return -EBUSY;
	chrdevs[major].name = name;
	chrdevs[major].fops = fops;
	return 0;
}

/* unregister_chrdev - see linux/fs.h. */
int unregister_chrdev(unsigned int major, const char *name)
{
	if (major >= MAX_CHRDEV || !chrdevs[major].fops || !name ||
	    strcmp(chrdevs[major].name, name))
		return -EINVAL;
	chrdevs[major].fops = NULL;
	chrdevs[major].name = NULL;
	chrdevs[major].gen++;
	return 0;
}

/* chrdev_major - see linux/fs.h. */
int chrdev_major(const char *name)
{
	unsigned int m;

	for (m = 1; m < MAX_CHRDEV; m++)
		if (chrdevs[m].fops && !strcmp(chrdevs[m].name, name))
			return (int)m;
	return -ENODEV;
}

/* chrdev_name - see linux/fs.h. */
const char *chrdev_name(unsigned int major)
{
	return major < MAX_CHRDEV && chrdevs[major].fops ? chrdevs[major].name : NULL;
}

/* chrdev_open - see linux/fs.h. */
struct file *chrdev_open(unsigned int major, unsigned int minor, unsigned int flags,
			 int *err)
{
	struct file *f;
	int e = 0;

	if (major >= MAX_CHRDEV || !chrdevs[major].fops) {
		*err = -ENODEV;
		return NULL;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->f_op = chrdevs[major].fops;
	f->inode.i_rdev = MKDEV(major, minor);
	f->f_inode = &f->inode;
	f->f_flags = flags;
	f->f_gen = chrdevs[major].gen;
	if (f->f_op->open)
		e = f->f_op->open(f->f_inode, f);
	if (e) {
		kfree(f);
		*err = e;
		return NULL;
	}
	*err = 0;
	return f;
}

/* stale - was f's driver unregistered since f was opened? */
static bool stale(const struct file *f)
{
	const struct chrdev *c = &chrdevs[MAJOR(f->inode.i_rdev)];

	return c->gen != f->f_gen || c->fops != f->f_op;
}

/* file_read - see linux/fs.h. */
ssize_t file_read(struct file *f, void *buf, size_t count)
{
	if (stale(f))
		return -ENODEV;
	if (!f->f_op->read)
		return -EINVAL;
	return f->f_op->read(f, buf, count, &f->f_pos);
}

/* file_write - see linux/fs.h. */
ssize_t file_write(struct file *f, const void *buf, size_t count)
{
	if (stale(f))
		return -ENODEV;
	if (!f->f_op->write)
		return -EINVAL;
	return f->f_op->write(f, buf, count, &f->f_pos);
}

/* file_ioctl - see linux/fs.h.  No ioctl operation: -ENOTTY as in Linux. */
int file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (stale(f))
		return -ENODEV;
	if (!f->f_op->ioctl)
		return -ENOTTY;
	return f->f_op->ioctl(f->f_inode, f, cmd, arg);
}

/* file_close - see linux/fs.h. */
int file_close(struct file *f)
{
	int e = 0;

	if (!stale(f) && f->f_op->release)
		e = f->f_op->release(f->f_inode, f);
	kfree(f);
	return e;
}
