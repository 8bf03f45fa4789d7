/*
 * kernel/workload/fs.c - workload=fs: an untar-and-compile-like load on
 * the VFAT volume (kernel/workload/fsweb.h), in rounds:
 *
 *   1 mount      mount fstype on fsdev, list "/"
 *   2 host       read what tests/mkdisk.sh put there (if present):
 *                /big.bin (byte k = k % 251) and the nested long-name file
 *   3 untar      mkdir /src/<dir i> (long names), create files=N files of
 *                pseudo-random sizes in odd-sized chunks
 *   4 verify     read every file back, compare checksums
 *   5 compile    read every source, write a transformed /obj/<name>.o
 *   6 rename     move objects within and across directories
 *   7 modify     append to, truncate and unlink some sources, verify
 *   8 readdir    count the entries of every directory
 *   9 rmdir      remove emptied directories; a full one must refuse
 *  10 result     /out/RESULT.TXT, /out/pattern.bin (byte k = (7k+3) & 255),
 *                "/out/Long File Name Written By Guest.txt"
 *  11 edge       error codes (bad names, 255/256-char names, EEXIST, ENOTDIR,
 *                EISDIR, EBUSY, ".."), a hole, a case-only rename, a
 *                directory of 200 long-named entries created and removed
 *  12 abort      vfs_abort (what recovery of a crashed vfat.ko does): an
 *                unsynced file survives, open files fail with -EIO, remount
 *  13 sync       then unmount
 *
 * Options: files=N (default 24, at most 32), loops=N (rounds 3-9 N times),
 * seed=S, edge=0 and abort=0 skip rounds 11 and 12 (round 11's 200-entry
 * directory is most of the run's instructions: fault-injection campaigns
 * leave it out, and round 12's explicit abort, which would be counted as a
 * recovery); fsbench=1 runs only rounds 1, 3-9 and 13 (the untar-and-compile
 * part, for `nooks-emu bench workloads`).
 * A volume found unmounted between rounds (a crashed vfat.ko recovered) is
 * mounted again.
 *
 * Output: "workload: fs round <i> ok|FAIL <err>", "workload: fs files=N
 * bytes=B checksum=0x... PASS|FAIL"; "workload: fs build start" and
 * "workload: fs build end" around rounds 3-9 (benchmark markers).
 */
#include <linux/blkdev.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfs.h>
#include "fsweb.h"
#include "workload.h"

#define MAX_FILES 64
#define NDIRS 4
#define MAXSIZE 24000

static const char *const dirs[NDIRS] = {
	"/src/kernel core", "/src/Drivers And Modules", "/src/lib", "/src/a_rather_long_directory_name_for_vfat",
};

struct wfile {
	char path[96];
	u32 size, sum, seed;
	bool live;
};

static struct wfile *files;
static unsigned long nfiles;
static u8 *buf, *buf2;
static unsigned long total_bytes;

/* fnv - FNV-1a over len bytes, continuing from h. */
static u32 fnv(u32 h, const u8 *p, size_t len)
{
	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* fill - the content of a file with seed s: n bytes from offset off. */
static void fill(u8 *p, u32 s, u32 off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		u32 k = off + (u32)i;
		p[i] = (u8)(((s * 2654435761u) ^ (k * 40503u) ^ (k >> 7)) >> 5);
	}
}

/* write_file - create path with len bytes of content seed (odd chunks). */
static int write_file(const char *path, u32 seed, u32 len, u32 *sum)
{
	struct vfs_file *f;
	u32 off = 0, chunk = 1 + seed % 700;
	int err;

	f = vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, &err);
	if (!f)
		return err;
	*sum = 2166136261u;
	while (off < len) {
		u32 n = len - off < chunk ? len - off : chunk;
		ssize_t w;
		fill(buf, seed, off, n);
		*sum = fnv(*sum, buf, n);
		w = vfs_write(f, buf, n);
		if (w != (ssize_t)n) {
			vfs_close(f);
			return w < 0 ? (int)w : -EIO;
		}
		off += n;
		chunk = chunk * 3 % 4093 + 1;
	}
	total_bytes += len;
	return vfs_close(f);
}

/* read_sum - checksum and size of a file's content. */
static int read_sum(const char *path, u32 *sum, u32 *size)
{
	struct vfs_file *f;
	ssize_t n;
	int err;

	f = vfs_open(path, O_RDONLY, &err);
	if (!f)
		return err;
	*sum = 2166136261u;
	*size = 0;
	while ((n = vfs_read(f, buf, 1537)) > 0) {
		*sum = fnv(*sum, buf, (size_t)n);
		*size += (u32)n;
	}
	vfs_close(f);
	return n < 0 ? (int)n : 0;
}

/* verify_all - every live file has its size and checksum. */
static int verify_all(void)
{
	unsigned long i;
	u32 sum, size;
	int err;

	for (i = 0; i < nfiles; i++) {
		if (!files[i].live)
			continue;
		err = read_sum(files[i].path, &sum, &size);
		if (err || sum != files[i].sum || size != files[i].size) {
			printk("workload: fs verify %s err=%d size=%u/%u sum=%08x/%08x\n",
			       files[i].path, err, size, files[i].size, sum, files[i].sum);
			return err ? err : -EIO;
		}
	}
	return 0;
}

/* list_dir - print (when verbose) and count the entries of path. */
static int list_dir(const char *path, bool verbose)
{
	struct vfs_dirent *ent = kmalloc(sizeof(*ent), GFP_KERNEL);
	struct vfs_file *f;
	int err, n = 0, r;

	if (!ent)
		return -ENOMEM;
	f = vfs_open(path, O_RDONLY | O_DIRECTORY, &err);
	if (!f) {
		kfree(ent);
		return err;
	}
	while ((r = vfs_readdir(f, ent)) == 1) {
		n++;
		if (verbose)
			printk("workload: fs ls %s%s%s %s %lu\n", path, path[1] ? "/" : "",
			       ent->name, S_ISDIR(ent->mode) ? "dir" : "file",
			       (unsigned long)ent->size);
	}
	vfs_close(f);
	kfree(ent);
	return r < 0 ? r : n;
}

/* host_files - check what mkdisk.sh stored (absent files are skipped). */
static int host_files(void)
{
	static const char nested[] =
		"/docs/A Long Directory Name/Nested File With A Long Name.txt";
	static const char hello[] = "hello from the host\n";
	struct vfs_stat st;
	struct vfs_file *f;
	u32 off = 0, i;
	ssize_t n;
	int err;

	if (vfs_stat("/big.bin", &st) == 0) {
		f = vfs_open("/big.bin", O_RDONLY, &err);
		if (!f)
			return err;
		while ((n = vfs_read(f, buf, 4096)) > 0) {
			for (i = 0; i < (u32)n; i++)
				if (buf[i] != (u8)((off + i) % 251)) {
					vfs_close(f);
					printk("workload: fs /big.bin differs at %u\n", off + i);
					return -EIO;
				}
			off += (u32)n;
		}
		vfs_close(f);
		if (n < 0 || off != st.size)
			return n < 0 ? (int)n : -EIO;
		printk("workload: fs read /big.bin size=%u ok\n", off);
	}
	if (vfs_stat(nested, &st) == 0) {
		f = vfs_open(nested, O_RDONLY, &err);
		if (!f)
			return err;
		n = vfs_read(f, buf, 256);
		vfs_close(f);
		if (n != (ssize_t)strlen(hello) || memcmp(buf, hello, (size_t)n))
			return -EIO;
		printk("workload: fs read %s ok\n", nested);
	}
	return 0;
}

/* untar - the source tree. */
static int untar(void)
{
	unsigned long i;
	int err;

	if ((err = vfs_mkdir("/src")) && err != -EEXIST)
		return err;
	for (i = 0; i < NDIRS; i++)
		if ((err = vfs_mkdir(dirs[i])) && err != -EEXIST)
			return err;
	for (i = 0; i < nfiles; i++) {
		struct wfile *w = &files[i];
		w->seed = (u32)(cmdline_get_ulong("seed", 1) * 1000 + i);
		w->size = (w->seed * 7919u) % MAXSIZE;
		if (i % 9 == 0)
			w->size = 0;
		snprintf(w->path, sizeof(w->path), "%s/%s_%lu.%s", dirs[i % NDIRS],
			 i % 2 ? "source_file" : "SRC", i, i % 3 ? "c" : "h");
		err = write_file(w->path, w->seed, w->size, &w->sum);
		if (err) {
			printk("workload: fs create %s: %d\n", w->path, err);
			return err;
		}
		w->live = true;
	}
	return 0;
}

/* compile - each source becomes /obj/<n>.o, its bytes complemented. */
static int compile(void)
{
	unsigned long i, n = nfiles;
	struct vfs_file *in, *out;
	ssize_t r;
	int err;

	if ((err = vfs_mkdir("/obj")) && err != -EEXIST)
		return err;
	for (i = 0; i < n && nfiles < MAX_FILES; i++) {
		struct wfile *o = &files[nfiles];
		u32 k;
		in = vfs_open(files[i].path, O_RDONLY, &err);
		if (!in)
			return err;
		snprintf(o->path, sizeof(o->path), "/obj/object_%lu.o", i);
		out = vfs_open(o->path, O_RDWR | O_CREAT | O_TRUNC, &err);
		if (!out) {
			vfs_close(in);
			return err;
		}
		o->sum = 2166136261u;
		o->size = 0;
		while ((r = vfs_read(in, buf, 999)) > 0) {
			for (k = 0; k < (u32)r; k++)
				buf[k] = (u8)~buf[k];
			o->sum = fnv(o->sum, buf, (size_t)r);
			o->size += (u32)r;
			if (vfs_write(out, buf, (size_t)r) != r) {
				r = -EIO;
				break;
			}
		}
		vfs_close(in);
		vfs_close(out);
		if (r < 0)
			return (int)r;
		o->live = true;
		nfiles++;
	}
	return 0;
}

/* rename_all - objects: half move to /bin (across), the rest get a new name. */
static int rename_all(void)
{
	unsigned long i;
	char np[96];
	u32 isum = 0, sum, size;
	int err;

	if ((err = vfs_mkdir("/bin")) && err != -EEXIST)
		return err;
	for (i = 0; i < nfiles; i++) {
		if (strncmp(files[i].path, "/obj/", 5) || !files[i].live)
			continue;
		if (i % 2)
			snprintf(np, sizeof(np), "/bin/Linked Object Number %lu.elf", i);
		else
			snprintf(np, sizeof(np), "/obj/RENAMED%lu.O", i);
		err = vfs_rename(files[i].path, np);
		if (err) {
			printk("workload: fs rename %s %s: %d\n", files[i].path, np, err);
			return err;
		}
		strlcpy(files[i].path, np, sizeof(files[i].path));
	}
	/* a directory moves across directories and keeps its files */
	err = vfs_mkdir("/src/moved dir");
	if (!err)
		err = write_file("/src/moved dir/inside.txt", 77, 1000, &isum);
	if (!err)
		err = vfs_rename("/src/moved dir", "/bin/moved directory");
	if (!err) {
		err = read_sum("/bin/moved directory/inside.txt", &sum, &size);
		if (!err && (size != 1000 || sum != isum))
			err = -EIO;
	}
	return err;
}

/* modify - append, truncate, unlink. */
static int modify(void)
{
	unsigned long i;
	struct vfs_file *f;
	int err;

	for (i = 0; i < nfiles; i++) {
		struct wfile *w = &files[i];
		if (!w->live || strncmp(w->path, "/src/", 5))
			continue;
		if (i % 5 == 1) {			/* append */
			u32 n = 3000 + (u32)i;
			f = vfs_open(w->path, O_WRONLY | O_APPEND, &err);
			if (!f)
				return err;
			fill(buf2, w->seed + 1, 0, n);
			if (vfs_write(f, buf2, n) != (ssize_t)n) {
				vfs_close(f);
				return -EIO;
			}
			vfs_close(f);
			err = read_sum(w->path, &w->sum, &w->size);
			if (err)
				return err;
		} else if (i % 5 == 2) {		/* truncate to a third */
			u32 sum, size;
			f = vfs_open(w->path, O_RDWR, &err);
			if (!f)
				return err;
			err = vfs_ftruncate(f, w->size / 3);
			vfs_close(f);
			if (err)
				return err;
			w->size /= 3;
			fill(buf2, w->seed, 0, w->size);
			w->sum = fnv(2166136261u, buf2, w->size);
			err = read_sum(w->path, &sum, &size);
			if (err || sum != w->sum || size != w->size)
				return err ? err : -EIO;
		} else if (i % 5 == 3) {		/* unlink */
			err = vfs_unlink(w->path);
			if (err)
				return err;
			w->live = false;
			if (vfs_stat(w->path, &(struct vfs_stat){ 0 }) != -ENOENT)
				return -EIO;
		}
	}
	return verify_all();
}

/* count_entries - readdir must show every live file once. */
static int count_entries(void)
{
	static const char *const all[] = { "/src/kernel core", "/src/Drivers And Modules",
		"/src/lib", "/src/a_rather_long_directory_name_for_vfat", "/obj", "/bin" };
	unsigned long i, j, want;
	int n;

	for (j = 0; j < ARRAY_SIZE(all); j++) {
		size_t l = strlen(all[j]);
		want = 0;
		for (i = 0; i < nfiles; i++)
			if (files[i].live && !strncmp(files[i].path, all[j], l) &&
			    files[i].path[l] == '/' && !strchr(files[i].path + l + 1, '/'))
				want++;
		if (j == 5)
			want++;	/* "moved directory" */
		n = list_dir(all[j], false);
		if (n < 0)
			return n;
		if ((unsigned long)n != want) {
			printk("workload: fs readdir %s: %d entries, want %lu\n", all[j], n, want);
			return -EIO;
		}
	}
	return 0;
}

/* remove_dirs - empty /src/lib, remove it; a full directory must refuse. */
static int remove_dirs(void)
{
	unsigned long i;
	int err;

	if (vfs_rmdir("/src/kernel core") != -ENOTEMPTY)
		return -EIO;
	for (i = 0; i < nfiles; i++)
		if (files[i].live && !strncmp(files[i].path, "/src/lib/", 9)) {
			err = vfs_unlink(files[i].path);
			if (err)
				return err;
			files[i].live = false;
		}
	err = vfs_rmdir("/src/lib");
	if (err)
		return err;
	if (vfs_stat("/src/lib", &(struct vfs_stat){ 0 }) != -ENOENT)
		return -EIO;
	err = vfs_unlink("/bin/moved directory/inside.txt");
	if (!err)
		err = vfs_rmdir("/bin/moved directory");
	return err ? err : verify_all();
}

/* expect_err - a call must return want; else report it. */
static int expect_err(const char *what, int got, int want)
{
	if (got == want)
		return 0;
	printk("workload: fs edge %s: got %d, want %d\n", what, got, want);
	return -EIO;
}

/* open_err - the error of vfs_open (0 if it opened; the file is closed). */
static int open_err(const char *path, unsigned int flags)
{
	int err;
	struct vfs_file *f = vfs_open(path, flags, &err);

	if (f)
		vfs_close(f);
	return f ? 0 : err;
}

/* edge - error codes, long names, holes, a directory of many entries. */
static int edge(void)
{
	char name[300], p2[300];
	struct vfs_file *f;
	struct vfs_stat st;
	int err = 0, i, n;

	/* a 255-character name */
	strcpy(name, "/");
	for (i = 1; i <= 255; i++)
		name[i] = (char)('a' + i % 26);
	name[256] = 0;
	err |= expect_err("create 255", open_err(name, O_WRONLY | O_CREAT), 0);
	err |= expect_err("stat 255", vfs_stat(name, &st), 0);
	err |= expect_err("unlink 255", vfs_unlink(name), 0);
	name[256] = 'x';
	name[257] = 0;
	err |= expect_err("create 256", open_err(name, O_WRONLY | O_CREAT), -ENAMETOOLONG);
	err |= expect_err("bad char", open_err("/bad?name", O_WRONLY | O_CREAT), -EINVAL);
	err |= expect_err("trailing dot", open_err("/dot.", O_WRONLY | O_CREAT), -EINVAL);
	err |= expect_err("missing", open_err("/no/such/file", O_RDONLY), -ENOENT);
	err |= expect_err("dotdot", open_err("/src/../out", O_RDONLY), -EINVAL);
	err |= expect_err("slashes", open_err("//out/./RESULT.TXT", O_RDONLY), 0);
	err |= expect_err("case", open_err("/OUT/result.txt", O_RDONLY), 0);
	err |= expect_err("excl", open_err("/out/RESULT.TXT", O_WRONLY | O_CREAT | O_EXCL), -EEXIST);
	err |= expect_err("mkdir exists", vfs_mkdir("/out"), -EEXIST);
	err |= expect_err("rmdir file", vfs_rmdir("/out/RESULT.TXT"), -ENOTDIR);
	err |= expect_err("unlink dir", vfs_unlink("/out"), -EISDIR);
	err |= expect_err("file as dir", open_err("/out/RESULT.TXT/x", O_RDONLY), -ENOTDIR);
	err |= expect_err("write dir", open_err("/out", O_WRONLY), -EISDIR);
	f = vfs_open("/out/RESULT.TXT", O_RDONLY, &n);
	err |= expect_err("unlink open", vfs_unlink("/out/RESULT.TXT"), -EBUSY);
	if (f)
		vfs_close(f);
	/* a hole: seek past the end and write; the gap reads as zeros */
	f = vfs_open("/hole.bin", O_RDWR | O_CREAT | O_TRUNC, &n);
	if (!f)
		return n;
	vfs_lseek(f, 5000, 0);
	err |= expect_err("hole write", (int)vfs_write(f, "end", 3), 3);
	vfs_lseek(f, 0, 0);
	n = (int)vfs_read(f, buf, 6000);
	err |= expect_err("hole size", n, 5003);
	for (i = 0; i < 5000 && n == 5003; i++)
		if (buf[i]) {
			err |= expect_err("hole zeros", i, -1);
			break;
		}
	vfs_close(f);
	err |= expect_err("rename case", vfs_rename("/hole.bin", "/HOLE.bin"), 0);
	err |= expect_err("unlink renamed", vfs_unlink("/hole.bin"), 0);
	/* a directory that grows over many clusters, then empties */
	err |= expect_err("mkdir many", vfs_mkdir("/many"), 0);
	for (i = 0; i < 200 && !err; i++) {
		snprintf(p2, sizeof(p2), "/many/entry number %d with a long name.txt", i);
		err |= expect_err("create many", open_err(p2, O_WRONLY | O_CREAT), 0);
	}
	err |= expect_err("readdir many", list_dir("/many", false), 200);
	for (i = 0; i < 200 && !err; i++) {
		snprintf(p2, sizeof(p2), "/many/entry number %d with a long name.txt", i);
		err |= expect_err("unlink many", vfs_unlink(p2), 0);
	}
	err |= expect_err("rmdir many", vfs_rmdir("/many"), 0);
	return err ? -EIO : 0;
}

/*
 * abort_remount - what recovery of a crashed file system module does to
 * the VFS: a file written but not synced, the mount aborted (dirty buffers
 * written by the kernel), an open file then fails with -EIO, the volume
 * mounts again and the file is there (the host checks /out/abort.txt too).
 */
static int abort_remount(void)
{
	static const char text[] = "written before the abort\n";
	struct vfs_file *f, *g;
	int err, n;

	f = vfs_open("/out/abort.txt", O_WRONLY | O_CREAT | O_TRUNC, &err);
	if (!f)
		return err;
	n = (int)vfs_write(f, text, sizeof(text) - 1);
	vfs_close(f);
	if (n != (int)sizeof(text) - 1)
		return -EIO;
	g = vfs_open("/out/RESULT.TXT", O_RDONLY, &err);
	if (!g)
		return err;
	err = vfs_abort("workload test");
	err |= expect_err("read after abort", (int)vfs_read(g, buf, 16), -EIO);
	vfs_close(g);
	if (err)
		return -EIO;
	err = fs_mount_default();
	if (err)
		return err;
	f = vfs_open("/out/abort.txt", O_RDONLY, &err);
	if (!f)
		return err;
	n = (int)vfs_read(f, buf, 100);
	vfs_close(f);
	return n == (int)sizeof(text) - 1 && !memcmp(buf, text, (size_t)n) ? 0 : -EIO;
}

/* result - files for the host to check. */
static int result(u32 checksum)
{
	static const char lfn[] = "/out/Long File Name Written By Guest.txt";
	static const char text[] = "nooks-emu wrote this through vfat.ko and ide.ko\n";
	struct vfs_file *f;
	char line[128];
	u32 k, i;
	int err, n;

	if ((err = vfs_mkdir("/out")) && err != -EEXIST)
		return err;
	n = snprintf(line, sizeof(line), "fs workload files=%lu bytes=%lu checksum=0x%08x\n",
		     nfiles, total_bytes, checksum);
	f = vfs_open("/out/RESULT.TXT", O_WRONLY | O_CREAT | O_TRUNC, &err);
	if (!f)
		return err;
	if (vfs_write(f, line, (size_t)n) != n)
		err = -EIO;
	vfs_close(f);
	f = vfs_open(lfn, O_WRONLY | O_CREAT | O_TRUNC, &err);
	if (!f)
		return err;
	if (vfs_write(f, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		err = -EIO;
	vfs_close(f);
	f = vfs_open("/out/pattern.bin", O_WRONLY | O_CREAT | O_TRUNC, &err);
	if (!f)
		return err;
	for (k = 0; k < 100000 && !err; k += 4096) {
		u32 n2 = 100000 - k < 4096 ? 100000 - k : 4096;
		for (i = 0; i < n2; i++)
			buf[i] = (u8)(((k + i) * 7 + 3) & 255);
		if (vfs_write(f, buf, n2) != (ssize_t)n2)
			err = -EIO;
	}
	vfs_close(f);
	return err;
}

/* fs_mount_default - see fsweb.h. */
int fs_mount_default(void)
{
	char type[16];
	kdev_t dev = (kdev_t)cmdline_get_ulong("fsdev", MKDEV(IDE0_MAJOR, 0));
	int err;

	if (!cmdline_get("fstype", type, sizeof(type)))
		strlcpy(type, "vfat", sizeof(type));
	err = vfs_mount(type, dev);
	printk("workload: fs mount %s on %04x: %d\n", type, dev, err);
	return err;
}

/* fs_umount_default - see fsweb.h. */
void fs_umount_default(void)
{
	int err;

	if (!vfs_mounted())
		return;
	err = vfs_umount();
	printk("workload: fs umount: %d\n", err);
	blk_print_stats();
}

/*
 * remount - between rounds: a mount that is gone (recovery of a crashed
 * file system module aborted it) is mounted again, with the reloaded
 * module, as an administrator would; the next rounds run on it.
 */
static void remount(void)
{
	if (vfs_mounted())
		return;
	printk("workload: fs volume not mounted, mounting again\n");
	fs_mount_default();
}

/* workload_fs - see fsweb.h. */
bool workload_fs(void)
{
	unsigned long i, loop, loops = cmdline_get_ulong("loops", 1), base;
	bool bench = cmdline_get_ulong("fsbench", 0) != 0;
	u32 checksum = 0;
	int err;
	bool pass = true;

	nfiles = cmdline_get_ulong("files", 24);
	if (nfiles > MAX_FILES / 2)
		nfiles = MAX_FILES / 2;
	base = nfiles;
	files = kzalloc(MAX_FILES * sizeof(*files), GFP_KERNEL);
	buf = kmalloc(8192, GFP_KERNEL);
	buf2 = kmalloc(8192 + MAXSIZE, GFP_KERNEL);
	if (!files || !buf || !buf2) {
		kfree(files);
		kfree(buf);
		kfree(buf2);
		return false;
	}
	err = fs_mount_default();
	round_result("fs", 1, err);
	if (err) {
		pass = false;
		goto out;
	}
	list_dir("/", true);
	/* every round runs even after a failure: a damaged volume exercises the error paths */
#define ROUND(n, call) do { remount(); err = (call); round_result("fs", n, err); pass &= !err; } while (0)
	if (!bench)
		ROUND(2, host_files());
	printk("workload: fs build start\n");
	for (loop = 0; loop < loops; loop++) {	/* loops=N: the build N times */
		nfiles = base;
		memset(files, 0, MAX_FILES * sizeof(*files));
		ROUND(3, untar());
		ROUND(4, verify_all());
		ROUND(5, compile());
		ROUND(6, rename_all());
		ROUND(7, modify());
		ROUND(8, count_entries());
		ROUND(9, remove_dirs());
	}
	printk("workload: fs build end\n");
	for (i = 0; i < nfiles; i++)
		if (files[i].live)
			checksum = fnv(checksum ^ files[i].sum, (const u8 *)&files[i].size, 4);
	if (!bench) {
		ROUND(10, result(checksum));
		if (cmdline_get_ulong("edge", 1))
			ROUND(11, edge());
		if (cmdline_get_ulong("abort", 1))
			ROUND(12, abort_remount());
	}
	ROUND(13, vfs_sync());
	fs_umount_default();
	printk("workload: fs files=%lu bytes=%lu checksum=0x%08x %s\n", nfiles, total_bytes,
	       checksum, pass ? "PASS" : "FAIL");
out:
	kfree(files);
	kfree(buf);
	kfree(buf2);
	return pass;
}
