/*
 * linux/fs.h - character devices (kernel/chrdev.c).
 *
 * A driver registers a struct file_operations for a major number; opening
 * (major, minor) makes a struct file whose operations are the driver's.
 * There is no file system: the kernel opens devices by major number or by
 * driver name with chrdev_open() and drives them with the file_* calls,
 * which is how the workloads (and tests) use char drivers.  Buffers passed
 * to read/write are kernel buffers; drivers still move data with
 * copy_to_user/copy_from_user (asm/uaccess.h) as Linux drivers do.
 *
 * Device numbers: kdev_t = major << 8 | minor, as in Linux 2.4.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>

typedef long long loff_t;
typedef unsigned short kdev_t;
typedef unsigned int mode_t;

#define MAJOR(dev) ((unsigned int)(dev) >> 8)
#define MINOR(dev) ((unsigned int)(dev) & 0xff)
#define MKDEV(ma, mi) ((kdev_t)(((ma) << 8) | (mi)))

#define MAX_CHRDEV 64

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_NONBLOCK 04000

struct module;

struct inode {
	kdev_t i_rdev;
	unsigned long i_ino;
};

struct file_operations;

struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;		/* (no dentries here) */
	loff_t f_pos;
	unsigned int f_flags;		/* O_* */
	void *private_data;		/* the driver's */
	struct inode inode;		/* the inode this file was opened with */
	unsigned int f_gen;		/* registration generation of the major at open */
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *, loff_t, int);
	ssize_t (*read)(struct file *, char *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char *, size_t, loff_t *);
	int (*ioctl)(struct inode *, struct file *, unsigned int, unsigned long);
	int (*open)(struct inode *, struct file *);
	int (*release)(struct inode *, struct file *);
};

/*
 * register_chrdev - give major (0: pick a free one) to fops under name.
 * Returns the major (when major was 0) or 0, -EBUSY if taken, -EINVAL.
 */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops);
/* unregister_chrdev - release major if name matches.  0 or -EINVAL. */
int unregister_chrdev(unsigned int major, const char *name);

/* chrdev_major - the major registered under name, or -ENODEV. */
int chrdev_major(const char *name);
/* chrdev_name - the name registered for major, or NULL. */
const char *chrdev_name(unsigned int major);

/*
 * Kernel-internal file access.  chrdev_open returns a new struct file
 * after the driver's open succeeded, or NULL with the error in *err.
 * file_close calls release and frees file.  The others return what the
 * driver returned (-EINVAL when it has no such operation).
 *
 * A file outlives its driver safely: once the major is unregistered (the
 * driver unloaded, or was torn down after a crash), every operation on a
 * file opened before returns -ENODEV without calling into the driver, and
 * file_close only frees the file.
 */
struct file *chrdev_open(unsigned int major, unsigned int minor, unsigned int flags,
			 int *err);
ssize_t file_read(struct file *file, void *buf, size_t count);
ssize_t file_write(struct file *file, const void *buf, size_t count);
int file_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int file_close(struct file *file);

#endif
