/*
 * linux/blkdev.h - block devices and the buffer cache (kernel/block/).
 *
 * A block driver registers a major number with a struct
 * block_device_operations: read/write of whole 512-byte sectors and a
 * cache flush.  Every minor of a major reaches the same disk (no
 * partitions).  File systems never call the driver: they go through the
 * buffer cache, a fixed pool of NR_BUFFERS 512-byte buffers:
 *
 *   hash[dev,block] -> buffer_head -> b_data (512 bytes)
 *   lru: least recently released first; a buffer with b_count > 0 is
 *   never reused; a dirty buffer is written back before reuse.
 *
 *   b_state bits:  BH_Uptodate  b_data holds the sector
 *                  BH_Dirty     b_data is newer than the disk
 *
 * bread() returns a held buffer (b_count + 1); brelse() drops the hold.
 * mark_buffer_dirty() marks it for write-back; sync_dev() writes every dirty
 * buffer of a device and asks the driver to flush its cache.
 */
#ifndef _LINUX_BLKDEV_H
#define _LINUX_BLKDEV_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/types.h>

#define MAX_BLKDEV 16
#define BLOCK_SIZE 512
#define NR_BUFFERS 512
#define IDE0_MAJOR 3

struct block_device_operations {
	/* read/write count sectors at sector of the disk; 0 or -Exxx. */
	int (*read)(void *priv, u32 sector, unsigned int count, void *buf);
	int (*write)(void *priv, u32 sector, unsigned int count, const void *buf);
	/* flush - commit the drive's write cache; 0 or -Exxx (may be NULL). */
	int (*flush)(void *priv);
};

/*
 * register_blkdev - give major to ops (priv is passed back on every call;
 * nr_sectors is the disk size).  0, -EBUSY if taken by another name,
 * -EINVAL.  The same name again replaces the old registration (a driver
 * reloaded after a crash) and keeps the cached buffers, dirty ones too.
 */
int register_blkdev(unsigned int major, const char *name,
		    const struct block_device_operations *ops, void *priv, u32 nr_sectors);
/*
 * unregister_blkdev - release major if name matches; its cached buffers
 * are dropped (dirty ones are lost: sync first).  0 or -EINVAL.
 */
int unregister_blkdev(unsigned int major, const char *name);
/* blkdev_size - sectors of the disk behind dev, or 0 if none is registered. */
u32 blkdev_size(kdev_t dev);

#define BH_Uptodate 0x1u
#define BH_Dirty 0x2u

struct buffer_head {
	struct list_head b_lru;		/* on the LRU list (every buffer) */
	struct buffer_head *b_hash;	/* next in the hash chain */
	kdev_t b_dev;
	u32 b_blocknr;			/* sector */
	unsigned int b_count;		/* holders */
	unsigned int b_state;		/* BH_* */
	u8 *b_data;			/* BLOCK_SIZE bytes */
};

/* bread - the buffer of (dev, block), read from disk if needed; NULL on error. */
struct buffer_head *bread(kdev_t dev, u32 block);
/* getblk - the buffer of (dev, block) without reading it (caller fills it). */
struct buffer_head *getblk(kdev_t dev, u32 block);
/* brelse - drop a hold (NULL is ignored). */
void brelse(struct buffer_head *bh);
/* mark_buffer_dirty - the buffer is newer than the disk (and up to date). */
void mark_buffer_dirty(struct buffer_head *bh);
/* sync_dev - write back every dirty buffer of dev, then flush; 0 or -EIO. */
int sync_dev(kdev_t dev);
/* invalidate_buffers - forget every unheld buffer of dev (dirty ones too,
 * without writing them); the number of dirty buffers dropped. */
unsigned int invalidate_buffers(kdev_t dev);

/* Counters ("stats: blk ..."). */
struct blk_counters {
	unsigned long hits, misses, reads, writes, read_errors, write_errors, syncs;
};
extern struct blk_counters blk_stats;
void blk_print_stats(void);

#endif
