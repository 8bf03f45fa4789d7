/*
 * nooks/wrappers/chrdev.c - character devices of an isolated driver:
 * register_chrdev/unregister_chrdev wrappers and the file_operations the
 * kernel really calls.
 *
 * register_chrdev registers a kernel-owned shadow of the driver's
 * file_operations whose entries are the nooks_fop_* wrappers below.  Each
 * wrapper finds its shadow from file->f_op, refuses calls into a domain
 * that failed or was reloaded since (-ENODEV: the open file belongs to the
 * old instance), and makes the XPC with the struct file and the data buffer
 * granted writable for that call only (the page tracker).  The device is a
 * tracked object: recovery unregisters it.  Shadows are never freed (open
 * files may still point at them).
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

struct fops_shadow {
	struct file_operations fops;		/* first: file->f_op points here */
	const struct file_operations *ext;	/* the driver's own table */
	struct nooks_domain *d;
	u32 generation;				/* d->generation when registered */
	unsigned int major;
	char name[32];
};

static int chrdev_type;

/* shadow_of - the shadow behind a file, or NULL if stale. */
static struct fops_shadow *shadow_of(struct file *f)
{
	struct fops_shadow *s = (struct fops_shadow *)f->f_op;

	if (s->d->state != NOOKS_RUNNING || s->d->generation != s->generation)
		return NULL;
	return s;
}

/* fop_call - XPC to the driver's fn with file (and buf) granted. */
static int fop_call(struct fops_shadow *s, void *fn, int nargs, const u32 *args, struct file *f,
		    void *buf, size_t len)
{
	struct nooks_xpc_obj objs[2] = {
		{ .ptr = f, .size = sizeof(*f), .flags = NOOKS_OBJ_GRANT },
		{ .ptr = buf, .size = len, .flags = NOOKS_OBJ_GRANT },
	};

	return nooks_driver_call_objs(s->d, fn, nargs, args, objs, buf && len ? 2 : 1);
}

/* nooks_fop_open / release / read / write / ioctl / llseek - the wrapped
 * file operations (see the top of the file). */
static int nooks_fop_open(struct inode *inode, struct file *f)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[2] = { (u32)inode, (u32)f };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->open, 2, a, f, NULL, 0);
}

/* nooks_fop_release - release through an XPC; 0 if the driver is gone. */
static int nooks_fop_release(struct inode *inode, struct file *f)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[2] = { (u32)inode, (u32)f };

	if (!s)
		return 0;			/* the old instance is gone: nothing to do */
	return fop_call(s, (void *)s->ext->release, 2, a, f, NULL, 0);
}

/* nooks_fop_read - read through an XPC, the buffer granted for the call. */
static ssize_t nooks_fop_read(struct file *f, char *buf, size_t count, loff_t *ppos)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)buf, count, (u32)ppos };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->read, 4, a, f, buf, count);
}

/* nooks_fop_write - write through an XPC (the buffer is only read). */
static ssize_t nooks_fop_write(struct file *f, const char *buf, size_t count, loff_t *ppos)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)buf, count, (u32)ppos };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->write, 4, a, f, NULL, 0);
}

/* nooks_fop_ioctl - ioctl through an XPC, the _IOC_SIZE argument buffer granted. */
static int nooks_fop_ioctl(struct inode *inode, struct file *f, unsigned int cmd,
			   unsigned long arg)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)inode, (u32)f, cmd, arg };
	size_t size = (cmd >> 16) & 0x3fff;	/* _IOC_SIZE: the argument buffer */

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->ioctl, 4, a, f, size && arg >= PAGE_SIZE ? (void *)arg : NULL,
			size);
}

/* nooks_fop_llseek - llseek through an XPC. */
static loff_t nooks_fop_llseek(struct file *f, loff_t off, int whence)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)off, (u32)((u64)off >> 32), (u32)whence };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->llseek, 4, a, f, NULL, 0);
}

/* nooks_wrap_register_chrdev - register_chrdev for the calling domain. */
int nooks_wrap_register_chrdev(unsigned int major, const char *name,
			       const struct file_operations *fops)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct fops_shadow *s;
	int r;

	if (!d)
		return register_chrdev(major, name, fops);
	if (!fops || !name) {
		nooks_check_failed(d, "register_chrdev: NULL fops or name");
		return -EINVAL;
	}
	s = nooks_meta_zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ext = fops;
	s->d = d;
	s->generation = d->generation;
	strlcpy(s->name, name, sizeof(s->name));
	s->fops.owner = fops->owner;
	s->fops.open = fops->open ? nooks_fop_open : NULL;
	s->fops.release = fops->release ? nooks_fop_release : NULL;
	s->fops.read = fops->read ? nooks_fop_read : NULL;
	s->fops.write = fops->write ? nooks_fop_write : NULL;
	s->fops.ioctl = fops->ioctl ? nooks_fop_ioctl : NULL;
	s->fops.llseek = fops->llseek ? nooks_fop_llseek : NULL;
	r = register_chrdev(major, s->name, &s->fops);
	if (r < 0) {
		nooks_meta_free(s);
		return r;
	}
	s->major = major ? major : (unsigned int)r;
	nooks_track(d, chrdev_type, s->major, 1, (unsigned long)s);
	return r;
}

/* nooks_wrap_unregister_chrdev - the domain must own the major. */
int nooks_wrap_unregister_chrdev(unsigned int major, const char *name)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct fops_shadow *s;

	if (!d)
		return unregister_chrdev(major, name);
	o = nooks_object_find(d, chrdev_type, major);
	if (!o) {
		nooks_check_failed(d, "unregister_chrdev of a device it does not own");
		return -EINVAL;
	}
	s = (struct fops_shadow *)o->aux;
	nooks_untrack(d, chrdev_type, major);
	return unregister_chrdev(major, s->name);
}

/* release_chrdev - recovery: unregister the failed driver's device. */
static void release_chrdev(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	unregister_chrdev(o->addr, ((struct fops_shadow *)o->aux)->name);
}

static const struct nooks_obj_type chrdev_obj = { "chrdev", release_chrdev, NULL, false, 1 };

/* nooks_chrdev_wrappers_init - register the object type (boot). */
void nooks_chrdev_wrappers_init(void)
{
	chrdev_type = nooks_obj_type_register(&chrdev_obj);
}
