/*
 * linux/vfs.h - a small virtual file system (kernel/fs/vfs.c): one file
 * system mounted at "/", path lookup, open files, directories.
 *
 * A file system module registers a struct file_system_type; vfs_mount()
 * calls its mount(sb), which checks the volume on sb->s_dev and fills
 * sb->s_op, sb->s_root (the root inode) and sb->s_fs_info.  After that
 * the VFS calls the super_operations on inodes the file system made.
 *
 * Inodes: the file system allocates nothing for them; the VFS allocates a
 * struct vfs_inode and lets lookup/create fill i_ino (unique on the
 * volume while the entry stays where it is), i_mode, i_size and i_private
 * (which put_inode releases).  The VFS keeps every inode that is in use
 * in a list, so two opens of one file share an inode; unlink and rename
 * of an inode in use are refused with -EBUSY.
 *
 * Paths are absolute, '/'-separated; names at most VFS_NAME_MAX bytes.
 * All calls run in process context and return 0/count or -Exxx.
 */
#ifndef _LINUX_VFS_H
#define _LINUX_VFS_H

#include <linux/fs.h>
#include <linux/types.h>

#ifndef ENOTDIR
#define EXDEV 18
#define ENOTDIR 20
#define EISDIR 21
#define EMFILE 24
#define EROFS 30
#define ENAMETOOLONG 36
#define ENOTEMPTY 39
#endif

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 1024

#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(m) (((m) & 0170000) == S_IFDIR)
#define S_ISREG(m) (((m) & 0170000) == S_IFREG)

/* vfs_open flags besides O_RDONLY/O_WRONLY/O_RDWR (linux/fs.h) */
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000

struct super_block;

struct vfs_inode {
	struct super_block *i_sb;
	unsigned long i_ino;
	mode_t i_mode;			/* S_IFDIR or S_IFREG */
	loff_t i_size;
	void *i_private;		/* the file system's */
	unsigned int i_count;		/* VFS: holders */
	struct vfs_inode *i_next;	/* VFS: in-use list */
};

struct vfs_dirent {
	char name[VFS_NAME_MAX + 1];
	mode_t mode;
	loff_t size;
};

struct super_operations {
	/* lookup - fill *inode for name (len bytes) in dir; -ENOENT if absent. */
	int (*lookup)(struct vfs_inode *dir, const char *name, int len,
		      struct vfs_inode *inode);
	/* create - a new empty file name in dir (absent); fill *inode. */
	int (*create)(struct vfs_inode *dir, const char *name, int len,
		      struct vfs_inode *inode);
	int (*mkdir)(struct vfs_inode *dir, const char *name, int len);
	/* unlink/rmdir - remove a file / an empty directory (-ENOTEMPTY). */
	int (*unlink)(struct vfs_inode *dir, const char *name, int len);
	int (*rmdir)(struct vfs_inode *dir, const char *name, int len);
	/* rename - move an entry; an existing file target is replaced. */
	int (*rename)(struct vfs_inode *odir, const char *oname, int olen,
		      struct vfs_inode *ndir, const char *nname, int nlen);
	/* read/write - at pos; the count done (short at end of file) or -Exxx. */
	ssize_t (*read)(struct vfs_inode *inode, char *buf, size_t count, loff_t pos);
	ssize_t (*write)(struct vfs_inode *inode, const char *buf, size_t count,
			 loff_t pos);
	int (*truncate)(struct vfs_inode *inode, loff_t size);
	/* readdir - the entry at or after *pos into *ent, advancing *pos; 1, 0 at end. */
	int (*readdir)(struct vfs_inode *dir, loff_t *pos, struct vfs_dirent *ent);
	/* put_inode - the VFS forgets inode: release i_private. */
	void (*put_inode)(struct vfs_inode *inode);
	/* sync - write every dirty buffer of the volume to the disk. */
	int (*sync)(struct super_block *sb);
	/* put_super - unmount: release s_fs_info and the root's i_private. */
	void (*put_super)(struct super_block *sb);
};

struct super_block {
	kdev_t s_dev;
	const struct super_operations *s_op;
	struct vfs_inode *s_root;	/* allocated by the VFS, filled by mount */
	void *s_fs_info;
	struct file_system_type *s_type;
};

struct file_system_type {
	const char *name;
	/* mount - check the volume on sb->s_dev; fill s_op, *s_root, s_fs_info. */
	int (*mount)(struct super_block *sb);
	struct file_system_type *next;	/* VFS */
};

/*
 * register_filesystem / unregister_filesystem - 0, -EBUSY, -EINVAL.  A
 * second type of the same name replaces the first (a reloaded module)
 * unless the first is mounted.
 */
int register_filesystem(struct file_system_type *fs);
int unregister_filesystem(struct file_system_type *fs);

/* vfs_mount - mount type on dev at "/"; 0, -ENODEV (no such type), -EBUSY. */
int vfs_mount(const char *type, kdev_t dev);
/* vfs_umount - sync and unmount "/"; -EBUSY while files are open. */
int vfs_umount(void);
/* vfs_mounted - is something mounted? */
bool vfs_mounted(void);
/*
 * vfs_abort - forget the mount without calling into its file system (its
 * module crashed and is being released): the volume's dirty buffers are
 * written first (sync_dev: the buffer cache is the kernel's, so this works
 * with the module dead), the VFS inodes are dropped without put_inode,
 * files still open return -EIO (close just frees them).  The type stays
 * registered; a reloaded module registering the same name replaces it, and
 * the volume can be mounted again.  0 or -EINVAL (nothing mounted).
 */
int vfs_abort(const char *why);
/*
 * vfs_abort_nosync - vfs_abort as a naive recovery would do it: the
 * volume's unheld buffers are invalidated, dirty ones dropped without
 * being written (the ablation of nooks_fs_sync=0; the Nooks paper saw
 * VFAT recovery damage the disk until the cache was synced first).
 */
int vfs_abort_nosync(const char *why);
/*
 * vfs_abort_later - vfs_abort(why) (vfs_abort_nosync if !sync) at the entry of the next VFS call, for a
 * caller that may be inside a VFS call still holding the mount (recovery of
 * a file system module that crashed in one); then done(data), if given.
 * Until then the mount's operations are the caller's business (they should
 * fail), and a type of the mounted type's name may be registered (the
 * reloaded module), replacing it.  0, or -EINVAL (nothing mounted, or an
 * abort already pending).
 */
int vfs_abort_later(const char *why, bool sync, void (*done)(void *), void *data);

struct vfs_file {
	struct vfs_inode *inode;
	loff_t pos;
	unsigned int flags;
	unsigned int gen;		/* the mount it was opened on */
};

struct vfs_file *vfs_open(const char *path, unsigned int flags, int *err);
ssize_t vfs_read(struct vfs_file *f, void *buf, size_t count);
ssize_t vfs_write(struct vfs_file *f, const void *buf, size_t count);
/* vfs_lseek - whence 0 SET, 1 CUR, 2 END; the new position or -EINVAL. */
loff_t vfs_lseek(struct vfs_file *f, loff_t off, int whence);
int vfs_ftruncate(struct vfs_file *f, loff_t size);
/* vfs_readdir - next entry of an open directory; 1, 0 at end, -Exxx. */
int vfs_readdir(struct vfs_file *f, struct vfs_dirent *ent);
int vfs_close(struct vfs_file *f);

struct vfs_stat {
	mode_t mode;
	loff_t size;
	unsigned long ino;
};
int vfs_stat(const char *path, struct vfs_stat *st);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int vfs_rename(const char *oldpath, const char *newpath);
int vfs_sync(void);

#endif
