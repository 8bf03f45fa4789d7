/*
 * nooks/wrappers/blk_svc.c - block devices and network services of an
 * isolated module.
 *
 * register_blkdev registers a kernel-owned operations table whose entries
 * (nooks_blk_read/write/flush) make the XPC with the sector buffer passed
 * by value-result (a copy in the domain's memory: the buffer cache's pages
 * hold other buffers too).  A registration of a failed or reloaded instance
 * answers -EIO; the reloaded driver registers the same name again, which
 * replaces it and keeps the cached buffers (so recovery does not unregister).
 *
 * register_net_service registers a kernel-owned shadow struct net_service
 * (the kernel links it; the driver's copy is writable by the driver) whose
 * poll makes the XPC and copies the driver's request counter back.  The
 * shadow outlives a recovery (the kernel holds it: the web workload polls
 * it): stale, it polls nothing, and the reloaded driver's registration of
 * the same name takes it over, its counter continuing from the old one's.
 */
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/string.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

static int blkdev_type, svc_type;

struct blk_rec {
	struct block_device_operations ops;	/* what the kernel calls */
	const struct block_device_operations *ext;
	void *priv;				/* the driver's */
	struct nooks_domain *d;
	u32 generation;
	unsigned int major;
	char name[32];
};

/* blk_live - may the record's driver be called? */
static bool blk_live(const struct blk_rec *r)
{
	return r->d->generation == r->generation &&
	       (r->d->state == NOOKS_RUNNING ||
		(r->d->state == NOOKS_RECOVERING && r->d->reloading));
}

/* blk_call - XPC to fn(priv, sector, count, buf) with buf as a copy. */
static int blk_call(struct blk_rec *r, void *fn, u32 sector, unsigned int count, void *buf,
		    u16 flags)
{
	struct nooks_xpc_obj o = { .ptr = buf, .size = count * BLOCK_SIZE, .argno = 3,
				   .flags = NOOKS_OBJ_COPY | flags };
	u32 a[4] = { (u32)r->priv, sector, count, (u32)buf };

	if (!blk_live(r) || !fn)
		return -EIO;
	if (count > 64)				/* 32 KiB per call at most */
		return -EINVAL;
	return nooks_driver_call_objs(r->d, fn, 4, a, &o, buf && count ? 1 : 0);
}

/* nooks_blk_read / nooks_blk_write / nooks_blk_flush - the operations the
 * kernel calls (priv is the record). */
static int nooks_blk_read(void *priv, u32 sector, unsigned int count, void *buf)
{
	struct blk_rec *r = priv;

	return blk_call(r, (void *)r->ext->read, sector, count, buf, NOOKS_OBJ_OUT);
}

/* nooks_blk_write - the driver reads a copy of the data. */
static int nooks_blk_write(void *priv, u32 sector, unsigned int count, const void *buf)
{
	struct blk_rec *r = priv;

	return blk_call(r, (void *)r->ext->write, sector, count, (void *)buf, NOOKS_OBJ_IN);
}

/* nooks_blk_flush - flush through an XPC. */
static int nooks_blk_flush(void *priv)
{
	struct blk_rec *r = priv;
	u32 a[1] = { (u32)r->priv };

	if (!blk_live(r) || !r->ext->flush)
		return -EIO;
	return nooks_driver_callv(r->d, (void *)r->ext->flush, 1, a);
}

/* nooks_wrap_register_blkdev - register the kernel-owned table for d. */
int nooks_wrap_register_blkdev(unsigned int major, const char *name,
			       const struct block_device_operations *ops, void *priv,
			       u32 nr_sectors)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct blk_rec *r;
	int err;

	if (!d)
		return register_blkdev(major, name, ops, priv, nr_sectors);
	if (!ops || !name) {
		nooks_check_failed(d, "register_blkdev: NULL ops or name");
		return -EINVAL;
	}
	o = nooks_object_find(d, blkdev_type, major);
	r = o ? (struct blk_rec *)o->aux : nooks_meta_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ext = ops;
	r->priv = priv;
	r->d = d;
	r->generation = d->generation;
	r->major = major;
	strlcpy(r->name, name, sizeof(r->name));
	r->ops.read = ops->read ? nooks_blk_read : NULL;
	r->ops.write = ops->write ? nooks_blk_write : NULL;
	r->ops.flush = ops->flush ? nooks_blk_flush : NULL;
	err = register_blkdev(major, r->name, &r->ops, r, nr_sectors);
	if (err) {
		if (!o)
			nooks_meta_free(r);
		return err;
	}
	if (!o)
		nooks_track(d, blkdev_type, major, 1, (unsigned long)r);
	return 0;
}

/* nooks_wrap_unregister_blkdev - only a major the domain registered. */
int nooks_wrap_unregister_blkdev(unsigned int major, const char *name)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct blk_rec *r;
	int err;

	if (!d)
		return unregister_blkdev(major, name);
	o = nooks_object_find(d, blkdev_type, major);
	if (!o) {
		nooks_check_failed(d, "unregister_blkdev of a device it did not register");
		return -EINVAL;
	}
	r = (struct blk_rec *)o->aux;
	err = unregister_blkdev(major, r->name);
	nooks_untrack(d, blkdev_type, major);
	/* the record stays: the kernel may still hold the table (stale: -EIO) */
	r->generation = ~0u;
	return err;
}

/* release_blkdev - recovery: keep the registration (the reloaded driver
 * replaces it, the cache survives); its calls answer -EIO until then.
 * The record is kept for the same reason. */
static void release_blkdev(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	((struct blk_rec *)o->aux)->generation = ~0u;
}

/* ---- the buffer cache, as a file system module uses it ---- */

static int bh_type;

/* hold_bh - the domain holds one more reference to bh: its data writable
 * in the domain while held (counted in the tracker record's aux). */
static struct buffer_head *hold_bh(struct nooks_domain *d, struct buffer_head *bh)
{
	struct nooks_object *o;

	if (!bh)
		return NULL;
	if (nooks_grant_range(d, bh->b_data, BLOCK_SIZE)) {
		brelse(bh);
		return NULL;
	}
	o = nooks_object_find(d, bh_type, (unsigned long)bh);
	if (o)
		o->aux++;
	else if (nooks_track(d, bh_type, (unsigned long)bh, sizeof(*bh), 1)) {
		nooks_ungrant_range(d, bh->b_data, BLOCK_SIZE);
		brelse(bh);
		return NULL;
	}
	return bh;
}

/* nooks_wrap_bread / getblk - a held buffer, its data granted to the domain. */
struct buffer_head *nooks_wrap_bread(kdev_t dev, u32 block)
{
	struct nooks_domain *d = nooks_caller_domain();

	return d ? hold_bh(d, bread(dev, block)) : bread(dev, block);
}

struct buffer_head *nooks_wrap_getblk(kdev_t dev, u32 block)
{
	struct nooks_domain *d = nooks_caller_domain();

	return d ? hold_bh(d, getblk(dev, block)) : getblk(dev, block);
}

/* nooks_wrap_brelse - drop one of the domain's holds (its data ungranted). */
void nooks_wrap_brelse(struct buffer_head *bh)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;

	if (!d || !bh) {
		brelse(bh);
		return;
	}
	o = nooks_object_find(d, bh_type, (unsigned long)bh);
	if (!o) {
		nooks_check_failed(d, "brelse of a buffer it does not hold");
		return;
	}
	nooks_ungrant_range(d, bh->b_data, BLOCK_SIZE);
	if (!--o->aux)
		nooks_untrack(d, bh_type, (unsigned long)bh);
	brelse(bh);
}

/* nooks_wrap_mark_buffer_dirty - only a buffer the domain holds. */
void nooks_wrap_mark_buffer_dirty(struct buffer_head *bh)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !nooks_object_find(d, bh_type, (unsigned long)bh)) {
		nooks_check_failed(d, "mark_buffer_dirty of a buffer it does not hold");
		return;
	}
	mark_buffer_dirty(bh);
}

/* release_bh - recovery: drop every hold the failed driver had (its
 * grants went with the domain's old page tables). */
static void release_bh(struct nooks_domain *d, struct nooks_object *o)
{
	struct buffer_head *bh = (struct buffer_head *)o->addr;
	unsigned long n;

	for (n = o->aux; n; n--) {
		nooks_ungrant_range(d, bh->b_data, BLOCK_SIZE);
		brelse(bh);
	}
}

/* ---- network services ---- */

struct svc_rec {
	struct net_service ksvc;	/* what the kernel links and polls */
	struct net_service *ext;	/* the driver's */
	struct nooks_domain *d;
	u32 generation;
	unsigned long base;		/* requests of earlier instances */
	char name[32];
};

/* svc_live - may the shadow's driver be called? */
static bool svc_live(const struct svc_rec *r)
{
	return r->d->generation == r->generation && r->d->state == NOOKS_RUNNING;
}

/* nooks_svc_poll - the kernel's poll: XPC to the driver's poll(its svc),
 * then its request counter copied back. */
static int nooks_svc_poll(struct net_service *svc)
{
	struct svc_rec *r = (struct svc_rec *)svc;
	u32 a[1] = { (u32)r->ext };
	int ret;

	if (!svc_live(r))
		return 0;
	ret = nooks_driver_callv(r->d, (void *)r->ext->poll, 1, a);
	if (svc_live(r))
		r->ksvc.requests = r->base + r->ext->requests;
	return ret < 0 ? 0 : ret;
}

/* nooks_wrap_register_net_service - register a kernel-owned shadow of svc. */
int nooks_wrap_register_net_service(struct net_service *svc)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct net_service *old;
	struct svc_rec *r;
	int err;

	if (!d)
		return register_net_service(svc);
	if (!svc || !nooks_domain_writable(d, (unsigned long)svc) || !svc->name || !svc->poll) {
		nooks_check_failed(d, "register_net_service of a bad service");
		return -EINVAL;
	}
	old = net_service_find(svc->name);
	if (old && old->poll == nooks_svc_poll && ((struct svc_rec *)old)->d == d &&
	    !svc_live((struct svc_rec *)old)) {
		r = (struct svc_rec *)old;	/* a recovered instance's: take it over */
		r->ext = svc;
		r->generation = d->generation;
		r->base = r->ksvc.requests - svc->requests;
		nooks_track(d, svc_type, (unsigned long)svc, sizeof(*svc), (unsigned long)r);
		return 0;
	}
	r = nooks_meta_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ext = svc;
	r->d = d;
	r->generation = d->generation;
	strlcpy(r->name, svc->name, sizeof(r->name));
	r->ksvc.name = r->name;
	r->ksvc.poll = nooks_svc_poll;
	r->ksvc.requests = svc->requests;
	err = register_net_service(&r->ksvc);
	if (err) {
		nooks_meta_free(r);
		return err;
	}
	nooks_track(d, svc_type, (unsigned long)svc, sizeof(*svc), (unsigned long)r);
	return 0;
}

/* nooks_wrap_unregister_net_service - only a service the domain registered. */
int nooks_wrap_unregister_net_service(struct net_service *svc)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct svc_rec *r;
	int err;

	if (!d)
		return unregister_net_service(svc);
	o = nooks_object_find(d, svc_type, (unsigned long)svc);
	if (!o) {
		nooks_check_failed(d, "unregister_net_service of a service it did not register");
		return -EINVAL;
	}
	r = (struct svc_rec *)o->aux;
	nooks_untrack(d, svc_type, (unsigned long)svc);
	err = unregister_net_service(&r->ksvc);
	nooks_meta_free(r);
	return err;
}

/* release_svc - recovery: the shadow stays registered (the kernel may hold
 * it) and polls nothing until the reloaded driver takes it over. */
static void release_svc(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	((struct svc_rec *)o->aux)->generation = ~0u;
}

static const struct nooks_obj_type blkdev_obj = { "blkdev", release_blkdev, NULL, false, 1 };
static const struct nooks_obj_type bh_obj = { "buffer_head", release_bh, NULL, false, 1 };
static const struct nooks_obj_type svc_obj = { "net_service", release_svc, NULL, false, 1 };

/* nooks_blk_svc_wrappers_init - register the object types (boot). */
void nooks_blk_svc_wrappers_init(void)
{
	blkdev_type = nooks_obj_type_register(&blkdev_obj);
	svc_type = nooks_obj_type_register(&svc_obj);
	bh_type = nooks_obj_type_register(&bh_obj);
}
