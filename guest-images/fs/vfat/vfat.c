/*
 * fs/vfat/vfat.c - the VFAT file system module: FAT12, FAT16 and FAT32
 * volumes with long file names, over the buffer cache
 * (linux/blkdev.h), behind the VFS (linux/vfs.h).  Layouts: vfat.h.
 *
 * Robustness: the BPB is checked before use, every cluster number read
 * from the disk is bounds-checked, every chain walk is bounded by the
 * cluster count (a loop ends in -EIO), directory walks are bounded by the
 * FAT limit of 65536 entries.  A corrupt volume yields -EIO, never a crash.
 *
 * Inode numbers: 1 for the root, else 2 + the position of the short entry
 * (sector * 16 + slot in sector).  i_private is a struct fat_inode.
 *
 * Module args: debug=1.
 */
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfs.h>
#include "vfat.h"

static int debug;
MODULE_PARM(debug, "i");

struct fat_sb {
	kdev_t dev;
	unsigned int bits;		/* 12, 16 or 32 */
	u32 spc;			/* sectors per cluster */
	u32 fat_start, fat_size, nfats;
	u32 root_start, root_sectors;	/* FAT16 root region */
	u32 root_cluster;		/* FAT32 */
	u32 data_start, nclusters;	/* clusters 2 .. nclusters+1 */
	u32 free_hint;
};

struct fat_inode {
	u32 start;			/* first cluster, 0 if none */
	u32 de_sector, de_off;		/* the short entry (0,0 for the root) */
	bool root;
	u32 cache_idx, cache_clus;	/* last mapped cluster index -> cluster */
};

/* What dir_next found. */
struct fat_found {
	u32 first_slot, slot;		/* first LFN slot .. short entry slot */
	u32 sector, off;		/* where the short entry is */
	u8 de[FAT_DE_SIZE];		/* a copy of the short entry */
	char name[VFS_NAME_MAX + 1];
};

#define SBI(sb) ((struct fat_sb *)(sb)->s_fs_info)
#define FI(inode) ((struct fat_inode *)(inode)->i_private)
#define FAT_DATE ((u16)(((2026 - 1980) << 9) | (1 << 5) | 1))

/* get16/get32/put16/put32 - little-endian fields. */
static u32 get16(const u8 *p) { return p[0] | (u32)p[1] << 8; }
static u32 get32(const u8 *p) { return get16(p) | get16(p + 2) << 16; }
static void put16(u8 *p, u32 v) { p[0] = (u8)v; p[1] = (u8)(v >> 8); }
static void put32(u8 *p, u32 v) { put16(p, v); put16(p + 2, v >> 16); }

/* valid_cluster - is c a data cluster of the volume? */
static bool valid_cluster(struct fat_sb *s, u32 c)
{
	return c >= 2 && c < s->nclusters + 2;
}

/* clus_sector - the first sector of cluster c (valid). */
static u32 clus_sector(struct fat_sb *s, u32 c)
{
	return s->data_start + (c - 2) * s->spc;
}

/* eoc - the end-of-chain value of the volume. */
static u32 eoc(struct fat_sb *s)
{
	return s->bits == 12 ? 0xfffu : s->bits == 16 ? 0xffffu : FAT32_MASK;
}

/* fat12_byte - byte off of the first FAT (copy 0..nfats-1) through the cache; -EIO. */
static int fat12_byte(struct fat_sb *s, u32 copy, u32 off, int set)
{
	struct buffer_head *bh = bread(s->dev, s->fat_start + copy * s->fat_size + off / BLOCK_SIZE);
	int v;

	if (!bh)
		return -EIO;
	if (set >= 0) {
		bh->b_data[off % BLOCK_SIZE] = (u8)set;
		mark_buffer_dirty(bh);
	}
	v = bh->b_data[off % BLOCK_SIZE];
	brelse(bh);
	return v;
}

/* fat_get - the FAT entry of c into *v; -EIO for a bad c or a read error. */
static int fat_get(struct fat_sb *s, u32 c, u32 *v)
{
	u32 off, sec;
	struct buffer_head *bh;

	if (!valid_cluster(s, c))
		return -EIO;
	if (s->bits == 12) {	/* 1.5 bytes per entry, may straddle two sectors */
		int lo, hi;
		off = c + c / 2;
		if ((lo = fat12_byte(s, 0, off, -1)) < 0 || (hi = fat12_byte(s, 0, off + 1, -1)) < 0)
			return -EIO;
		*v = (c & 1) ? (u32)(lo | hi << 8) >> 4 : (u32)(lo | hi << 8) & 0xfff;
		return 0;
	}
	off = c * (s->bits / 8);
	sec = s->fat_start + off / BLOCK_SIZE;
	off %= BLOCK_SIZE;
	bh = bread(s->dev, sec);
	if (!bh)
		return -EIO;
	*v = s->bits == 16 ? get16(bh->b_data + off) : get32(bh->b_data + off) & FAT32_MASK;
	brelse(bh);
	return 0;
}

/* fat_set - write v into the entry of c in every FAT copy. */
static int fat_set(struct fat_sb *s, u32 c, u32 v)
{
	u32 off, sec, i;
	struct buffer_head *bh;

	if (!valid_cluster(s, c))
		return -EIO;
	if (s->bits == 12) {
		off = c + c / 2;
		for (i = 0; i < s->nfats; i++) {
			int lo = fat12_byte(s, i, off, -1), hi = fat12_byte(s, i, off + 1, -1);
			u32 w;
			if (lo < 0 || hi < 0)
				return -EIO;
			w = (u32)(lo | hi << 8);
			w = (c & 1) ? (w & 0x000f) | (v & 0xfff) << 4 : (w & 0xf000) | (v & 0xfff);
			if (fat12_byte(s, i, off, (int)(w & 0xff)) < 0 ||
			    fat12_byte(s, i, off + 1, (int)(w >> 8)) < 0)
				return -EIO;
		}
		return 0;
	}
	off = c * (s->bits / 8);
	sec = s->fat_start + off / BLOCK_SIZE;
	off %= BLOCK_SIZE;
	for (i = 0; i < s->nfats; i++) {
		bh = bread(s->dev, sec + i * s->fat_size);
		if (!bh)
			return -EIO;
		if (s->bits == 16)
			put16(bh->b_data + off, v);
		else
			put32(bh->b_data + off, (get32(bh->b_data + off) & ~FAT32_MASK) |
						(v & FAT32_MASK));
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/*
 * fat_next - the cluster after c into *next (0 at the end of the chain);
 * -EIO if the entry is free, bad, reserved or out of range.
 */
static int fat_next(struct fat_sb *s, u32 c, u32 *next)
{
	u32 v;
	int err = fat_get(s, c, &v);

	if (err)
		return err;
	if (v >= (s->bits == 12 ? 0xff8u : s->bits == 16 ? FAT16_EOC : FAT32_EOC)) {
		*next = 0;
		return 0;
	}
	if (!valid_cluster(s, v))
		return -EIO;
	*next = v;
	return 0;
}

/* zero_cluster - fill cluster c with zeros (through the cache). */
static int zero_cluster(struct fat_sb *s, u32 c)
{
	u32 i;
	struct buffer_head *bh;

	for (i = 0; i < s->spc; i++) {
		bh = getblk(s->dev, clus_sector(s, c) + i);
		if (!bh)
			return -EIO;
		memset(bh->b_data, 0, BLOCK_SIZE);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/* fat_alloc - a free cluster, marked end of chain and linked after prev (0: none). */
static int fat_alloc(struct fat_sb *s, u32 prev, u32 *res)
{
	u32 i, c, v;
	int err;

	for (i = 0; i < s->nclusters; i++) {
		c = 2 + (s->free_hint - 2 + i) % s->nclusters;
		err = fat_get(s, c, &v);
		if (err)
			return err;
		if (v)
			continue;
		err = fat_set(s, c, eoc(s));
		if (!err && prev)
			err = fat_set(s, prev, c);
		if (err)
			return err;
		s->free_hint = c + 1 < s->nclusters + 2 ? c + 1 : 2;
		*res = c;
		return 0;
	}
	return -ENOSPC;
}

/* fat_free_chain - free every cluster from c on (bounded: loops end in -EIO). */
static int fat_free_chain(struct fat_sb *s, u32 c)
{
	u32 n, steps = 0;
	int err;

	while (c) {
		if (++steps > s->nclusters)
			return -EIO;
		err = fat_next(s, c, &n);
		if (err)
			return err;
		err = fat_set(s, c, 0);
		if (err)
			return err;
		c = n;
	}
	return 0;
}

/* write_de_start_size - store start cluster and size in inode's short entry. */
static int write_de(struct fat_sb *s, struct fat_inode *fi, loff_t size)
{
	struct buffer_head *bh;
	u8 *de;

	if (fi->root)
		return 0;
	bh = bread(s->dev, fi->de_sector);
	if (!bh)
		return -EIO;
	de = bh->b_data + fi->de_off;
	put16(de + 20, fi->start >> 16);
	put16(de + 26, fi->start & 0xffff);
	if (!(de[11] & FAT_ATTR_DIR))
		put32(de + 28, (u32)size);
	put16(de + 24, FAT_DATE);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

/*
 * bmap - the cluster with index idx in fi's chain into *clus.  With alloc,
 * missing clusters are allocated (zeroed when zero is set) and linked;
 * without, a chain that ends first gives -ENOENT.  -EIO on corruption.
 */
static int bmap(struct fat_sb *s, struct fat_inode *fi, u32 idx, bool alloc, bool zero,
		u32 *clus)
{
	u32 c, i, n;
	int err;

	if (!fi->start) {
		if (!alloc)
			return -ENOENT;
		err = fat_alloc(s, 0, &c);
		if (err)
			return err;
		if (zero && (err = zero_cluster(s, c)))
			return err;
		fi->start = c;
		fi->cache_idx = 0;
		fi->cache_clus = c;
	}
	if (fi->cache_clus && fi->cache_idx <= idx) {
		i = fi->cache_idx;
		c = fi->cache_clus;
	} else {
		i = 0;
		c = fi->start;
	}
	if (!valid_cluster(s, c))
		return -EIO;
	while (i < idx) {
		if (i > s->nclusters)
			return -EIO;	/* a loop */
		err = fat_next(s, c, &n);
		if (err)
			return err;
		if (!n) {
			if (!alloc)
				return -ENOENT;
			err = fat_alloc(s, c, &n);
			if (err)
				return err;
			if (zero && (err = zero_cluster(s, n)))
				return err;
		}
		c = n;
		i++;
	}
	fi->cache_idx = i;
	fi->cache_clus = c;
	*clus = c;
	return 0;
}

/* dir_sector - the disk sector of directory sector sidx (see bmap for alloc). */
static int dir_sector(struct fat_sb *s, struct fat_inode *fi, u32 sidx, bool alloc,
		      u32 *sector)
{
	u32 c;
	int err;

	if (sidx >= FAT_MAX_DIR_SECTORS)
		return -ENOSPC;
	if (fi->root && s->bits != 32) {
		if (sidx >= s->root_sectors)
			return alloc ? -ENOSPC : -ENOENT;
		*sector = s->root_start + sidx;
		return 0;
	}
	err = bmap(s, fi, sidx / s->spc, alloc, true, &c);
	if (err)
		return err;
	*sector = clus_sector(s, c) + sidx % s->spc;
	return 0;
}

/* lfn_checksum - the checksum of an 11-byte short name. */
static u8 lfn_checksum(const u8 *name)
{
	u8 sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (u8)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/* lfn_offsets - byte offsets of the 13 characters in an LFN entry. */
static const u8 lfn_offsets[FAT_LFN_CHARS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

/* short_to_name - "NAME.EXT" from a short entry, honouring the NT case bits. */
static void short_to_name(const u8 *de, char *out)
{
	int i, n = 0, end;

	for (end = 8; end > 0 && de[end - 1] == ' '; end--)
		;
	for (i = 0; i < end; i++) {
		char ch = (char)(i == 0 && de[0] == 0x05 ? 0xe5 : de[i]);
		if ((de[12] & 0x08) && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		out[n++] = ch;
	}
	for (end = 11; end > 8 && de[end - 1] == ' '; end--)
		;
	if (end > 8) {
		out[n++] = '.';
		for (i = 8; i < end; i++) {
			char ch = (char)de[i];
			if ((de[12] & 0x10) && ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + 32);
			out[n++] = ch;
		}
	}
	out[n] = 0;
}

/*
 * dir_next - the next live entry at or after slot *slot of dir (skipping
 * volume labels), assembled with its long name; *slot moves past it.
 * 1 found, 0 end of directory, -EIO.
 */
static int dir_next(struct fat_sb *s, struct fat_inode *dir, u32 *slot, struct fat_found *f)
{
	struct buffer_head *bh;
	u32 sector, cur_sidx = 0xffffffffu;
	int err, lfn_n = 0, lfn_expect = 0;
	u8 lfn_sum = 0;
	u32 lfn_first = 0;
	bool lfn_ok = false;
	char lname[VFS_NAME_MAX + 1];

	bh = NULL;
	for (;; (*slot)++) {
		u32 sidx = *slot / FAT_DE_PER_SECTOR;
		u8 *de;

		if (sidx != cur_sidx) {
			brelse(bh);
			bh = NULL;
			err = dir_sector(s, dir, sidx, false, &sector);
			if (err == -ENOENT || err == -ENOSPC)
				return 0;
			if (err)
				return err;
			bh = bread(s->dev, sector);
			if (!bh)
				return -EIO;
			cur_sidx = sidx;
		}
		de = bh->b_data + (*slot % FAT_DE_PER_SECTOR) * FAT_DE_SIZE;
		if (de[0] == 0) {
			brelse(bh);
			return 0;
		}
		if (de[0] == 0xe5) {
			lfn_expect = 0;
			continue;
		}
		if ((de[11] & 0x3f) == FAT_ATTR_LFN) {
			int ord = de[0] & 0x1f, k;
			if (de[0] & 0x40) {
				if (ord < 1 || ord > 20) {
					lfn_expect = 0;
					continue;
				}
				lfn_n = ord;
				lfn_sum = de[13];
				lfn_first = *slot;
				memset(lname, 0, sizeof(lname));
				lfn_expect = ord;
			} else if (ord != lfn_expect || de[13] != lfn_sum) {
				lfn_expect = 0;
				continue;
			}
			for (k = 0; k < FAT_LFN_CHARS; k++) {
				u32 ch = get16(de + lfn_offsets[k]);
				int pos = (ord - 1) * FAT_LFN_CHARS + k;
				if (ch == 0 || ch == 0xffff || pos >= VFS_NAME_MAX)
					break;
				lname[pos] = ch < 0x80 ? (char)ch : '?';
			}
			lfn_expect = ord - 1;
			lfn_ok = lfn_expect == 0;
			(void)lfn_n;
			continue;
		}
		if (de[11] & FAT_ATTR_VOLUME) {
			lfn_expect = 0;
			lfn_ok = false;
			continue;
		}
		/* a short entry */
		memcpy(f->de, de, FAT_DE_SIZE);
		f->slot = *slot;
		f->sector = sector;
		f->off = (*slot % FAT_DE_PER_SECTOR) * FAT_DE_SIZE;
		if (lfn_ok && lfn_expect == 0 && lname[0] && lfn_checksum(de) == lfn_sum) {
			memcpy(f->name, lname, sizeof(lname));
			f->first_slot = lfn_first;
		} else {
			short_to_name(de, f->name);
			f->first_slot = *slot;
		}
		brelse(bh);
		(*slot)++;
		return 1;
	}
}

/* name_eq - case-insensitive comparison of a NUL-terminated name and name[0..len). */
static bool name_eq(const char *a, const char *name, int len)
{
	int i;

	for (i = 0; i < len; i++) {
		char x = a[i], y = name[i];
		if (!x)
			return false;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 32);
		if (x != y)
			return false;
	}
	return a[len] == 0;
}

/* dir_find - the entry called name (long or short name) in dir; 1, 0 or -EIO. */
static int dir_find(struct fat_sb *s, struct fat_inode *dir, const char *name, int len,
		    struct fat_found *f)
{
	u32 slot = 0;
	int r;
	char sn[13];

	while ((r = dir_next(s, dir, &slot, f)) == 1) {
		if (name_eq(f->name, name, len))
			return 1;
		short_to_name(f->de, sn);
		if (name_eq(sn, name, len))
			return 1;
	}
	return r;
}

/* fill_inode - the VFS inode of a found entry. */
static int fill_inode(struct fat_sb *s, struct fat_found *f, struct vfs_inode *inode)
{
	struct fat_inode *fi = kzalloc(sizeof(*fi), GFP_KERNEL);

	if (!fi)
		return -ENOMEM;
	fi->start = get16(f->de + 26) | get16(f->de + 20) << 16;
	if (s->bits != 32)
		fi->start &= 0xffff;
	if (fi->start && !valid_cluster(s, fi->start))
		fi->start = 0xffffffffu;	/* corrupt: every access fails with -EIO */
	fi->de_sector = f->sector;
	fi->de_off = f->off;
	inode->i_ino = 2 + f->sector * FAT_DE_PER_SECTOR + f->off / FAT_DE_SIZE;
	inode->i_mode = (f->de[11] & FAT_ATTR_DIR) ? S_IFDIR : S_IFREG;
	inode->i_size = (f->de[11] & FAT_ATTR_DIR) ? 0 : get32(f->de + 28);
	inode->i_private = fi;
	return 0;
}

/* vfat_lookup - see struct super_operations. */
static int vfat_lookup(struct vfs_inode *dir, const char *name, int len,
		       struct vfs_inode *inode)
{
	struct fat_sb *s = SBI(dir->i_sb);
	struct fat_found f;
	int r = dir_find(s, FI(dir), name, len, &f);

	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	return fill_inode(s, &f, inode);
}

/* short_char - is c allowed in a short name (after upper-casing)? */
static bool short_char(char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("$%'-_@~`!(){}^#&", c) != NULL;
}

/* check_name - a legal long name?  0 or -EINVAL. */
static int check_name(const char *name, int len)
{
	int i;

	if (len <= 0 || len > VFS_NAME_MAX)
		return len <= 0 ? -EINVAL : -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c >= 0x7f || strchr("\"*/:<>?\\|", c))
			return -EINVAL;
	}
	if (name[len - 1] == '.' || name[len - 1] == ' ')
		return -EINVAL;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	return 0;
}

/*
 * make_short - the 11-byte short name of name into sn; true if the name
 * is exactly that short name up to case, with each of base and extension
 * in one case: then no LFN entries are needed and *ntcase gets the NT
 * case bits (0x08 base lower case, 0x10 extension lower case) as Windows
 * and Linux write them.
 */
static bool make_short(const char *name, int len, u8 *sn, u8 *ntcase)
{
	int dot = -1, i, n, part;
	bool exact = true;
	int lower[2] = { 0, 0 }, upper[2] = { 0, 0 };

	memset(sn, ' ', 11);
	for (i = len - 1; i >= 0; i--)
		if (name[i] == '.') {
			dot = i;
			break;
		}
	if (dot == 0)
		dot = -1;	/* ".profile": no extension */
	n = 0;
	for (i = 0; i < len; i++) {
		char c = name[i];
		part = dot >= 0 && i > dot;
		if (i == dot) {
			n = 8;
			continue;
		}
		if (c >= 'a' && c <= 'z') {
			c = (char)(c - 32);
			lower[part]++;
		} else if (c >= 'A' && c <= 'Z') {
			upper[part]++;
		}
		if (c == ' ' || c == '.') {
			exact = false;
			continue;
		}
		if (!short_char(c)) {
			c = '_';
			exact = false;
		}
		if (n < (part ? 11 : 8))
			sn[n++] = (u8)c;
		else
			exact = false;
	}
	if (sn[0] == ' ') {
		sn[0] = '_';
		exact = false;
	}
	if (sn[0] == 0xe5)
		sn[0] = 0x05;
	if ((lower[0] && upper[0]) || (lower[1] && upper[1]))
		exact = false;		/* mixed case needs the long name */
	*ntcase = (u8)((lower[0] ? 0x08 : 0) | (lower[1] ? 0x10 : 0));
	return exact;
}

/* short_exists - does dir hold a short entry named sn? 1, 0, -EIO. */
static int short_exists(struct fat_sb *s, struct fat_inode *dir, const u8 *sn)
{
	struct fat_found f;
	u32 slot = 0;
	int r;

	while ((r = dir_next(s, dir, &slot, &f)) == 1)
		if (!memcmp(f.de, sn, 11))
			return 1;
	return r;
}

/* unique_short - give sn a numeric tail ("NAME~N") not used in dir. */
static int unique_short(struct fat_sb *s, struct fat_inode *dir, u8 *sn)
{
	u8 base[8];
	unsigned int n, i;
	int blen, tlen, r;
	char tail[10];

	memcpy(base, sn, 8);
	for (blen = 8; blen > 0 && base[blen - 1] == ' '; blen--)
		;
	for (n = 1; n < 100000; n++) {
		tlen = snprintf(tail, sizeof(tail), "~%u", n);
		i = (unsigned int)(blen < 8 - tlen ? blen : 8 - tlen);
		memset(sn, ' ', 8);
		memcpy(sn, base, i);
		memcpy(sn + i, tail, (size_t)tlen);
		r = short_exists(s, dir, sn);
		if (r <= 0)
			return r;
	}
	return -EEXIST;
}

/*
 * dir_add - write the entries for name (LFN entries if needed and the
 * short entry de, whose name bytes are filled here) into free slots of
 * dir, growing it if needed.  The short entry's sector/offset go to f.
 */
static int dir_add(struct fat_sb *s, struct fat_inode *dir, const char *name, int len,
		   u8 *de, struct fat_found *f)
{
	u8 sn[11], ntcase;
	int nlfn = 0, err, need, k;
	u32 slot, run_start = 0, run = 0, sector;
	struct buffer_head *bh;
	u8 sum;

	err = check_name(name, len);
	if (err)
		return err;
	if (!make_short(name, len, sn, &ntcase)) {
		ntcase = 0;
		nlfn = (len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
		err = unique_short(s, dir, sn);
		if (err)
			return err;
	} else if ((err = short_exists(s, dir, sn)) != 0) {
		return err < 0 ? err : -EEXIST;
	}
	need = nlfn + 1;
	/* find need consecutive free slots */
	for (slot = 0;; slot++) {
		u8 b0;
		err = dir_sector(s, dir, slot / FAT_DE_PER_SECTOR, true, &sector);
		if (err)
			return err;
		bh = bread(s->dev, sector);
		if (!bh)
			return -EIO;
		b0 = bh->b_data[(slot % FAT_DE_PER_SECTOR) * FAT_DE_SIZE];
		brelse(bh);
		if (b0 == 0 || b0 == 0xe5) {
			if (!run)
				run_start = slot;
			if (++run == (u32)need)
				break;
		} else {
			run = 0;
		}
	}
	sum = lfn_checksum(sn);
	memcpy(de, sn, 11);
	de[12] = ntcase;
	for (k = 0; k < need; k++) {
		u32 sl = run_start + (u32)k;
		u8 *e;
		err = dir_sector(s, dir, sl / FAT_DE_PER_SECTOR, false, &sector);
		if (err)
			return err == -ENOENT ? -EIO : err;
		bh = bread(s->dev, sector);
		if (!bh)
			return -EIO;
		e = bh->b_data + (sl % FAT_DE_PER_SECTOR) * FAT_DE_SIZE;
		if (k < nlfn) {
			int ord = nlfn - k, c;
			memset(e, 0, FAT_DE_SIZE);
			e[0] = (u8)(ord | (k == 0 ? 0x40 : 0));
			e[11] = FAT_ATTR_LFN;
			e[13] = sum;
			for (c = 0; c < FAT_LFN_CHARS; c++) {
				int pos = (ord - 1) * FAT_LFN_CHARS + c;
				u32 ch = pos < len ? (u8)name[pos] : pos == len ? 0 : 0xffff;
				put16(e + lfn_offsets[c], ch);
			}
		} else {
			memcpy(e, de, FAT_DE_SIZE);
			f->sector = sector;
			f->off = (sl % FAT_DE_PER_SECTOR) * FAT_DE_SIZE;
			f->slot = sl;
			f->first_slot = run_start;
			memcpy(f->de, de, FAT_DE_SIZE);
		}
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/* dir_remove - mark the slots of a found entry deleted. */
static int dir_remove(struct fat_sb *s, struct fat_inode *dir, struct fat_found *f)
{
	u32 sl, sector;
	struct buffer_head *bh;
	int err;

	for (sl = f->first_slot; sl <= f->slot; sl++) {
		err = dir_sector(s, dir, sl / FAT_DE_PER_SECTOR, false, &sector);
		if (err)
			return -EIO;
		bh = bread(s->dev, sector);
		if (!bh)
			return -EIO;
		bh->b_data[(sl % FAT_DE_PER_SECTOR) * FAT_DE_SIZE] = 0xe5;
		mark_buffer_dirty(bh);
		brelse(bh);
	}
	return 0;
}

/* new_de - a short entry (name bytes left for dir_add). */
static void new_de(u8 *de, u8 attr, u32 start, u32 size)
{
	memset(de, 0, FAT_DE_SIZE);
	de[11] = attr;
	put16(de + 16, FAT_DATE);
	put16(de + 18, FAT_DATE);
	put16(de + 20, start >> 16);
	put16(de + 24, FAT_DATE);
	put16(de + 26, start & 0xffff);
	put32(de + 28, size);
}

/* vfat_create - see struct super_operations. */
static int vfat_create(struct vfs_inode *dir, const char *name, int len,
		       struct vfs_inode *inode)
{
	struct fat_sb *s = SBI(dir->i_sb);
	struct fat_found f;
	int err;

	new_de(f.de, FAT_ATTR_ARCHIVE, 0, 0);
	err = dir_add(s, FI(dir), name, len, f.de, &f);
	if (err)
		return err;
	return fill_inode(s, &f, inode);
}

/* vfat_mkdir - see struct super_operations. */
static int vfat_mkdir(struct vfs_inode *dir, const char *name, int len)
{
	struct fat_sb *s = SBI(dir->i_sb);
	struct fat_inode *pd = FI(dir);
	struct buffer_head *bh;
	struct fat_found f;
	u32 c, parent = pd->root ? 0 : pd->start;
	int err;

	err = check_name(name, len);
	if (err)
		return err;
	err = fat_alloc(s, 0, &c);
	if (err)
		return err;
	err = zero_cluster(s, c);
	if (!err) {
		bh = bread(s->dev, clus_sector(s, c));
		if (!bh) {
			err = -EIO;
		} else {
			new_de(bh->b_data, FAT_ATTR_DIR, c, 0);
			memcpy(bh->b_data, ".          ", 11);
			new_de(bh->b_data + FAT_DE_SIZE, FAT_ATTR_DIR, parent, 0);
			memcpy(bh->b_data + FAT_DE_SIZE, "..         ", 11);
			mark_buffer_dirty(bh);
			brelse(bh);
		}
	}
	if (!err) {
		new_de(f.de, FAT_ATTR_DIR, c, 0);
		err = dir_add(s, pd, name, len, f.de, &f);
	}
	if (err)
		fat_free_chain(s, c);
	return err;
}

/* dir_empty - does the directory starting at cluster start hold only . and ..? */
static int dir_empty(struct fat_sb *s, u32 start)
{
	struct fat_inode fi;
	struct fat_found f;
	u32 slot = 0;
	int r;

	memset(&fi, 0, sizeof(fi));
	fi.start = start;
	while ((r = dir_next(s, &fi, &slot, &f)) == 1)
		if (strcmp(f.name, ".") && strcmp(f.name, ".."))
			return 0;
	return r < 0 ? r : 1;
}

/* entry_start - the first cluster of a found entry. */
static u32 entry_start(struct fat_sb *s, struct fat_found *f)
{
	u32 c = get16(f->de + 26) | get16(f->de + 20) << 16;

	return s->bits != 32 ? c & 0xffff : c & FAT32_MASK;
}

/* remove_entry - unlink (isdir false) or rmdir (true) name in dir. */
static int remove_entry(struct vfs_inode *dir, const char *name, int len, bool isdir)
{
	struct fat_sb *s = SBI(dir->i_sb);
	struct fat_found f;
	u32 start;
	int r = dir_find(s, FI(dir), name, len, &f);

	if (r <= 0)
		return r ? r : -ENOENT;
	if (!!(f.de[11] & FAT_ATTR_DIR) != isdir)
		return isdir ? -ENOTDIR : -EISDIR;
	start = entry_start(s, &f);
	if (start && !valid_cluster(s, start))
		return -EIO;
	if (isdir) {
		if (!start)
			return -EIO;
		r = dir_empty(s, start);
		if (r <= 0)
			return r ? r : -ENOTEMPTY;
	}
	r = dir_remove(s, FI(dir), &f);
	if (!r && start)
		r = fat_free_chain(s, start);
	return r;
}

/* vfat_unlink - see struct super_operations. */
static int vfat_unlink(struct vfs_inode *dir, const char *name, int len)
{
	return remove_entry(dir, name, len, false);
}

/* vfat_rmdir - see struct super_operations. */
static int vfat_rmdir(struct vfs_inode *dir, const char *name, int len)
{
	return remove_entry(dir, name, len, true);
}

/* vfat_rename - see struct super_operations. */
static int vfat_rename(struct vfs_inode *odir, const char *oname, int olen,
		       struct vfs_inode *ndir, const char *nname, int nlen)
{
	struct fat_sb *s = SBI(odir->i_sb);
	struct fat_found of, nf, added;
	u8 de[FAT_DE_SIZE];
	int r;

	r = check_name(nname, nlen);
	if (r)
		return r;
	r = dir_find(s, FI(odir), oname, olen, &of);
	if (r <= 0)
		return r ? r : -ENOENT;
	r = dir_find(s, FI(ndir), nname, nlen, &nf);
	if (r < 0)
		return r;
	if (r == 1) {
		bool same = odir == ndir && nf.slot == of.slot;
		if (!same) {
			if ((nf.de[11] & FAT_ATTR_DIR) || (of.de[11] & FAT_ATTR_DIR))
				return -EEXIST;
			r = remove_entry(ndir, nname, nlen, false);
			if (r)
				return r;
		} else {
			/* a change of case only: drop the old entries first */
			r = dir_remove(s, FI(odir), &of);
			if (r)
				return r;
			memcpy(de, of.de, FAT_DE_SIZE);
			return dir_add(s, FI(ndir), nname, nlen, de, &added);
		}
	}
	memcpy(de, of.de, FAT_DE_SIZE);
	de[12] = 0;
	r = dir_add(s, FI(ndir), nname, nlen, de, &added);
	if (r)
		return r;
	r = dir_remove(s, FI(odir), &of);
	if (r)
		return r;
	if ((de[11] & FAT_ATTR_DIR) && odir != ndir) {
		/* point the moved directory's ".." at its new parent */
		u32 start = entry_start(s, &of), parent = FI(ndir)->root ? 0 : FI(ndir)->start;
		struct buffer_head *bh;
		if (!valid_cluster(s, start))
			return -EIO;
		bh = bread(s->dev, clus_sector(s, start));
		if (!bh)
			return -EIO;
		if (!memcmp(bh->b_data + FAT_DE_SIZE, "..         ", 11)) {
			put16(bh->b_data + FAT_DE_SIZE + 20, parent >> 16);
			put16(bh->b_data + FAT_DE_SIZE + 26, parent & 0xffff);
			mark_buffer_dirty(bh);
		}
		brelse(bh);
	}
	return 0;
}

/* vfat_read - see struct super_operations. */
static ssize_t vfat_read(struct vfs_inode *inode, char *buf, size_t count, loff_t pos)
{
	struct fat_sb *s = SBI(inode->i_sb);
	struct fat_inode *fi = FI(inode);
	u32 csize = s->spc * BLOCK_SIZE;
	size_t done = 0;
	int err;

	if (pos < 0)
		return -EINVAL;
	if (pos >= inode->i_size)
		return 0;
	if ((loff_t)count > inode->i_size - pos)
		count = (size_t)(inode->i_size - pos);
	while (done < count) {
		u32 p = (u32)pos, c, in, n;
		struct buffer_head *bh;

		err = bmap(s, fi, p / csize, false, false, &c);
		if (err)
			return done ? (ssize_t)done : -EIO;
		in = p % BLOCK_SIZE;
		n = BLOCK_SIZE - in;
		if (n > count - done)
			n = (u32)(count - done);
		bh = bread(s->dev, clus_sector(s, c) + (p % csize) / BLOCK_SIZE);
		if (!bh)
			return done ? (ssize_t)done : -EIO;
		memcpy(buf + done, bh->b_data + in, n);
		brelse(bh);
		done += n;
		pos += n;
	}
	return (ssize_t)done;
}

/* vfat_write - see struct super_operations (a gap past the end reads as zeros). */
static ssize_t vfat_write(struct vfs_inode *inode, const char *buf, size_t count,
			  loff_t pos)
{
	static const char zeros[BLOCK_SIZE];
	struct fat_sb *s = SBI(inode->i_sb);
	struct fat_inode *fi = FI(inode);
	u32 csize = s->spc * BLOCK_SIZE;
	size_t done = 0;
	int err = 0;

	if (pos < 0 || pos + (loff_t)count > 0xffffffffLL)
		return -EFBIG;
	if (fi->start == 0xffffffffu)
		return -EIO;
	while (pos > inode->i_size) {	/* fill the gap with zeros */
		size_t z = (size_t)(pos - inode->i_size);
		ssize_t r = vfat_write(inode, zeros, z > BLOCK_SIZE ? BLOCK_SIZE : z,
				       inode->i_size);
		if (r <= 0)
			return r ? r : -EIO;
	}
	while (done < count) {
		u32 p = (u32)pos, c, in, n, sec;
		struct buffer_head *bh;

		err = bmap(s, fi, p / csize, true, false, &c);
		if (err)
			break;
		in = p % BLOCK_SIZE;
		n = BLOCK_SIZE - in;
		if (n > count - done)
			n = (u32)(count - done);
		sec = clus_sector(s, c) + (p % csize) / BLOCK_SIZE;
		bh = (n == BLOCK_SIZE || (in == 0 && pos + n >= inode->i_size))
			     ? getblk(s->dev, sec) : bread(s->dev, sec);
		if (!bh) {
			err = -EIO;
			break;
		}
		if (!(bh->b_state & BH_Uptodate) && n != BLOCK_SIZE)
			memset(bh->b_data, 0, BLOCK_SIZE);
		memcpy(bh->b_data + in, buf + done, n);
		mark_buffer_dirty(bh);
		brelse(bh);
		done += n;
		pos += n;
		if (pos > inode->i_size)
			inode->i_size = pos;
	}
	if (write_de(s, fi, inode->i_size) && !err)
		err = -EIO;
	return done ? (ssize_t)done : err;
}

/* vfat_truncate - see struct super_operations. */
static int vfat_truncate(struct vfs_inode *inode, loff_t size)
{
	static const char zeros[BLOCK_SIZE];
	struct fat_sb *s = SBI(inode->i_sb);
	struct fat_inode *fi = FI(inode);
	u32 csize = s->spc * BLOCK_SIZE, keep, c, next;
	int err;

	if (size > 0xffffffffLL)
		return -EFBIG;
	if (fi->start == 0xffffffffu)
		return -EIO;
	while (size > inode->i_size) {
		loff_t z = size - inode->i_size;
		ssize_t r = vfat_write(inode, zeros, z > BLOCK_SIZE ? BLOCK_SIZE : (size_t)z,
				       inode->i_size);
		if (r <= 0)
			return r ? (int)r : -EIO;
	}
	keep = (u32)((size + csize - 1) / csize);
	fi->cache_idx = 0;
	fi->cache_clus = 0;
	if (fi->start) {
		if (keep == 0) {
			err = fat_free_chain(s, fi->start);
			fi->start = 0;
		} else {
			err = bmap(s, fi, keep - 1, false, false, &c);
			if (!err)
				err = fat_next(s, c, &next);
			if (!err && next) {
				err = fat_set(s, c, eoc(s));
				if (!err)
					err = fat_free_chain(s, next);
			}
			fi->cache_idx = 0;
			fi->cache_clus = 0;
		}
		if (err)
			return err;
	}
	inode->i_size = size;
	return write_de(s, fi, size);
}

/* vfat_readdir - see struct super_operations ("." and ".." are left out). */
static int vfat_readdir(struct vfs_inode *dir, loff_t *pos, struct vfs_dirent *ent)
{
	struct fat_sb *s = SBI(dir->i_sb);
	struct fat_found f;
	u32 slot = (u32)*pos;
	int r;

	if (*pos < 0 || *pos > FAT_MAX_DIR_SECTORS * FAT_DE_PER_SECTOR)
		return 0;
	while ((r = dir_next(s, FI(dir), &slot, &f)) == 1) {
		if (!strcmp(f.name, ".") || !strcmp(f.name, ".."))
			continue;
		memcpy(ent->name, f.name, sizeof(ent->name));
		ent->mode = (f.de[11] & FAT_ATTR_DIR) ? S_IFDIR : S_IFREG;
		ent->size = (f.de[11] & FAT_ATTR_DIR) ? 0 : get32(f.de + 28);
		break;
	}
	*pos = slot;
	return r;
}

/* vfat_put_inode - see struct super_operations. */
static void vfat_put_inode(struct vfs_inode *inode)
{
	kfree(inode->i_private);
	inode->i_private = NULL;
}

/* vfat_sync - see struct super_operations. */
static int vfat_sync(struct super_block *sb)
{
	return sync_dev(SBI(sb)->dev);
}

/* vfat_put_super - see struct super_operations. */
static void vfat_put_super(struct super_block *sb)
{
	sync_dev(SBI(sb)->dev);
	kfree(sb->s_root->i_private);
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

static const struct super_operations vfat_ops = {
	.lookup = vfat_lookup,
	.create = vfat_create,
	.mkdir = vfat_mkdir,
	.unlink = vfat_unlink,
	.rmdir = vfat_rmdir,
	.rename = vfat_rename,
	.read = vfat_read,
	.write = vfat_write,
	.truncate = vfat_truncate,
	.readdir = vfat_readdir,
	.put_inode = vfat_put_inode,
	.sync = vfat_sync,
	.put_super = vfat_put_super,
};

/* is_pow2 - is v a power of two (and nonzero)? */
static bool is_pow2(u32 v)
{
	return v && !(v & (v - 1));
}

/* parse_bpb - check the boot sector b and fill s; 0 or -EINVAL. */
static int parse_bpb(const u8 *b, u32 dev_sectors, struct fat_sb *s)
{
	u32 bps = get16(b + 11), rsvd = get16(b + 14), root_ents = get16(b + 17);
	u32 fatsz = get16(b + 22), total = get16(b + 19), entries;

	s->spc = b[13];
	s->nfats = b[16];
	if (b[510] != 0x55 || b[511] != 0xaa)
		return -EINVAL;
	if (bps != BLOCK_SIZE || !is_pow2(s->spc) || s->spc > 128 || rsvd == 0 ||
	    s->nfats < 1 || s->nfats > 4)
		return -EINVAL;
	if (!fatsz)
		fatsz = get32(b + 36);
	if (!total)
		total = get32(b + 32);
	if (!fatsz || !total || total > dev_sectors)
		return -EINVAL;
	s->fat_start = rsvd;
	s->fat_size = fatsz;
	s->root_start = rsvd + s->nfats * fatsz;
	s->root_sectors = (root_ents * FAT_DE_SIZE + BLOCK_SIZE - 1) / BLOCK_SIZE;
	s->data_start = s->root_start + s->root_sectors;
	if ((u64)rsvd + (u64)s->nfats * fatsz + s->root_sectors >= total)
		return -EINVAL;
	s->nclusters = (total - s->data_start) / s->spc;
	if (s->nclusters < 65525) {
		s->bits = s->nclusters < 4085 ? 12 : 16;
		if (!root_ents)
			return -EINVAL;
	} else {
		s->bits = 32;
		s->root_cluster = get32(b + 44) & FAT32_MASK;
		if (root_ents || get16(b + 22) || !valid_cluster(s, s->root_cluster))
			return -EINVAL;
		if (s->nclusters > 0x0ffffff5u)
			return -EINVAL;
	}
	entries = s->bits == 12 ? fatsz * BLOCK_SIZE * 2 / 3 : fatsz * (BLOCK_SIZE / (s->bits / 8));
	if (entries < s->nclusters + 2)
		return -EINVAL;
	s->free_hint = 2;
	return 0;
}

/* vfat_mount - see struct file_system_type. */
static int vfat_mount(struct super_block *sb)
{
	struct fat_sb *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct fat_inode *root = kzalloc(sizeof(*root), GFP_KERNEL);
	struct buffer_head *bh;
	u32 dev_sectors = blkdev_size(sb->s_dev);
	int err;

	if (!s || !root) {
		err = -ENOMEM;
		goto fail;
	}
	s->dev = sb->s_dev;
	if (!dev_sectors) {
		err = -ENODEV;
		goto fail;
	}
	bh = bread(sb->s_dev, 0);
	if (!bh) {
		err = -EIO;
		goto fail;
	}
	err = parse_bpb(bh->b_data, dev_sectors, s);
	if (!err && s->bits == 32) {
		u32 fsinfo = get16(bh->b_data + 48);
		struct buffer_head *fb;
		brelse(bh);
		bh = NULL;
		/* our allocations make the FSInfo hints stale: mark them unknown */
		if (fsinfo && fsinfo < s->fat_start && (fb = bread(sb->s_dev, fsinfo))) {
			if (get32(fb->b_data) == 0x41615252 &&
			    get32(fb->b_data + 484) == 0x61417272) {
				put32(fb->b_data + 488, 0xffffffffu);
				put32(fb->b_data + 492, 0xffffffffu);
				mark_buffer_dirty(fb);
			}
			brelse(fb);
		}
	}
	brelse(bh);
	if (err) {
		printk("vfat: no valid FAT file system on device %04x\n", sb->s_dev);
		goto fail;
	}
	root->root = true;
	root->start = s->bits == 32 ? s->root_cluster : 0;
	sb->s_fs_info = s;
	sb->s_op = &vfat_ops;
	sb->s_root->i_ino = 1;
	sb->s_root->i_mode = S_IFDIR;
	sb->s_root->i_private = root;
	printk("vfat: mounted FAT%u on %04x: %u clusters of %u bytes, data at sector %u\n",
	       s->bits, sb->s_dev, s->nclusters, s->spc * BLOCK_SIZE, s->data_start);
	return 0;
fail:
	kfree(s);
	kfree(root);
	return err;
}

static struct file_system_type vfat_fs = {
	.name = "vfat",
	.mount = vfat_mount,
};

/* vfat_init - register the "vfat" file system type. */
static int __init vfat_init(void)
{
	int err = register_filesystem(&vfat_fs);

	if (debug)
		printk("vfat: registered (%d)\n", err);
	return err;
}

/* vfat_exit - unregister (the kernel unmounts first). */
static void __exit vfat_exit(void)
{
	unregister_filesystem(&vfat_fs);
}

module_init(vfat_init);
module_exit(vfat_exit);
