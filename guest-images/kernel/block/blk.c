/*
 * kernel/block/blk.c - block device registry and the buffer cache
 * (linux/blkdev.h).  One thread of control: no locks beyond keeping
 * interrupts out of nothing (no interrupt handler touches buffers).
 */
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

struct blkdev_entry {
	char name[16];			/* a copy: the driver's string may go away */
	const struct block_device_operations *ops;
	void *priv;
	u32 nr_sectors;
};

static struct blkdev_entry blkdevs[MAX_BLKDEV];
struct blk_counters blk_stats;

#define HASH_SIZE 128
static struct buffer_head *hash_table[HASH_SIZE];
static LIST_HEAD(lru);			/* head: least recently used */
static struct buffer_head *buffers;
static u8 *buffer_data;

/* hashfn - the chain of (dev, block). */
static unsigned int hashfn(kdev_t dev, u32 block)
{
	return (block * 31u + dev) % HASH_SIZE;
}

/* buffers_init - allocate the pool on first use; false if out of memory. */
static bool buffers_init(void)
{
	unsigned int i;

	if (buffers)
		return true;
	buffers = kzalloc(NR_BUFFERS * sizeof(*buffers), GFP_KERNEL);
	buffer_data = kmalloc(NR_BUFFERS * BLOCK_SIZE, GFP_KERNEL);
	if (!buffers || !buffer_data) {
		kfree(buffers);
		kfree(buffer_data);
		buffers = NULL;
		buffer_data = NULL;
		return false;
	}
	for (i = 0; i < NR_BUFFERS; i++) {
		buffers[i].b_data = buffer_data + i * BLOCK_SIZE;
		buffers[i].b_dev = 0xffff;	/* no device */
		list_add_tail(&buffers[i].b_lru, &lru);
	}
	return true;
}

/* entry_of - the registry entry of dev, or NULL. */
static struct blkdev_entry *entry_of(kdev_t dev)
{
	unsigned int ma = MAJOR(dev);

	if (ma >= MAX_BLKDEV || !blkdevs[ma].ops)
		return NULL;
	return &blkdevs[ma];
}

/* register_blkdev - see linux/blkdev.h. */
int register_blkdev(unsigned int major, const char *name,
		    const struct block_device_operations *ops, void *priv, u32 nr_sectors)
{
	if (major == 0 || major >= MAX_BLKDEV || !ops || !name || !ops->read)
		return -EINVAL;
	if (blkdevs[major].ops) {
		if (strncmp(blkdevs[major].name, name, sizeof(blkdevs[major].name) - 1))
			return -EBUSY;
		/* the same driver again (reloaded after a crash): it takes over,
		 * and the cached buffers, dirty ones too, stay for it to write */
		printk("blk: %s major %u re-registered\n", name, major);
	}
	if (!buffers_init())
		return -ENOMEM;
	strlcpy(blkdevs[major].name, name, sizeof(blkdevs[major].name));
	blkdevs[major].priv = priv;
	blkdevs[major].nr_sectors = nr_sectors;
	blkdevs[major].ops = ops;
	printk("blk: registered %s major %u sectors %u\n", name, major, nr_sectors);
	return 0;
}

/* unregister_blkdev - see linux/blkdev.h. */
int unregister_blkdev(unsigned int major, const char *name)
{
	unsigned int i;

	if (major == 0 || major >= MAX_BLKDEV || !blkdevs[major].ops || !name ||
	    strncmp(blkdevs[major].name, name, sizeof(blkdevs[major].name) - 1))
		return -EINVAL;
	blkdevs[major].ops = NULL;
	for (i = 0; i < NR_BUFFERS; i++)
		if (buffers[i].b_dev != 0xffff && MAJOR(buffers[i].b_dev) == major)
			buffers[i].b_state = 0;	/* never written back now */
	return 0;
}

/* blkdev_size - see linux/blkdev.h. */
u32 blkdev_size(kdev_t dev)
{
	struct blkdev_entry *e = entry_of(dev);

	return e ? e->nr_sectors : 0;
}

/* write_back - write a dirty buffer to its disk; 0 or -EIO. */
static int write_back(struct buffer_head *bh)
{
	struct blkdev_entry *e = entry_of(bh->b_dev);
	int err;

	if (!(bh->b_state & BH_Dirty))
		return 0;
	if (!e || !e->ops->write) {
		blk_stats.write_errors++;
		bh->b_state &= ~BH_Dirty;	/* nowhere to write: drop */
		return -EIO;
	}
	err = e->ops->write(e->priv, bh->b_blocknr, 1, bh->b_data);
	blk_stats.writes++;
	if (err) {
		blk_stats.write_errors++;
		return -EIO;
	}
	bh->b_state &= ~BH_Dirty;
	return 0;
}

/* unhash - take bh out of its hash chain. */
static void unhash(struct buffer_head *bh)
{
	struct buffer_head **p;

	if (bh->b_dev == 0xffff)
		return;
	for (p = &hash_table[hashfn(bh->b_dev, bh->b_blocknr)]; *p; p = &(*p)->b_hash)
		if (*p == bh) {
			*p = bh->b_hash;
			break;
		}
	bh->b_hash = NULL;
	bh->b_dev = 0xffff;
}

/* getblk - see linux/blkdev.h. */
struct buffer_head *getblk(kdev_t dev, u32 block)
{
	struct blkdev_entry *e = entry_of(dev);
	struct buffer_head *bh;
	struct list_head *l;
	unsigned int h;

	if (!e || block >= e->nr_sectors || !buffers)
		return NULL;
	h = hashfn(dev, block);
	for (bh = hash_table[h]; bh; bh = bh->b_hash)
		if (bh->b_dev == dev && bh->b_blocknr == block) {
			bh->b_count++;
			list_del(&bh->b_lru);
			list_add_tail(&bh->b_lru, &lru);
			blk_stats.hits++;
			return bh;
		}
	/* the least recently used unheld buffer whose write-back succeeds */
	for (l = lru.next; l != &lru; l = l->next) {
		bh = list_entry(l, struct buffer_head, b_lru);
		if (bh->b_count)
			continue;
		if ((bh->b_state & BH_Dirty) && write_back(bh))
			continue;
		unhash(bh);
		bh->b_dev = dev;
		bh->b_blocknr = block;
		bh->b_state = 0;
		bh->b_count = 1;
		bh->b_hash = hash_table[h];
		hash_table[h] = bh;
		list_del(&bh->b_lru);
		list_add_tail(&bh->b_lru, &lru);
		blk_stats.misses++;
		return bh;
	}
	return NULL;
}

/* bread - see linux/blkdev.h. */
struct buffer_head *bread(kdev_t dev, u32 block)
{
	struct buffer_head *bh = getblk(dev, block);
	struct blkdev_entry *e;

	if (!bh || (bh->b_state & BH_Uptodate))
		return bh;
	e = entry_of(dev);
	blk_stats.reads++;
	if (!e || e->ops->read(e->priv, block, 1, bh->b_data)) {
		blk_stats.read_errors++;
		bh->b_count--;
		unhash(bh);
		return NULL;
	}
	bh->b_state |= BH_Uptodate;
	return bh;
}

/* brelse - see linux/blkdev.h. */
void brelse(struct buffer_head *bh)
{
	if (bh && bh->b_count)
		bh->b_count--;
}

/* mark_buffer_dirty - see linux/blkdev.h. */
void mark_buffer_dirty(struct buffer_head *bh)
{
	if (bh)
		bh->b_state |= BH_Dirty | BH_Uptodate;
}

/* sync_dev - see linux/blkdev.h. */
int sync_dev(kdev_t dev)
{
	struct blkdev_entry *e;
	unsigned int i;
	int err = 0;

	if (!buffers)
		return 0;
	blk_stats.syncs++;
	for (i = 0; i < NR_BUFFERS; i++)
		if (buffers[i].b_dev != 0xffff && MAJOR(buffers[i].b_dev) == MAJOR(dev) &&
		    write_back(&buffers[i]))
			err = -EIO;
	e = entry_of(dev);
	if (e && e->ops->flush && e->ops->flush(e->priv))
		err = -EIO;
	return err;
}

/* invalidate_buffers - see linux/blkdev.h. */
unsigned int invalidate_buffers(kdev_t dev)
{
	unsigned int i, dropped = 0;

	if (!buffers)
		return 0;
	for (i = 0; i < NR_BUFFERS; i++)
		if (buffers[i].b_dev != 0xffff && MAJOR(buffers[i].b_dev) == MAJOR(dev) &&
		    !buffers[i].b_count) {
			dropped += (buffers[i].b_state & BH_Dirty) ? 1 : 0;
			buffers[i].b_state = 0;
			unhash(&buffers[i]);
		}
	return dropped;
}

/* blk_print_stats - "stats: blk ..." */
void blk_print_stats(void)
{
	printk("stats: blk hits=%lu misses=%lu reads=%lu writes=%lu read_errors=%lu "
	       "write_errors=%lu syncs=%lu\n", blk_stats.hits, blk_stats.misses,
	       blk_stats.reads, blk_stats.writes, blk_stats.read_errors,
	       blk_stats.write_errors, blk_stats.syncs);
}

EXPORT_SYMBOL(register_blkdev);
EXPORT_SYMBOL(unregister_blkdev);
EXPORT_SYMBOL(blkdev_size);
EXPORT_SYMBOL(bread);
EXPORT_SYMBOL(getblk);
EXPORT_SYMBOL(brelse);
EXPORT_SYMBOL(mark_buffer_dirty);
EXPORT_SYMBOL(sync_dev);
EXPORT_SYMBOL(invalidate_buffers);
