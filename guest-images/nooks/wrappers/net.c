/*
 * nooks/wrappers/net.c - wrappers for an isolated network driver: PCI
 * driver registration (probe/remove), net_device allocation, registration
 * and operations, socket buffers, MMIO (ioremap), DMA memory and task
 * queues.
 *
 * Memory the driver must write although the kernel allocated it is
 * granted to its domain with the page tracker: the net_device with its
 * priv area (while allocated), received skbs (until netif_rx/kfree_skb),
 * DMA rings (while allocated), struct pci_dev (during probe/remove).
 * ioremap'ed registers become a writable MMIO region of the domain.
 *
 * Function pointers the driver hands over are replaced by kernel wrappers
 * (nooks_pci_probe, nooks_ndo_*) that look up a record naming the domain and
 * the driver's function and make the XPC; a record whose domain failed or
 * was reloaded (generation) answers for the driver: open -ENODEV, xmit
 * drops the frame, get_stats returns zeroes.  Every object is tracked, so
 * recovery unregisters and frees all of it (DMA memory after the reload).
 */
#include <asm/io.h>
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tqueue.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

static int pcidrv_type, netdev_type, skb_type, consistent_type, tq_type;

/* ---- PCI drivers ---- */

struct pci_rec {
	struct pci_rec *next;
	struct pci_driver *drv;
	struct nooks_domain *d;
	u32 generation;
	int (*probe)(struct pci_dev *, const struct pci_device_id *);
	void (*remove)(struct pci_dev *);
};
static struct pci_rec *pci_recs;

/* live - may a callback recorded for (d, generation) run now? */
static bool live(struct nooks_domain *d, u32 generation)
{
	return d->generation == generation &&
	       (d->state == NOOKS_RUNNING || (d->state == NOOKS_RECOVERING && d->reloading));
}

/* pci_rec_of - the record of drv, or NULL. */
static struct pci_rec *pci_rec_of(struct pci_driver *drv)
{
	struct pci_rec *r;

	for (r = pci_recs; r; r = r->next)
		if (r->drv == drv)
			return r;
	return NULL;
}

/* nooks_pci_probe / nooks_pci_remove - what the PCI core calls. */
static int nooks_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pci_rec *r = pci_rec_of(pdev->driver);
	struct nooks_xpc_obj o = { .ptr = pdev, .size = sizeof(*pdev), .flags = NOOKS_OBJ_GRANT };
	u32 a[2] = { (u32)pdev, (u32)id };

	if (!r || !live(r->d, r->generation) || !r->probe)
		return -ENODEV;
	return nooks_driver_call_objs(r->d, (void *)r->probe, 2, a, &o, 1);
}

/* nooks_pci_remove - remove through an XPC, pci_dev granted (nothing if gone). */
static void nooks_pci_remove(struct pci_dev *pdev)
{
	struct pci_rec *r = pci_rec_of(pdev->driver);
	struct nooks_xpc_obj o = { .ptr = pdev, .size = sizeof(*pdev), .flags = NOOKS_OBJ_GRANT };
	u32 a[1] = { (u32)pdev };

	if (r && live(r->d, r->generation) && r->remove)
		nooks_driver_call_objs(r->d, (void *)r->remove, 1, a, &o, 1);
}

/* wrap_pci_driver - record drv for d and point it at the wrappers. */
static int wrap_pci_driver(struct nooks_domain *d, struct pci_driver *drv)
{
	struct pci_rec *r = pci_rec_of(drv);

	if (!r) {
		r = nooks_meta_zalloc(sizeof(*r));
		if (!r)
			return -ENOMEM;
		r->drv = drv;
		r->next = pci_recs;
		pci_recs = r;
	}
	r->d = d;
	r->generation = d->generation;
	r->probe = drv->probe;
	r->remove = drv->remove;
	drv->probe = drv->probe ? nooks_pci_probe : NULL;
	drv->remove = drv->remove ? nooks_pci_remove : NULL;
	nooks_track(d, pcidrv_type, (unsigned long)drv, sizeof(*drv), 0);
	return 0;
}

/* nooks_wrap_pci_register_driver / pci_module_init / pci_unregister_driver */
int nooks_wrap_pci_register_driver(struct pci_driver *drv)
{
	struct nooks_domain *d = nooks_caller_domain();
	int err;

	if (d && (err = wrap_pci_driver(d, drv)))
		return err;
	return pci_register_driver(drv);
}

/* nooks_wrap_pci_module_init - pci_module_init with the driver wrapped. */
int nooks_wrap_pci_module_init(struct pci_driver *drv)
{
	struct nooks_domain *d = nooks_caller_domain();
	int err;

	if (d && (err = wrap_pci_driver(d, drv)))
		return err;
	return pci_module_init(drv);
}

/* nooks_wrap_pci_unregister_driver - only a driver the domain registered. */
void nooks_wrap_pci_unregister_driver(struct pci_driver *drv)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && nooks_untrack(d, pcidrv_type, (unsigned long)drv)) {
		nooks_check_failed(d, "pci_unregister_driver of a driver it did not register");
		return;
	}
	pci_unregister_driver(drv);
}

/* release_pcidrv - recovery: unbind (remove is not called into the
 * failed domain). */
static void release_pcidrv(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	pci_unregister_driver((struct pci_driver *)o->addr);
}

/* ---- net devices ---- */

struct netdev_rec {
	struct netdev_rec *next;
	struct net_device *dev;
	struct nooks_domain *d;
	u32 generation;
	unsigned long size;		/* bytes granted: the struct and priv */
	bool registered;
	int (*init)(struct net_device *);
	int (*open)(struct net_device *);
	int (*stop)(struct net_device *);
	int (*hard_start_xmit)(struct sk_buff *, struct net_device *);
	struct net_device_stats *(*get_stats)(struct net_device *);
	void (*set_multicast_list)(struct net_device *);
	void (*tx_timeout)(struct net_device *);
	int (*change_mtu)(struct net_device *, int);
	struct net_device_stats zero_stats;
};
static struct netdev_rec *netdev_recs;

/* netdev_rec_of - the record of dev, or NULL. */
static struct netdev_rec *netdev_rec_of(struct net_device *dev)
{
	struct netdev_rec *r;

	for (r = netdev_recs; r; r = r->next)
		if (r->dev == dev)
			return r;
	return NULL;
}

/* ndo_call - XPC to one of the driver's net_device functions, or err if
 * the driver is gone. */
static int ndo_call(struct net_device *dev, size_t off, int nargs, u32 a0, u32 a1, int err)
{
	struct netdev_rec *r = netdev_rec_of(dev);
	void *fn = r ? *(void **)((char *)r + off) : NULL;
	u32 a[2] = { a0, a1 };

	if (!r || !fn || !live(r->d, r->generation))
		return err;
	return nooks_driver_callv(r->d, fn, nargs, a);
}

#define NDO(field) offsetof(struct netdev_rec, field)

/* nooks_ndo_* - the net_device operations the kernel really calls. */
static int nooks_ndo_init(struct net_device *dev)
{
	return ndo_call(dev, NDO(init), 1, (u32)dev, 0, -ENODEV);
}

/* nooks_ndo_open - open through an XPC; -ENODEV if the driver is gone. */
static int nooks_ndo_open(struct net_device *dev)
{
	return ndo_call(dev, NDO(open), 1, (u32)dev, 0, -ENODEV);
}

/* nooks_ndo_stop - stop through an XPC; 0 if the driver is gone. */
static int nooks_ndo_stop(struct net_device *dev)
{
	return ndo_call(dev, NDO(stop), 1, (u32)dev, 0, 0);
}

/* nooks_ndo_xmit - hard_start_xmit through an XPC, skb tracked (so the
 * driver may free it); a gone driver drops the frame. */
static int nooks_ndo_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netdev_rec *r = netdev_rec_of(dev);
	u32 a[2] = { (u32)skb, (u32)dev };
	struct nooks_domain *d;
	int ret;

	if (!r || !live(r->d, r->generation)) {
		kfree_skb(skb);			/* the driver is gone: drop */
		return 0;
	}
	d = r->d;		/* r may be freed by a recovery inside the call */
	nooks_track(d, skb_type, (unsigned long)skb, sizeof(*skb), 0);
	/* the skb is only read by a driver sending it: no grant (a granted
	 * page would also expose the kernel objects sharing it) */
	ret = nooks_driver_callv(d, (void *)r->hard_start_xmit, 2, a);
	if (ret > 0) {		/* busy: the kernel keeps the skb ... */
		if (nooks_untrack(d, skb_type, (unsigned long)skb))
			return 0;	/* ... unless the driver freed it anyway */
		return ret;
	}
	/* refused before the call: drop it here; if the driver failed inside,
	 * recovery already released it with the domain's other objects */
	if (ret < 0 && !nooks_untrack(d, skb_type, (unsigned long)skb))
		kfree_skb(skb);
	return 0;
}

/* nooks_ndo_get_stats - the driver's counters, or zeroes if it is gone. */
static struct net_device_stats *nooks_ndo_get_stats(struct net_device *dev)
{
	struct netdev_rec *r = netdev_rec_of(dev);
	int ret;

	if (!r)
		return NULL;
	ret = ndo_call(dev, NDO(get_stats), 1, (u32)dev, 0, 0);
	if (ret == 0 || (ret < 0 && ret > -4096))
		return &r->zero_stats;
	return (struct net_device_stats *)ret;
}

/* nooks_ndo_set_multicast_list - through an XPC. */
static void nooks_ndo_set_multicast_list(struct net_device *dev)
{
	ndo_call(dev, NDO(set_multicast_list), 1, (u32)dev, 0, 0);
}

/* nooks_ndo_tx_timeout - through an XPC. */
static void nooks_ndo_tx_timeout(struct net_device *dev)
{
	ndo_call(dev, NDO(tx_timeout), 1, (u32)dev, 0, 0);
}

/* nooks_ndo_change_mtu - through an XPC; -ENODEV if the driver is gone. */
static int nooks_ndo_change_mtu(struct net_device *dev, int mtu)
{
	return ndo_call(dev, NDO(change_mtu), 2, (u32)dev, (u32)mtu, -ENODEV);
}

/* nooks_wrap_alloc_etherdev - the device and its priv area are granted to
 * the domain while allocated. */
struct net_device *nooks_wrap_alloc_etherdev(int sizeof_priv)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct net_device *dev = alloc_etherdev(sizeof_priv);
	struct netdev_rec *r;

	if (!d || !dev)
		return dev;
	r = nooks_meta_zalloc(sizeof(*r));
	if (!r) {
		free_netdev(dev);
		return NULL;
	}
	r->dev = dev;
	r->d = d;
	r->generation = d->generation;
	r->size = dev->priv ? (unsigned long)((char *)dev->priv - (char *)dev) + sizeof_priv
			    : sizeof(*dev);
	if (nooks_grant_range(d, dev, r->size)) {
		nooks_meta_free(r);
		free_netdev(dev);
		return NULL;
	}
	r->next = netdev_recs;
	netdev_recs = r;
	nooks_track(d, netdev_type, (unsigned long)dev, r->size, (unsigned long)r);
	return dev;
}

/*
 * netdev_sync - after every call into d (its sync hook): the net_device is
 * writable by the driver, but the kernel calls through its operations, so
 * put our wrappers back wherever the driver changed them.  (A driver that
 * installs a new operation after registering gets it ignored: best effort.)
 */
static void netdev_sync(struct nooks_domain *d)
{
	struct netdev_rec *r;
	struct net_device *dev;

	for (r = netdev_recs; r; r = r->next) {
		if (r->d != d || !r->registered)
			continue;
		dev = r->dev;
#define FIX(field, wrapper) do { if (dev->field != (r->field ? wrapper : NULL)) \
		dev->field = r->field ? wrapper : NULL; } while (0)
		FIX(init, nooks_ndo_init);
		FIX(open, nooks_ndo_open);
		FIX(stop, nooks_ndo_stop);
		FIX(hard_start_xmit, nooks_ndo_xmit);
		FIX(get_stats, nooks_ndo_get_stats);
		FIX(set_multicast_list, nooks_ndo_set_multicast_list);
		FIX(tx_timeout, nooks_ndo_tx_timeout);
		FIX(change_mtu, nooks_ndo_change_mtu);
#undef FIX
	}
}

/* nooks_wrap_register_netdev - swap the driver's operations for ours. */
int nooks_wrap_register_netdev(struct net_device *dev)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct netdev_rec *r;
	int err;

	if (!d)
		return register_netdev(dev);
	r = netdev_rec_of(dev);
	if (!r || r->d != d || !nooks_object_find(d, netdev_type, (unsigned long)dev)) {
		nooks_check_failed(d, "register_netdev of a device it did not allocate");
		return -EINVAL;
	}
#define SWAP(field, wrapper) do { r->field = dev->field; \
		dev->field = dev->field ? wrapper : NULL; } while (0)
	SWAP(init, nooks_ndo_init);
	SWAP(open, nooks_ndo_open);
	SWAP(stop, nooks_ndo_stop);
	SWAP(hard_start_xmit, nooks_ndo_xmit);
	SWAP(get_stats, nooks_ndo_get_stats);
	SWAP(set_multicast_list, nooks_ndo_set_multicast_list);
	SWAP(tx_timeout, nooks_ndo_tx_timeout);
	SWAP(change_mtu, nooks_ndo_change_mtu);
#undef SWAP
	err = register_netdev(dev);
	r->registered = !err;
	if (!err)
		d->sync = netdev_sync;
	return err;
}

/* nooks_wrap_unregister_netdev / free_netdev */
void nooks_wrap_unregister_netdev(struct net_device *dev)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct netdev_rec *r = netdev_rec_of(dev);

	if (d && (!r || r->d != d)) {
		nooks_check_failed(d, "unregister_netdev of a device it does not hold");
		return;
	}
	unregister_netdev(dev);
	if (r)
		r->registered = false;
}

/* forget_netdev - drop dev's record and grant, free it. */
static void forget_netdev(struct netdev_rec *r)
{
	struct netdev_rec **p;

	for (p = &netdev_recs; *p; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			break;
		}
	nooks_ungrant_range(r->d, r->dev, r->size);
	free_netdev(r->dev);
	nooks_meta_free(r);
}

/* nooks_wrap_free_netdev - only a device the domain allocated. */
void nooks_wrap_free_netdev(struct net_device *dev)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct netdev_rec *r = netdev_rec_of(dev);

	if (!d) {
		free_netdev(dev);
		return;
	}
	if (!r || r->d != d || nooks_untrack(d, netdev_type, (unsigned long)dev)) {
		nooks_check_failed(d, "free_netdev of a device it does not hold");
		return;
	}
	forget_netdev(r);
}

/* release_netdev - recovery: unregister (stop is not called into the
 * failed domain) and free. */
static void release_netdev(struct nooks_domain *d, struct nooks_object *o)
{
	struct netdev_rec *r = (struct netdev_rec *)o->aux;

	(void)d;
	if (r->registered)
		unregister_netdev(r->dev);
	forget_netdev(r);
}

/* ---- socket buffers ---- */

/* grant_skb - the skb and its buffer, writable in d; tracked. */
static struct sk_buff *grant_skb(struct nooks_domain *d, struct sk_buff *skb)
{
	if (!skb)
		return NULL;
	if (nooks_grant_range(d, skb, sizeof(*skb)) ||
	    nooks_grant_range(d, skb->head, skb->end - skb->head) ||
	    nooks_track(d, skb_type, (unsigned long)skb, sizeof(*skb), 1)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/* ungrant_skb - take a tracked skb back from d (false: it does not hold it). */
static bool ungrant_skb(struct nooks_domain *d, struct sk_buff *skb)
{
	struct nooks_object *o = nooks_object_find(d, skb_type, (unsigned long)skb);

	if (!o)
		return false;
	if (o->aux) {
		nooks_ungrant_range(d, skb, sizeof(*skb));
		nooks_ungrant_range(d, skb->head, skb->end - skb->head);
	}
	nooks_untrack(d, skb_type, (unsigned long)skb);
	return true;
}

/* nooks_wrap_alloc_skb - alloc_skb, granted to and tracked for the domain. */
struct sk_buff *nooks_wrap_alloc_skb(unsigned int size, int gfp)
{
	struct nooks_domain *d = nooks_caller_domain();

	return d ? grant_skb(d, alloc_skb(size, gfp)) : alloc_skb(size, gfp);
}

/* nooks_wrap_dev_alloc_skb - dev_alloc_skb, granted and tracked. */
struct sk_buff *nooks_wrap_dev_alloc_skb(unsigned int len)
{
	struct nooks_domain *d = nooks_caller_domain();

	return d ? grant_skb(d, dev_alloc_skb(len)) : dev_alloc_skb(len);
}

/* nooks_wrap_kfree_skb - the skb must be one the domain holds. */
void nooks_wrap_kfree_skb(struct sk_buff *skb)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && skb && !ungrant_skb(d, skb)) {
		nooks_check_failed(d, "kfree_skb of an skb it does not hold");
		return;
	}
	kfree_skb(skb);
}

/* nooks_wrap_netif_rx - hand a received skb (held by the domain) up. */
int nooks_wrap_netif_rx(struct sk_buff *skb)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !ungrant_skb(d, skb)) {
		nooks_check_failed(d, "netif_rx of an skb it does not hold");
		return NET_RX_DROP;
	}
	return netif_rx(skb);
}

/* netif_rx_from - the kernel half of a batched netif_rx: run when the
 * driver call that queued it returns (xpc_drain_to_kernel). */
static int netif_rx_from(struct nooks_domain *d, struct sk_buff *skb)
{
	if (!ungrant_skb(d, skb)) {
		nooks_check_failed(d, "netif_rx of an skb it does not hold");
		return NET_RX_DROP;
	}
	return netif_rx(skb);
}

/*
 * nooks_netif_rx_batched - what an isolated driver's netif_rx import is
 * bound to directly (nooks/module.c): it runs INSIDE the domain and only
 * queues the packet on the domain's deferred-call page, so a burst of
 * received frames costs no crossing; the kernel hands them up when the
 * driver call (the interrupt handler) returns.  A full queue falls back to
 * an XPC.
 */
int nooks_netif_rx_batched(struct sk_buff *skb)
{
	struct nooks_domain *d = nooks_current_domain;

	if (d && !nooks_defer_kernel_call((void *)netif_rx_from, 2, d, skb))
		return NET_RX_SUCCESS;
	return nooks_kernel_call((void *)nooks_wrap_netif_rx, 1, skb);
}

/* held_skb - does d hold skb?  Fails the check if not. */
static bool held_skb(struct nooks_domain *d, struct sk_buff *skb, const char *why)
{
	if (nooks_object_find(d, skb_type, (unsigned long)skb))
		return true;
	nooks_check_failed(d, why);
	return false;
}

/* nooks_wrap_skb_put / skb_push / skb_pull / skb_trim / eth_type_trans -
 * the kernel skb helpers, only on an skb the domain holds. */
unsigned char *nooks_wrap_skb_put(struct sk_buff *skb, unsigned int len)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !held_skb(d, skb, "skb_put on an skb it does not hold"))
		return NULL;
	if (d && len > (unsigned int)skb_tailroom(skb)) {
		nooks_check_failed(d, "skb_put past the end of the buffer");
		return NULL;
	}
	return skb_put(skb, len);
}

unsigned char *nooks_wrap_skb_push(struct sk_buff *skb, unsigned int len)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !held_skb(d, skb, "skb_push on an skb it does not hold"))
		return NULL;
	if (d && len > skb_headroom(skb)) {
		nooks_check_failed(d, "skb_push before the start of the buffer");
		return NULL;
	}
	return skb_push(skb, len);
}

unsigned char *nooks_wrap_skb_pull(struct sk_buff *skb, unsigned int len)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !held_skb(d, skb, "skb_pull on an skb it does not hold"))
		return NULL;
	if (d && len > skb->len) {
		nooks_check_failed(d, "skb_pull past the end of the data");
		return NULL;
	}
	return skb_pull(skb, len);
}

void nooks_wrap_skb_trim(struct sk_buff *skb, unsigned int len)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !held_skb(d, skb, "skb_trim on an skb it does not hold"))
		return;
	skb_trim(skb, len);
}

unsigned short nooks_wrap_eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct netdev_rec *r;

	if (d) {
		if (!held_skb(d, skb, "eth_type_trans on an skb it does not hold"))
			return 0;
		r = netdev_rec_of(dev);
		if (!r || r->d != d) {
			nooks_check_failed(d, "eth_type_trans for a device it does not hold");
			return 0;
		}
	}
	return eth_type_trans(skb, dev);
}

/* own_pdev - is pdev bound to a PCI driver d registered?  Fails the check if not. */
static bool own_pdev(struct nooks_domain *d, struct pci_dev *pdev)
{
	struct pci_dev *p = NULL;
	struct pci_rec *r;

	/* pdev must be a real device (found by the PCI core), bound to d */
	while ((p = pci_find_device(PCI_ANY_ID, PCI_ANY_ID, p)))
		if (p == pdev)
			break;
	r = p ? pci_rec_of(p->driver) : NULL;
	if (r && r->d == d)
		return true;
	nooks_check_failed(d, "PCI call on a device it is not bound to");
	return false;
}

/* nooks_wrap_pci_enable_device / pci_disable_device / pci_set_master -
 * only on the domain's own device. */
int nooks_wrap_pci_enable_device(struct pci_dev *pdev)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !own_pdev(d, pdev))
		return -ENODEV;
	return pci_enable_device(pdev);
}

void nooks_wrap_pci_disable_device(struct pci_dev *pdev)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !own_pdev(d, pdev))
		return;
	pci_disable_device(pdev);
}

void nooks_wrap_pci_set_master(struct pci_dev *pdev)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !own_pdev(d, pdev))
		return;
	pci_set_master(pdev);
}

/* release_skb - recovery: free an skb the failed driver held. */
static void release_skb(struct nooks_domain *d, struct nooks_object *o)
{
	struct sk_buff *skb = (struct sk_buff *)o->addr;

	if (o->aux) {
		nooks_ungrant_range(d, skb, sizeof(*skb));
		nooks_ungrant_range(d, skb->head, skb->end - skb->head);
	}
	kfree_skb(skb);
}

/* ---- MMIO and DMA memory ---- */

/* nooks_wrap_ioremap - map, and make the registers writable in the domain. */
void *nooks_wrap_ioremap(unsigned long phys, unsigned long size)
{
	struct nooks_domain *d = nooks_caller_domain();
	void *va = ioremap(phys, size);

	if (!d || !va)
		return va;
	if (nooks_domain_add_region(d, (unsigned long)va, size, NOOKS_REGION_MMIO)) {
		iounmap(va);
		return NULL;
	}
	nooks_track(d, NOOKS_OBJ_MMIO, (unsigned long)va, size, 1);
	return va;
}

/* nooks_wrap_iounmap - only a mapping the domain made. */
void nooks_wrap_iounmap(void *va)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && nooks_untrack(d, NOOKS_OBJ_MMIO, (unsigned long)va)) {
		nooks_check_failed(d, "iounmap of a mapping it does not hold");
		return;
	}
	iounmap(va);
}

struct consistent_rec {
	struct pci_dev *pdev;
	dma_addr_t dma;
};

/* nooks_wrap_pci_alloc_consistent - DMA memory, granted while allocated,
 * released only after a reload (the device may still write it). */
void *nooks_wrap_pci_alloc_consistent(struct pci_dev *pdev, size_t size, dma_addr_t *dma)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct consistent_rec *c;
	void *p = pci_alloc_consistent(pdev, size, dma);

	if (!d || !p)
		return p;
	c = nooks_meta_zalloc(sizeof(*c));
	if (!c || nooks_grant_range(d, p, size)) {
		nooks_meta_free(c);
		pci_free_consistent(pdev, size, p, *dma);
		return NULL;
	}
	c->pdev = pdev;
	c->dma = *dma;
	nooks_track(d, consistent_type, (unsigned long)p, size, (unsigned long)c);
	return p;
}

/* nooks_wrap_pci_free_consistent - only DMA memory the domain holds. */
void nooks_wrap_pci_free_consistent(struct pci_dev *pdev, size_t size, void *p, dma_addr_t dma)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;

	if (d) {
		o = nooks_object_find(d, consistent_type, (unsigned long)p);
		if (!o) {
			nooks_check_failed(d, "pci_free_consistent of memory it does not hold");
			return;
		}
		nooks_meta_free((void *)o->aux);
		nooks_untrack(d, consistent_type, (unsigned long)p);
		nooks_ungrant_range(d, p, size);
	}
	pci_free_consistent(pdev, size, p, dma);
}

/* release_consistent - after the reload: free the old DMA memory. */
static void release_consistent(struct nooks_domain *d, struct nooks_object *o)
{
	struct consistent_rec *c = (struct consistent_rec *)o->aux;

	(void)d;			/* its grants went with the old domain tables */
	pci_free_consistent(c->pdev, o->size, (void *)o->addr, c->dma);
	nooks_meta_free(c);
}

/* ---- task queues ---- */

/* Task queues: like timers (irq_timer.c), the kernel queues a kernel-owned
 * shadow of the driver's tq_struct; running it makes the XPC. */
struct tq_shadow {
	struct tq_struct ktq;
	struct tq_struct *ext;
	struct nooks_domain *d;
	u32 generation;
};

/* tq_shadow_fn - the driver's routine(data), in its domain. */
static void tq_shadow_fn(void *data)
{
	struct tq_shadow *sh = data;

	if (live(sh->d, sh->generation))
		nooks_driver_call(sh->d, (void *)sh->ext->routine, 1, sh->ext->data);
}

/* nooks_wrap_schedule_task - queue the shadow of tq (tq must be the
 * domain's memory). */
int nooks_wrap_schedule_task(struct tq_struct *tq)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct tq_shadow *sh;

	if (!d)
		return schedule_task(tq);
	o = nooks_object_find(d, tq_type, (unsigned long)tq);
	if (o) {
		sh = (struct tq_shadow *)o->aux;
	} else {
		if (!nooks_domain_writable(d, (unsigned long)tq) ||
		    !nooks_domain_writable(d, (unsigned long)tq + sizeof(*tq) - 1)) {
			nooks_check_failed(d, "schedule_task outside the extension's memory");
			return 0;
		}
		sh = nooks_meta_zalloc(sizeof(*sh));
		if (!sh)
			return 0;
		INIT_TQUEUE(&sh->ktq, tq_shadow_fn, sh);
		sh->ext = tq;
		sh->d = d;
		sh->generation = d->generation;
		if (nooks_track(d, tq_type, (unsigned long)tq, sizeof(*tq), (unsigned long)sh)) {
			nooks_meta_free(sh);
			return 0;
		}
	}
	return schedule_task(&sh->ktq);
}

/* nooks_wrap_cancel_task - only a task the domain scheduled (else 0). */
int nooks_wrap_cancel_task(struct tq_struct *tq)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;

	if (!d)
		return cancel_task(tq);
	o = nooks_object_find(d, tq_type, (unsigned long)tq);
	return o ? cancel_task(&((struct tq_shadow *)o->aux)->ktq) : 0;
}

/* release_tq - recovery: unqueue the failed driver's task. */
static void release_tq(struct nooks_domain *d, struct nooks_object *o)
{
	struct tq_shadow *sh = (struct tq_shadow *)o->aux;

	(void)d;
	cancel_task(&sh->ktq);
	nooks_meta_free(sh);
}

/* nooks_wrap_panic - an extension's panic fails its domain instead. */
void nooks_wrap_panic(const char *fmt)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (!d)
		panic("%s", fmt);
	printk("nooks: domain=%s called panic: %s\n", d->full_name, fmt);
	nooks_check_failed(d, "panic");
}

static const struct nooks_obj_type pcidrv_obj = { "pci_driver", release_pcidrv, NULL, false, 1 };
static const struct nooks_obj_type netdev_obj = { "net_device", release_netdev, NULL, false, 2 };
static const struct nooks_obj_type skb_obj = { "sk_buff", release_skb, NULL, false, 1 };
static const struct nooks_obj_type consistent_obj = { "dma", release_consistent, NULL, true, 1 };
static const struct nooks_obj_type tq_obj = { "tq_struct", release_tq, NULL, false, 0 };

/* nooks_net_wrappers_init - register the object types (boot). */
void nooks_net_wrappers_init(void)
{
	pcidrv_type = nooks_obj_type_register(&pcidrv_obj);
	netdev_type = nooks_obj_type_register(&netdev_obj);
	skb_type = nooks_obj_type_register(&skb_obj);
	consistent_type = nooks_obj_type_register(&consistent_obj);
	tq_type = nooks_obj_type_register(&tq_obj);
}
