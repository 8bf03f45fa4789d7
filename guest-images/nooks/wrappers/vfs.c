/*
 * nooks/wrappers/vfs.c - a file system module in a domain (VFAT).
 *
 * register_filesystem registers a kernel-owned file_system_type whose mount
 * makes the XPC; after a successful mount the super_block's operations are
 * a kernel-owned table of nooks_vfs_* wrappers.  Every VFS object a call
 * hands the driver - inodes, the super_block, data buffers, directory
 * entries, the readdir position - goes by value-result (a copy in the
 * domain's memory), and the fields the VFS owns (i_sb, i_count, i_next;
 * s_op, s_root, s_type) are put back after the call.  Names are read in
 * place.  Recovery makes the old mount's operations answer -EIO and has the
 * VFS abort the mount at its next call (after the one that saw the failure)
 * without calling into the driver (vfs_abort_later: the kernel syncs the
 * dirty buffers, or drops them with nooks_fs_sync=0, the ablation of the
 * paper's finding); the reloaded driver registers the type again.
 */
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/tqueue.h>
#include <linux/vfs.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

static int fs_type_id;

struct fs_rec {
	struct file_system_type kfs;		/* what the VFS holds */
	struct super_operations kops;		/* installed in the mounted sb */
	struct file_system_type *ext;		/* the driver's */
	const struct super_operations *eops;	/* the driver's, from mount */
	struct super_block *sb;			/* mounted with it, or NULL */
	struct nooks_domain *d;
	u32 generation;
	char name[32];
	struct tq_struct forget;		/* release_fs of a type not mounted */
};

/* The mounted file system's record (one mount at "/"). */
static struct fs_rec *mounted;

/* fs_live - may r's driver be called? */
static bool fs_live(const struct fs_rec *r)
{
	return r && r->d->generation == r->generation && r->d->state == NOOKS_RUNNING;
}

/* inode_obj / sb_obj - a value-result copy of an inode or super_block as
 * argument argno. */
static struct nooks_xpc_obj inode_obj(struct vfs_inode *i, int argno)
{
	struct nooks_xpc_obj o = { .ptr = i, .size = sizeof(*i), .argno = (s16)argno,
				   .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT };
	return o;
}

/* fix_inode - put back the fields of i the VFS owns. */
static void fix_inode(struct vfs_inode *i, const struct vfs_inode *saved)
{
	i->i_sb = saved->i_sb;
	i->i_count = saved->i_count;
	i->i_next = saved->i_next;
}

/* vfs_xpc - the call, with up to two inodes (i0, i1) protected. */
static long vfs_xpc(struct fs_rec *r, void *fn, int nargs, const u32 *a,
		    struct nooks_xpc_obj *objs, unsigned int nobjs, struct vfs_inode *i0,
		    struct vfs_inode *i1)
{
	struct vfs_inode s0, s1;
	long ret;

	if (!fs_live(r) || !fn)
		return -EIO;
	if (i0)
		s0 = *i0;
	if (i1)
		s1 = *i1;
	ret = nooks_driver_call_objs(r->d, fn, nargs, a, objs, nobjs);
	if (i0)
		fix_inode(i0, &s0);
	if (i1)
		fix_inode(i1, &s1);
	return ret;
}

#define EOP(field) (mounted ? (void *)mounted->eops->field : NULL)

/* nooks_vfs_lookup / create - dir and the inode to fill go as copies. */
static int nooks_vfs_lookup(struct vfs_inode *dir, const char *name, int len,
			    struct vfs_inode *inode)
{
	struct nooks_xpc_obj o[2] = { inode_obj(dir, 0), inode_obj(inode, 3) };
	u32 a[4] = { (u32)dir, (u32)name, (u32)len, (u32)inode };

	return (int)vfs_xpc(mounted, EOP(lookup), 4, a, o, 2, dir, inode);
}

static int nooks_vfs_create(struct vfs_inode *dir, const char *name, int len,
			    struct vfs_inode *inode)
{
	struct nooks_xpc_obj o[2] = { inode_obj(dir, 0), inode_obj(inode, 3) };
	u32 a[4] = { (u32)dir, (u32)name, (u32)len, (u32)inode };

	return (int)vfs_xpc(mounted, EOP(create), 4, a, o, 2, dir, inode);
}

/* nooks_vfs_mkdir / unlink / rmdir - one directory inode. */
static int nooks_vfs_dirop(void *fn, struct vfs_inode *dir, const char *name, int len)
{
	struct nooks_xpc_obj o[1] = { inode_obj(dir, 0) };
	u32 a[3] = { (u32)dir, (u32)name, (u32)len };

	return (int)vfs_xpc(mounted, fn, 3, a, o, 1, dir, NULL);
}

static int nooks_vfs_mkdir(struct vfs_inode *dir, const char *name, int len)
{
	return nooks_vfs_dirop(EOP(mkdir), dir, name, len);
}

static int nooks_vfs_unlink(struct vfs_inode *dir, const char *name, int len)
{
	return nooks_vfs_dirop(EOP(unlink), dir, name, len);
}

static int nooks_vfs_rmdir(struct vfs_inode *dir, const char *name, int len)
{
	return nooks_vfs_dirop(EOP(rmdir), dir, name, len);
}

/* nooks_vfs_rename - two directory inodes (the same one passed once). */
static int nooks_vfs_rename(struct vfs_inode *odir, const char *oname, int olen,
			    struct vfs_inode *ndir, const char *nname, int nlen)
{
	struct nooks_xpc_obj o[2] = { inode_obj(odir, 0), inode_obj(ndir, 3) };
	u32 a[6] = { (u32)odir, (u32)oname, (u32)olen, (u32)ndir, (u32)nname, (u32)nlen };

	if (odir == ndir) {			/* one copy, both arguments */
		o[0].flags |= NOOKS_OBJ_ARG2;
		o[0].argno2 = 3;
		o[0].off2 = 0;
		return (int)vfs_xpc(mounted, EOP(rename), 6, a, o, 1, odir, NULL);
	}
	return (int)vfs_xpc(mounted, EOP(rename), 6, a, o, 2, odir, ndir);
}

/* nooks_vfs_read / write - the inode and the data as copies. */
static ssize_t nooks_vfs_read(struct vfs_inode *inode, char *buf, size_t count, loff_t pos)
{
	struct nooks_xpc_obj o[2] = {
		inode_obj(inode, 0),
		{ .ptr = buf, .size = count, .argno = 1,
		  .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT },
	};
	u32 a[5] = { (u32)inode, (u32)buf, count, (u32)pos, (u32)((u64)pos >> 32) };

	return (ssize_t)vfs_xpc(mounted, EOP(read), 5, a, o, count ? 2 : 1, inode, NULL);
}

static ssize_t nooks_vfs_write(struct vfs_inode *inode, const char *buf, size_t count,
			       loff_t pos)
{
	struct nooks_xpc_obj o[2] = {
		inode_obj(inode, 0),
		{ .ptr = (void *)buf, .size = count, .argno = 1,
		  .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN },
	};
	u32 a[5] = { (u32)inode, (u32)buf, count, (u32)pos, (u32)((u64)pos >> 32) };

	return (ssize_t)vfs_xpc(mounted, EOP(write), 5, a, o, count ? 2 : 1, inode, NULL);
}

/* nooks_vfs_truncate - the inode as a copy. */
static int nooks_vfs_truncate(struct vfs_inode *inode, loff_t size)
{
	struct nooks_xpc_obj o[1] = { inode_obj(inode, 0) };
	u32 a[3] = { (u32)inode, (u32)size, (u32)((u64)size >> 32) };

	return (int)vfs_xpc(mounted, EOP(truncate), 3, a, o, 1, inode, NULL);
}

/* nooks_vfs_readdir - dir, the position and the entry as copies. */
static int nooks_vfs_readdir(struct vfs_inode *dir, loff_t *pos, struct vfs_dirent *ent)
{
	struct nooks_xpc_obj o[3] = {
		inode_obj(dir, 0),
		{ .ptr = pos, .size = sizeof(*pos), .argno = 1,
		  .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT },
		{ .ptr = ent, .size = sizeof(*ent), .argno = 2,
		  .flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT },
	};
	u32 a[3] = { (u32)dir, (u32)pos, (u32)ent };

	return (int)vfs_xpc(mounted, EOP(readdir), 3, a, o, 3, dir, NULL);
}

/* nooks_vfs_put_inode - the inode as a copy. */
static void nooks_vfs_put_inode(struct vfs_inode *inode)
{
	struct nooks_xpc_obj o[1] = { inode_obj(inode, 0) };
	u32 a[1] = { (u32)inode };

	vfs_xpc(mounted, EOP(put_inode), 1, a, o, 1, inode, NULL);
}

/* sb_call - sync / put_super with the super_block as a copy. */
static int sb_call(void *fn, struct super_block *sb)
{
	struct nooks_xpc_obj o[1] = { { .ptr = sb, .size = sizeof(*sb), .argno = 0,
					.flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT } };
	struct super_block saved = *sb;
	u32 a[1] = { (u32)sb };
	int ret = (int)vfs_xpc(mounted, fn, 1, a, o, 1, NULL, NULL);

	sb->s_op = saved.s_op;
	sb->s_root = saved.s_root;
	sb->s_type = saved.s_type;
	sb->s_dev = saved.s_dev;
	return ret;
}

/* nooks_vfs_sync - sync through an XPC. */
static int nooks_vfs_sync(struct super_block *sb)
{
	return sb_call(EOP(sync), sb);
}

/* nooks_vfs_put_super - unmount: the driver's put_super, then forget it. */
static void nooks_vfs_put_super(struct super_block *sb)
{
	sb_call(EOP(put_super), sb);
	if (mounted && mounted->sb == sb) {
		mounted->sb = NULL;
		mounted = NULL;
	}
}

/* install_ops - the kernel-owned operations for the driver's non-NULL ones. */
static void install_ops(struct fs_rec *r)
{
	const struct super_operations *e = r->eops;

#define OP(field, wrapper) r->kops.field = e->field ? wrapper : NULL
	OP(lookup, nooks_vfs_lookup);
	OP(create, nooks_vfs_create);
	OP(mkdir, nooks_vfs_mkdir);
	OP(unlink, nooks_vfs_unlink);
	OP(rmdir, nooks_vfs_rmdir);
	OP(rename, nooks_vfs_rename);
	OP(read, nooks_vfs_read);
	OP(write, nooks_vfs_write);
	OP(truncate, nooks_vfs_truncate);
	OP(readdir, nooks_vfs_readdir);
	OP(put_inode, nooks_vfs_put_inode);
	OP(sync, nooks_vfs_sync);
	OP(put_super, nooks_vfs_put_super);
#undef OP
}

/* nooks_fs_mount - mount(sb) in the domain on copies of sb and its root
 * inode; then the kernel-owned operations go into sb. */
static int nooks_fs_mount(struct super_block *sb)
{
	struct fs_rec *r = (struct fs_rec *)sb->s_type;	/* kfs is first */
	struct {
		struct super_block sb;
		struct vfs_inode root;
	} *c;
	u32 a[1];
	int err;

	if (mounted && !vfs_mounted())
		mounted = NULL;			/* aborted by the kernel (vfs_abort) */
	if (!fs_live(r) || mounted)
		return -EIO;
	c = nooks_domain_alloc(r->d, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->sb = *sb;
	c->root = *sb->s_root;
	c->sb.s_root = &c->root;
	c->root.i_sb = sb;			/* readable: the real one */
	a[0] = (u32)&c->sb;
	err = nooks_driver_callv(r->d, (void *)r->ext->mount, 1, a);
	if (!err && (!fs_live(r) || !c->sb.s_op))
		err = -EINVAL;
	if (!err) {
		r->eops = c->sb.s_op;
		install_ops(r);
		sb->s_op = &r->kops;
		sb->s_fs_info = c->sb.s_fs_info;
		sb->s_root->i_ino = c->root.i_ino;
		sb->s_root->i_mode = c->root.i_mode;
		sb->s_root->i_size = c->root.i_size;
		sb->s_root->i_private = c->root.i_private;
		r->sb = sb;
		mounted = r;
	}
	if (r->d->state == NOOKS_RUNNING || r->d->state == NOOKS_RECOVERING)
		nooks_domain_free(r->d, c);
	return err;
}

/* nooks_wrap_register_filesystem - register a kernel-owned type for d. */
int nooks_wrap_register_filesystem(struct file_system_type *fs)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct fs_rec *r;
	int err;

	if (!d)
		return register_filesystem(fs);
	if (!fs || !fs->name || !fs->mount) {
		nooks_check_failed(d, "register_filesystem of a bad type");
		return -EINVAL;
	}
	r = nooks_meta_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ext = fs;
	r->d = d;
	r->generation = d->generation;
	strlcpy(r->name, fs->name, sizeof(r->name));
	r->kfs.name = r->name;
	r->kfs.mount = nooks_fs_mount;
	err = register_filesystem(&r->kfs);
	if (err) {
		nooks_meta_free(r);
		return err;
	}
	nooks_track(d, fs_type_id, (unsigned long)fs, sizeof(*fs), (unsigned long)r);
	return 0;
}

/* nooks_wrap_unregister_filesystem - only a type the domain registered. */
int nooks_wrap_unregister_filesystem(struct file_system_type *fs)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct fs_rec *r;
	int err;

	if (!d)
		return unregister_filesystem(fs);
	o = nooks_object_find(d, fs_type_id, (unsigned long)fs);
	if (!o) {
		nooks_check_failed(d, "unregister_filesystem of a type it did not register");
		return -EINVAL;
	}
	r = (struct fs_rec *)o->aux;
	err = unregister_filesystem(&r->kfs);
	if (!err) {
		nooks_untrack(d, fs_type_id, (unsigned long)fs);
		if (mounted == r)
			mounted = NULL;
		nooks_meta_free(r);
	}
	return err;
}

/* forget_fs - the last of a released type: once the VFS has aborted its
 * mount, drop the type (a no-op if the reload replaced it) and the record. */
static void forget_fs(void *data)
{
	struct fs_rec *r = data;

	if (mounted == r)
		mounted = NULL;
	unregister_filesystem(&r->kfs);
	nooks_meta_free(r);
}

/* abort_done - vfs_abort_later's callback: the mount of r is gone. */
static void abort_done(void *data)
{
	struct fs_rec *r = data;

	printk("nooks: aborted mount of %s\n", r->name);
	forget_fs(r);
}

/*
 * release_fs - recovery: from now on the old mount's operations answer
 * -EIO (the record's generation is stale).  The failure may have happened
 * inside a VFS call that still holds the mount, so the VFS aborts it at the
 * entry of its next call (vfs_abort_later: the kernel writes the dirty
 * buffers back, without the driver) and then forgets the record; meanwhile
 * the reloaded driver may register the type again.  A type not mounted is
 * forgotten from the task queue (the failed call may be its mount).
 */
static void release_fs(struct nooks_domain *d, struct nooks_object *o)
{
	struct fs_rec *r = (struct fs_rec *)o->aux;

	(void)d;
	r->generation = ~0u;
	/* nooks_fs_sync=0: the ablation that drops the dirty buffers instead */
	if (mounted == r && !vfs_abort_later("nooks recovery", cmdline_get_ulong("nooks_fs_sync", 1) != 0,
					     abort_done, r))
		return;
	INIT_TQUEUE(&r->forget, forget_fs, r);
	schedule_task(&r->forget);
}

static const struct nooks_obj_type fs_obj = { "filesystem", release_fs, NULL, false, 0 };

/* nooks_vfs_wrappers_init - register the object type (boot). */
void nooks_vfs_wrappers_init(void)
{
	fs_type_id = nooks_obj_type_register(&fs_obj);
}
