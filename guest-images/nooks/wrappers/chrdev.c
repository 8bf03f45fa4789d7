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
 * passed by value-result (copies in the domain's memory).  The device is a
 * tracked object: recovery unregisters it.  Shadows are never freed (open
 * files may still point at them).
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stddef.h>
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

/*
 * fop_call - XPC to the driver's fn.  The struct file (argument fidx) and
 * the data buffer (argument bidx, len bytes, COPY flags bflags) reach the
 * driver as copies in its own memory (call by value-result), never by
 * granting their pages: a file shares its page with other kernel objects,
 * a buffer may sit on a kernel stack.  An argument pidx that points at
 * file->f_pos is pointed at the copy's.  After the call the fields the
 * kernel relies on (f_op, f_inode) are put back.
 */
static int fop_call(struct fops_shadow *s, void *fn, int nargs, const u32 *args,
		    struct file *f, int fidx, int pidx, void *buf, size_t len, int bidx,
		    u16 bflags)
{
	struct nooks_xpc_obj objs[2] = {
		{ .ptr = f, .size = sizeof(*f), .argno = (s16)fidx, .argno2 = (s16)pidx,
		  .off2 = offsetof(struct file, f_pos),
		  .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT |
			   (pidx >= 0 ? NOOKS_OBJ_ARG2 : 0) },
		{ .ptr = buf, .size = len, .argno = (s16)bidx, .flags = NOOKS_OBJ_COPY | bflags },
	};
	const struct file_operations *fop = f->f_op;
	struct inode *inode = f->f_inode;
	int r;

	r = nooks_driver_call_objs(s->d, fn, nargs, args, objs, buf && len ? 2 : 1);
	f->f_op = fop;
	f->f_inode = inode;
	return r;
}

/* nooks_fop_open / release / read / write / ioctl / llseek - the wrapped
 * file operations (see the top of the file). */
static int nooks_fop_open(struct inode *inode, struct file *f)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[2] = { (u32)inode, (u32)f };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->open, 2, a, f, 1, -1, NULL, 0, -1, 0);
}

/* nooks_fop_release - release through an XPC; 0 if the driver is gone. */
static int nooks_fop_release(struct inode *inode, struct file *f)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[2] = { (u32)inode, (u32)f };

	if (!s)
		return 0;			/* the old instance is gone: nothing to do */
	return fop_call(s, (void *)s->ext->release, 2, a, f, 1, -1, NULL, 0, -1, 0);
}

/* nooks_fop_read - read through an XPC into a copy of the buffer. */
static ssize_t nooks_fop_read(struct file *f, char *buf, size_t count, loff_t *ppos)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)buf, count, (u32)ppos };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->read, 4, a, f, 0, ppos == &f->f_pos ? 3 : -1, buf,
			count, 1, NOOKS_OBJ_IN | NOOKS_OBJ_OUT);
}

/* nooks_fop_write - write through an XPC from a copy of the buffer. */
static ssize_t nooks_fop_write(struct file *f, const char *buf, size_t count, loff_t *ppos)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)buf, count, (u32)ppos };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->write, 4, a, f, 0, ppos == &f->f_pos ? 3 : -1,
			(void *)buf, count, 1, NOOKS_OBJ_IN);
}

/* nooks_fop_ioctl - ioctl through an XPC, the _IOC_SIZE argument buffer
 * passed as a copy (in and out). */
static int nooks_fop_ioctl(struct inode *inode, struct file *f, unsigned int cmd,
			   unsigned long arg)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)inode, (u32)f, cmd, arg };
	size_t size = (cmd >> 16) & 0x3fff;	/* _IOC_SIZE: the argument buffer */

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->ioctl, 4, a, f, 1, -1,
			size && arg >= PAGE_SIZE ? (void *)arg : NULL, size, 3,
			NOOKS_OBJ_IN | NOOKS_OBJ_OUT);
}

/* nooks_fop_llseek - llseek through an XPC. */
static loff_t nooks_fop_llseek(struct file *f, loff_t off, int whence)
{
	struct fops_shadow *s = shadow_of(f);
	u32 a[4] = { (u32)f, (u32)off, (u32)((u64)off >> 32), (u32)whence };

	if (!s)
		return -ENODEV;
	return fop_call(s, (void *)s->ext->llseek, 4, a, f, 0, -1, NULL, 0, -1, 0);
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
