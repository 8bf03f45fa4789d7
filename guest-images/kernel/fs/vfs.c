/*
 * kernel/fs/vfs.c - the virtual file system (linux/vfs.h): file system
 * types, the one mount at "/", path lookup, the in-use inode list and open
 * files.  Path components "." are skipped; ".." is refused (-EINVAL).
 */
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfs.h>

static struct file_system_type *fs_types;
static struct super_block *root_sb;
static struct vfs_inode *inodes;	/* in use (the root is not on it) */
static unsigned int open_files;
static unsigned int mount_gen = 1;	/* changes at every mount and abort */

/* A vfs_abort_later not done yet: why, sync or not, and what to call after it. */
static struct {
	const char *why;
	void (*done)(void *);
	void *data;
	bool sync;
} pending;

static void settle(void);

/* stale - was f opened on a mount that is gone (aborted)? */
static bool stale(const struct vfs_file *f)
{
	return !root_sb || f->gen != mount_gen;
}

/* register_filesystem - see linux/vfs.h. */
int register_filesystem(struct file_system_type *fs)
{
	struct file_system_type **p;

	if (!fs || !fs->name || !fs->mount)
		return -EINVAL;
	for (p = &fs_types; *p; p = &(*p)->next)
		if (*p == fs || !strcmp((*p)->name, fs->name)) {
			if (root_sb && root_sb->s_type == *p && !pending.why)
				return -EBUSY;	/* (a doomed mount keeps the old type) */
			*p = (*p)->next;	/* replaced (a reloaded module) */
			break;
		}
	fs->next = fs_types;
	fs_types = fs;
	return 0;
}

/* unregister_filesystem - see linux/vfs.h; a mounted type is unmounted first
 * only by the caller: a type in use returns -EBUSY. */
int unregister_filesystem(struct file_system_type *fs)
{
	struct file_system_type **p;

	if (root_sb && root_sb->s_type == fs)
		return -EBUSY;
	for (p = &fs_types; *p; p = &(*p)->next)
		if (*p == fs) {
			*p = fs->next;
			return 0;
		}
	return -EINVAL;
}

/* vfs_mount - see linux/vfs.h. */
int vfs_mount(const char *type, kdev_t dev)
{
	struct file_system_type *fs;
	struct super_block *sb;
	int err;

	settle();
	if (root_sb)
		return -EBUSY;
	for (fs = fs_types; fs; fs = fs->next)
		if (!strcmp(fs->name, type))
			break;
	if (!fs)
		return -ENODEV;
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	sb->s_root = kzalloc(sizeof(*sb->s_root), GFP_KERNEL);
	if (!sb->s_root) {
		kfree(sb);
		return -ENOMEM;
	}
	sb->s_dev = dev;
	sb->s_type = fs;
	sb->s_root->i_sb = sb;
	sb->s_root->i_count = 1;
	err = fs->mount(sb);
	if (!err && (!sb->s_op || !S_ISDIR(sb->s_root->i_mode)))
		err = -EINVAL;
	if (err) {
		kfree(sb->s_root);
		kfree(sb);
		return err;
	}
	root_sb = sb;
	mount_gen++;
	return 0;
}

/* abort_mount - vfs_abort (sync) or vfs_abort_nosync (drop the dirty buffers). */
static int abort_mount(const char *why, bool sync)
{
	struct super_block *sb = root_sb;
	struct vfs_inode *i, *n;
	void (*done)(void *) = pending.done;
	void *data = pending.data;
	int err;

	if (!sb)
		return -EINVAL;
	pending.why = NULL;
	pending.done = NULL;
	if (sync) {
		err = sync_dev(sb->s_dev);
		printk("vfs: mount of %s on %04x aborted (%s); sync %d, %u file(s) left open\n",
		       sb->s_type->name, sb->s_dev, why ? why : "?", err, open_files);
	} else {
		printk("vfs: mount of %s on %04x aborted (%s); no sync: %u dirty buffer(s) "
		       "dropped, %u file(s) left open\n", sb->s_type->name, sb->s_dev,
		       why ? why : "?", invalidate_buffers(sb->s_dev), open_files);
	}
	for (i = inodes; i; i = n) {
		n = i->i_next;
		kfree(i);
	}
	inodes = NULL;
	kfree(sb->s_root);
	kfree(sb);
	root_sb = NULL;
	mount_gen++;
	if (done)
		done(data);
	return 0;
}

/* vfs_abort - see linux/vfs.h. */
int vfs_abort(const char *why)
{
	return abort_mount(why, true);
}

/* vfs_abort_nosync - see linux/vfs.h. */
int vfs_abort_nosync(const char *why)
{
	return abort_mount(why, false);
}

/* vfs_abort_later - see linux/vfs.h. */
int vfs_abort_later(const char *why, bool sync, void (*done)(void *), void *data)
{
	if (!root_sb || pending.why)
		return -EINVAL;
	pending.why = why ? why : "?";
	pending.done = done;
	pending.data = data;
	pending.sync = sync;
	return 0;
}

/* settle - at the entry of a VFS call (no VFS call holds the mount): the
 * abort vfs_abort_later asked for. */
static void settle(void)
{
	if (pending.why)
		abort_mount(pending.why, pending.sync);
}

/* vfs_mounted - see linux/vfs.h. */
bool vfs_mounted(void)
{
	settle();
	return root_sb != NULL;
}

/* vfs_umount - see linux/vfs.h. */
int vfs_umount(void)
{
	struct super_block *sb;

	settle();
	sb = root_sb;
	if (!sb)
		return -EINVAL;
	if (inodes)
		return -EBUSY;		/* files of this mount are open */
	vfs_sync();
	if (sb->s_op->put_super)
		sb->s_op->put_super(sb);
	kfree(sb->s_root);
	kfree(sb);
	root_sb = NULL;
	return 0;
}

/* iget - the in-use inode equal to the one lookup filled in *tmp, held. */
static struct vfs_inode *iget(struct vfs_inode *tmp)
{
	struct vfs_inode *i;

	for (i = inodes; i; i = i->i_next)
		if (i->i_ino == tmp->i_ino) {
			if (tmp->i_private && root_sb->s_op->put_inode)
				root_sb->s_op->put_inode(tmp);	/* keep the old one */
			i->i_count++;
			return i;
		}
	i = kmalloc(sizeof(*i), GFP_KERNEL);
	if (!i) {
		if (root_sb->s_op->put_inode)
			root_sb->s_op->put_inode(tmp);
		return NULL;
	}
	*i = *tmp;
	i->i_count = 1;
	i->i_next = inodes;
	inodes = i;
	return i;
}

/* iput - drop a hold; the last one releases the inode (never the root). */
static void iput(struct vfs_inode *inode)
{
	struct vfs_inode **p;

	if (!inode || inode == root_sb->s_root || --inode->i_count)
		return;
	for (p = &inodes; *p; p = &(*p)->i_next)
		if (*p == inode) {
			*p = inode->i_next;
			break;
		}
	if (root_sb->s_op->put_inode)
		root_sb->s_op->put_inode(inode);
	kfree(inode);
}

/* in_use - is an inode with ino held by anyone? */
static bool in_use(unsigned long ino)
{
	struct vfs_inode *i;

	for (i = inodes; i; i = i->i_next)
		if (i->i_ino == ino)
			return true;
	return false;
}

/* lookup_one - the held child name[0..len) of dir. */
static int lookup_one(struct vfs_inode *dir, const char *name, int len,
		      struct vfs_inode **res)
{
	struct vfs_inode tmp;
	int err;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memset(&tmp, 0, sizeof(tmp));
	tmp.i_sb = root_sb;
	err = root_sb->s_op->lookup(dir, name, len, &tmp);
	if (err)
		return err;
	*res = iget(&tmp);
	return *res ? 0 : -ENOMEM;
}

/*
 * walk - resolve path.  With last != NULL, stop before the last component:
 * return its directory (held) and point *last and *lastlen at the name.
 */
static int walk(const char *path, struct vfs_inode **res, const char **last, int *lastlen)
{
	struct vfs_inode *cur, *next;
	const char *p = path, *e;
	int err, len;

	if (!root_sb)
		return -ENODEV;
	if (!path || *path != '/')
		return -EINVAL;
	if (strnlen(path, VFS_PATH_MAX) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	cur = root_sb->s_root;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (e = p; *e && *e != '/'; e++)
			;
		len = (int)(e - p);
		if (len == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			iput(cur);
			return -EINVAL;
		}
		if (last) {
			const char *q = e;
			while (*q == '/')
				q++;
			if (!*q) {
				if (!S_ISDIR(cur->i_mode)) {
					iput(cur);
					return -ENOTDIR;
				}
				if (len > VFS_NAME_MAX) {
					iput(cur);
					return -ENAMETOOLONG;
				}
				*last = p;
				*lastlen = len;
				*res = cur;
				return 0;
			}
		}
		err = lookup_one(cur, p, len, &next);
		iput(cur);
		if (err)
			return err;
		cur = next;
		p = e;
	}
	if (last) {			/* "/" has no last component */
		iput(cur);
		return -EINVAL;
	}
	*res = cur;
	return 0;
}

/* vfs_open - see linux/vfs.h. */
struct vfs_file *vfs_open(const char *path, unsigned int flags, int *err)
{
	struct vfs_inode *dir, *inode = NULL, tmp;
	struct vfs_file *f;
	const char *name;
	int len, e;

	settle();
	e = walk(path, &dir, &name, &len);
	if (e == -EINVAL && path && root_sb && path[0] == '/' &&
	    !(flags & (O_CREAT | O_TRUNC))) {
		e = walk(path, &inode, NULL, NULL);	/* "/" itself */
		dir = NULL;
	} else if (!e) {
		e = lookup_one(dir, name, len, &inode);
		if (e == -ENOENT && (flags & O_CREAT)) {
			memset(&tmp, 0, sizeof(tmp));
			tmp.i_sb = root_sb;
			e = root_sb->s_op->create(dir, name, len, &tmp);
			if (!e) {
				inode = iget(&tmp);
				if (!inode)
					e = -ENOMEM;
			}
		} else if (!e && (flags & O_CREAT) && (flags & O_EXCL)) {
			iput(inode);
			e = -EEXIST;
		}
		iput(dir);
	}
	if (e)
		goto fail;
	if (S_ISDIR(inode->i_mode) && ((flags & 3) != O_RDONLY || (flags & O_TRUNC))) {
		e = -EISDIR;
		goto fail_put;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode)) {
		e = -ENOTDIR;
		goto fail_put;
	}
	if ((flags & O_TRUNC) && inode->i_size) {
		e = root_sb->s_op->truncate(inode, 0);
		if (e)
			goto fail_put;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		e = -ENOMEM;
		goto fail_put;
	}
	f->inode = inode;
	f->flags = flags;
	f->gen = mount_gen;
	open_files++;
	if (err)
		*err = 0;
	return f;
fail_put:
	iput(inode);
fail:
	if (err)
		*err = e;
	return NULL;
}

/* vfs_read - see linux/vfs.h. */
ssize_t vfs_read(struct vfs_file *f, void *buf, size_t count)
{
	ssize_t n;

	settle();
	if (!f || (f->flags & 3) == O_WRONLY)
		return -EBADF;
	if (stale(f))
		return -EIO;
	if (S_ISDIR(f->inode->i_mode))
		return -EISDIR;
	n = root_sb->s_op->read(f->inode, buf, count, f->pos);
	if (n > 0)
		f->pos += n;
	return n;
}

/* vfs_write - see linux/vfs.h. */
ssize_t vfs_write(struct vfs_file *f, const void *buf, size_t count)
{
	ssize_t n;

	settle();
	if (!f || (f->flags & 3) == O_RDONLY)
		return -EBADF;
	if (stale(f))
		return -EIO;
	if (f->flags & O_APPEND)
		f->pos = f->inode->i_size;
	n = root_sb->s_op->write(f->inode, buf, count, f->pos);
	if (n > 0)
		f->pos += n;
	return n;
}

/* vfs_lseek - see linux/vfs.h. */
loff_t vfs_lseek(struct vfs_file *f, loff_t off, int whence)
{
	loff_t base;

	settle();
	if (!f)
		return -EBADF;
	if (stale(f))
		return -EIO;
	base = whence == 0 ? 0 : whence == 1 ? f->pos : whence == 2 ? f->inode->i_size : -1;
	if (base < 0 || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

/* vfs_ftruncate - see linux/vfs.h. */
int vfs_ftruncate(struct vfs_file *f, loff_t size)
{
	settle();
	if (!f || (f->flags & 3) == O_RDONLY)
		return -EBADF;
	if (stale(f))
		return -EIO;
	if (S_ISDIR(f->inode->i_mode))
		return -EISDIR;
	if (size < 0)
		return -EINVAL;
	return root_sb->s_op->truncate(f->inode, size);
}

/* vfs_readdir - see linux/vfs.h. */
int vfs_readdir(struct vfs_file *f, struct vfs_dirent *ent)
{
	settle();
	if (!f)
		return -EBADF;
	if (stale(f))
		return -EIO;
	if (!S_ISDIR(f->inode->i_mode))
		return -ENOTDIR;
	return root_sb->s_op->readdir(f->inode, &f->pos, ent);
}

/* vfs_close - see linux/vfs.h. */
int vfs_close(struct vfs_file *f)
{
	settle();
	if (!f)
		return -EBADF;
	if (!stale(f))
		iput(f->inode);	/* (an aborted mount's inodes are gone already) */
	kfree(f);
	open_files--;
	return 0;
}

/* vfs_stat - see linux/vfs.h. */
int vfs_stat(const char *path, struct vfs_stat *st)
{
	struct vfs_inode *i;
	int err;

	settle();
	err = walk(path, &i, NULL, NULL);
	if (err)
		return err;
	st->mode = i->i_mode;
	st->size = i->i_size;
	st->ino = i->i_ino;
	iput(i);
	return 0;
}

/* vfs_mkdir - see linux/vfs.h. */
int vfs_mkdir(const char *path)
{
	struct vfs_inode *dir, *i;
	const char *name;
	int len, err;

	settle();
	err = walk(path, &dir, &name, &len);
	if (err)
		return err;
	err = lookup_one(dir, name, len, &i);
	if (!err) {
		iput(i);
		err = -EEXIST;
	} else if (err == -ENOENT) {
		err = root_sb->s_op->mkdir(dir, name, len);
	}
	iput(dir);
	return err;
}

/* remove - unlink (dir = false) or rmdir (dir = true) path. */
static int remove(const char *path, bool isdir)
{
	struct vfs_inode *dir, *i;
	const char *name;
	int len, err;

	settle();
	err = walk(path, &dir, &name, &len);
	if (err)
		return err;
	err = lookup_one(dir, name, len, &i);
	if (!err) {
		if (isdir && !S_ISDIR(i->i_mode))
			err = -ENOTDIR;
		else if (!isdir && S_ISDIR(i->i_mode))
			err = -EISDIR;
		else if (i->i_count > 1)
			err = -EBUSY;
		iput(i);
	}
	if (!err)
		err = isdir ? root_sb->s_op->rmdir(dir, name, len)
			    : root_sb->s_op->unlink(dir, name, len);
	iput(dir);
	return err;
}

/* vfs_unlink - see linux/vfs.h. */
int vfs_unlink(const char *path)
{
	return remove(path, false);
}

/* vfs_rmdir - see linux/vfs.h. */
int vfs_rmdir(const char *path)
{
	return remove(path, true);
}

/* vfs_rename - see linux/vfs.h. */
int vfs_rename(const char *oldpath, const char *newpath)
{
	struct vfs_inode *odir, *ndir, *i;
	const char *oname, *nname;
	int olen, nlen, err;
	size_t ol = strnlen(oldpath, VFS_PATH_MAX);

	settle();
	/* a directory may not move into itself */
	if (!strncmp(oldpath, newpath, ol) && newpath[ol] == '/')
		return -EINVAL;
	err = walk(oldpath, &odir, &oname, &olen);
	if (err)
		return err;
	err = walk(newpath, &ndir, &nname, &nlen);
	if (err) {
		iput(odir);
		return err;
	}
	err = lookup_one(odir, oname, olen, &i);
	if (!err) {
		if (in_use(i->i_ino) && i->i_count > 1)
			err = -EBUSY;
		iput(i);
	}
	if (!err && lookup_one(ndir, nname, nlen, &i) == 0) {
		if (i->i_count > 1)
			err = -EBUSY;
		iput(i);
	}
	if (!err)
		err = root_sb->s_op->rename(odir, oname, olen, ndir, nname, nlen);
	iput(odir);
	iput(ndir);
	return err;
}

/* vfs_sync - see linux/vfs.h. */
int vfs_sync(void)
{
	settle();
	if (!root_sb)
		return -ENODEV;
	return root_sb->s_op->sync ? root_sb->s_op->sync(root_sb) : 0;
}

EXPORT_SYMBOL(register_filesystem);
EXPORT_SYMBOL(unregister_filesystem);
EXPORT_SYMBOL(vfs_open);
EXPORT_SYMBOL(vfs_read);
EXPORT_SYMBOL(vfs_write);
EXPORT_SYMBOL(vfs_lseek);
EXPORT_SYMBOL(vfs_readdir);
EXPORT_SYMBOL(vfs_close);
EXPORT_SYMBOL(vfs_stat);
EXPORT_SYMBOL(vfs_sync);
