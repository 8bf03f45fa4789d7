/*
 * nooks/tracker.c - the object tracker (nooks/tracker.h): a per-domain
 * hash table of the kernel objects an extension holds, an extensible table
 * of object types with their release functions, and release-all for
 * recovery.  Runs in the kernel domain only (wrappers, recovery).
 */
#include <asm/io.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nooks/nooks.h>

/* release_heap - a domain heap block: back to the domain heap. */
static void release_heap(struct nooks_domain *d, struct nooks_object *o)
{
	nooks_domain_free(d, (void *)o->addr);
}

/* release_kmem - kernel memory handed to the extension. */
static void release_kmem(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	kfree((void *)o->addr);
}

/* disable_irq_obj / release_irq - mask the line at failure; free it (and
 * undo our disable) after the reload. */
static void disable_irq_obj(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	disable_irq(o->addr);
}

/* release_irq - free the line (record as dev_id) and undo our disable_irq. */
static void release_irq(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	free_irq(o->addr, (void *)o->aux);
	enable_irq(o->addr);
}

/* release_dma - DMA pages (aux = order), freed only after the reload. */
static void release_dma(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	free_pages(o->addr, o->aux);
}

/* release_mmio - an ioremap'ed window the wrapper mapped (aux 1): unmap. */
static void release_mmio(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	if (o->aux)
		iounmap((void *)o->addr);
}

/* release_none - nothing to give back. */
static void release_none(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	(void)o;
}

static const struct nooks_obj_type builtin_types[NOOKS_OBJ_NR_BUILTIN] = {
	[NOOKS_OBJ_NONE] = { "none", release_none, NULL, false, 0 },
	[NOOKS_OBJ_HEAP] = { "heap", release_heap, NULL, false, 3 },
	[NOOKS_OBJ_KMEM] = { "kmem", release_kmem, NULL, false, 3 },
	[NOOKS_OBJ_IRQ] = { "irq", release_irq, disable_irq_obj, true, 0 },
	[NOOKS_OBJ_DMA] = { "dma", release_dma, NULL, true, 1 },
	[NOOKS_OBJ_MMIO] = { "mmio", release_mmio, NULL, false, 2 },
};

static const struct nooks_obj_type *types[NOOKS_MAX_OBJ_TYPES] = {
	&builtin_types[0], &builtin_types[1], &builtin_types[2],
	&builtin_types[3], &builtin_types[4], &builtin_types[5],
};
static unsigned int nr_types = NOOKS_OBJ_NR_BUILTIN;

/* nooks_obj_type_register - see nooks/tracker.h. */
int nooks_obj_type_register(const struct nooks_obj_type *t)
{
	if (nr_types == NOOKS_MAX_OBJ_TYPES)
		return -ENOSPC;
	types[nr_types] = t;
	return (int)nr_types++;
}

/* nooks_obj_type - the type record for id type, or the "none" type. */
const struct nooks_obj_type *nooks_obj_type(u32 type)
{
	return type < nr_types ? types[type] : types[NOOKS_OBJ_NONE];
}

/* hash - bucket of (type, addr). */
static unsigned int hash(u32 type, unsigned long addr)
{
	return ((addr >> 4) ^ (addr >> 12) ^ (type * 31u)) % NOOKS_TRACKER_BUCKETS;
}

/* nooks_tracker_init - see nooks/tracker.h. */
int nooks_tracker_init(struct nooks_domain *d)
{
	d->tracker = nooks_meta_zalloc(sizeof(*d->tracker));
	return d->tracker ? 0 : -ENOMEM;
}

/* free_chain - free records without releasing the objects. */
static void free_chain(struct nooks_object *o)
{
	struct nooks_object *n;

	for (; o; o = n) {
		n = o->next;
		nooks_meta_free(o);
	}
}

/* nooks_tracker_destroy - see nooks/tracker.h. */
void nooks_tracker_destroy(struct nooks_domain *d)
{
	unsigned int b;

	if (!d->tracker)
		return;
	for (b = 0; b < NOOKS_TRACKER_BUCKETS; b++)
		free_chain(d->tracker->bucket[b]);
	nooks_meta_free(d->tracker);
	d->tracker = NULL;
}

/* nooks_track - see nooks/tracker.h. */
int nooks_track(struct nooks_domain *d, u32 type, unsigned long addr, unsigned long size,
		unsigned long aux)
{
	struct nooks_object *o;
	unsigned int b = hash(type, addr);

	if (!d->tracker)
		return -EINVAL;
	if (nooks_object_find(d, type, addr))
		return -EEXIST;
	o = nooks_meta_zalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->type = type;
	o->addr = addr;
	o->size = size;
	o->aux = aux;
	o->next = d->tracker->bucket[b];
	d->tracker->bucket[b] = o;
	d->tracker->count++;
	return 0;
}

/* nooks_object_find - see nooks/tracker.h. */
struct nooks_object *nooks_object_find(struct nooks_domain *d, u32 type, unsigned long addr)
{
	struct nooks_object *o;

	if (!d->tracker)
		return NULL;
	for (o = d->tracker->bucket[hash(type, addr)]; o; o = o->next)
		if (o->type == type && o->addr == addr)
			return o;
	return NULL;
}

/* nooks_untrack - see nooks/tracker.h. */
int nooks_untrack(struct nooks_domain *d, u32 type, unsigned long addr)
{
	struct nooks_object **p, *o;

	if (!d->tracker)
		return -ENOENT;
	for (p = &d->tracker->bucket[hash(type, addr)]; (o = *p); p = &o->next) {
		if (o->type == type && o->addr == addr) {
			*p = o->next;
			nooks_meta_free(o);
			d->tracker->count--;
			return 0;
		}
	}
	return -ENOENT;
}

/* nooks_object_valid - see nooks/tracker.h: the exact start first, then
 * any object of that type whose [addr, addr+size) contains ptr. */
bool nooks_object_valid(struct nooks_domain *d, u32 type, const void *ptr)
{
	unsigned long a = (unsigned long)ptr;
	struct nooks_object *o;
	unsigned int b;

	if (!d || !d->tracker)
		return false;
	if (nooks_object_find(d, type, a))
		return true;
	for (b = 0; b < NOOKS_TRACKER_BUCKETS; b++)
		for (o = d->tracker->bucket[b]; o; o = o->next)
			if (o->type == type && a >= o->addr && a - o->addr < o->size)
				return true;
	return false;
}

/* nooks_object_count - see nooks/tracker.h. */
unsigned int nooks_object_count(struct nooks_domain *d)
{
	return d->tracker ? d->tracker->count : 0;
}

/* nooks_disable_all - see nooks/tracker.h. */
void nooks_disable_all(struct nooks_domain *d)
{
	struct nooks_object *o;
	unsigned int b;

	if (!d->tracker)
		return;
	for (b = 0; b < NOOKS_TRACKER_BUCKETS; b++)
		for (o = d->tracker->bucket[b]; o; o = o->next)
			if (nooks_obj_type(o->type)->disable)
				nooks_obj_type(o->type)->disable(d, o);
}

/* release_pass - release and forget the objects of one phase whose late
 * flag matches; how many. */
static unsigned int release_pass(struct nooks_domain *d, bool late, u8 phase)
{
	struct nooks_object **p, *o;
	unsigned int b, n = 0;

	for (b = 0; b < NOOKS_TRACKER_BUCKETS; b++) {
		p = &d->tracker->bucket[b];
		while ((o = *p)) {
			const struct nooks_obj_type *t = nooks_obj_type(o->type);
			if (t->late != late || t->phase != phase) {
				p = &o->next;
				continue;
			}
			*p = o->next;
			d->tracker->count--;
			t->release(d, o);
			nooks_meta_free(o);
			n++;
		}
	}
	return n;
}

/* nooks_release_all - see nooks/tracker.h.  Phase by phase. */
unsigned int nooks_release_all(struct nooks_domain *d, bool late)
{
	unsigned int n = 0;
	u8 phase;

	if (!d->tracker)
		return 0;
	for (phase = 0; phase < NOOKS_RELEASE_PHASES; phase++)
		n += release_pass(d, late, phase);
	return n;
}

/* nooks_tracker_detach - take every record out of d's table (returned as
 * one chain) so objects of a reloaded instance are not mixed with them. */
struct nooks_object *nooks_tracker_detach(struct nooks_domain *d)
{
	struct nooks_object *list = NULL, *o, *n;
	unsigned int b;

	if (!d->tracker)
		return NULL;
	for (b = 0; b < NOOKS_TRACKER_BUCKETS; b++) {
		for (o = d->tracker->bucket[b]; o; o = n) {
			n = o->next;
			o->next = list;
			list = o;
		}
		d->tracker->bucket[b] = NULL;
	}
	d->tracker->count = 0;
	return list;
}

/* nooks_release_list - release and free a detached chain, phase by
 * phase; how many. */
unsigned int nooks_release_list(struct nooks_domain *d, struct nooks_object *list)
{
	struct nooks_object **p, *o;
	unsigned int count = 0;
	u8 phase;

	for (phase = 0; phase < NOOKS_RELEASE_PHASES; phase++) {
		p = &list;
		while ((o = *p)) {
			if (nooks_obj_type(o->type)->phase != phase) {
				p = &o->next;
				continue;
			}
			*p = o->next;
			nooks_obj_type(o->type)->release(d, o);
			nooks_meta_free(o);
			count++;
		}
	}
	while ((o = list)) {		/* phases out of range: last */
		list = o->next;
		nooks_obj_type(o->type)->release(d, o);
		nooks_meta_free(o);
		count++;
	}
	return count;
}
