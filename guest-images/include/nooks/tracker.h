/*
 * nooks/tracker.h - the object tracker (nooks/tracker.c).
 *
 * Every kernel object an extension holds (memory, IRQ lines, timers,
 * registered devices, DMA buffers, MMIO mappings, ...) is recorded in a
 * per-domain hash table keyed by (type, address).  Wrappers validate the
 * pointers an extension passes against it (nooks_object_valid) and recovery
 * releases everything left in it (nooks_release_all).
 *
 * Types are a table of struct nooks_obj_type; the built-in ones are below,
 * and wrappers add more with nooks_obj_type_register().  A type marked
 * late is released only after the extension has been reloaded (IRQ lines,
 * DMA memory: the device may still raise or write them).
 */
#ifndef _NOOKS_TRACKER_H
#define _NOOKS_TRACKER_H

#include <linux/types.h>

struct nooks_domain;

struct nooks_object {
	struct nooks_object *next;	/* hash chain */
	u32 type;
	unsigned long addr;
	unsigned long size;
	unsigned long aux;		/* type-specific (e.g. dev_id for an IRQ) */
};

struct nooks_obj_type {
	const char *name;
	/* release - give the object back on behalf of a failed domain. */
	void (*release)(struct nooks_domain *d, struct nooks_object *o);
	/* disable - optional: quiesce it before unwinding (IRQ: mask the line) */
	void (*disable)(struct nooks_domain *d, struct nooks_object *o);
	bool late;
	/* phase - release order within a pass, lowest first: objects that
	 * call back into the driver or live inside other objects (timers,
	 * task queues, skbs) go before their containers (devices, memory). */
	u8 phase;
};
#define NOOKS_RELEASE_PHASES 4

/* Built-in types (ids); nooks_obj_type_register hands out the rest. */
enum {
	NOOKS_OBJ_NONE = 0,
	NOOKS_OBJ_HEAP,			/* nooks_domain_alloc block */
	NOOKS_OBJ_KMEM,			/* kmalloc'ed kernel memory handed to it */
	NOOKS_OBJ_IRQ,			/* addr = irq, aux = dev_id; late */
	NOOKS_OBJ_DMA,			/* DMA-able pages; late */
	NOOKS_OBJ_MMIO,			/* an ioremap'ed device region */
	NOOKS_OBJ_NR_BUILTIN,
};
#define NOOKS_MAX_OBJ_TYPES 48
#define NOOKS_TRACKER_BUCKETS 64

struct nooks_tracker {
	struct nooks_object *bucket[NOOKS_TRACKER_BUCKETS];
	unsigned int count;
};

/* nooks_obj_type_register - a new type id (> 0), or -ENOSPC. */
int nooks_obj_type_register(const struct nooks_obj_type *t);
const struct nooks_obj_type *nooks_obj_type(u32 type);

/* nooks_tracker_init / _destroy - per-domain table (empty / freed, no release). */
int nooks_tracker_init(struct nooks_domain *d);
void nooks_tracker_destroy(struct nooks_domain *d);

/* nooks_track - record that d holds (type, addr); 0 or -ENOMEM / -EEXIST. */
int nooks_track(struct nooks_domain *d, u32 type, unsigned long addr, unsigned long size,
		unsigned long aux);
/* nooks_untrack - forget it (no release); -ENOENT if not tracked. */
int nooks_untrack(struct nooks_domain *d, u32 type, unsigned long addr);
/* nooks_object_find - the record, or NULL. */
struct nooks_object *nooks_object_find(struct nooks_domain *d, u32 type, unsigned long addr);
/* nooks_object_valid - does d hold an object of type containing ptr? */
bool nooks_object_valid(struct nooks_domain *d, u32 type, const void *ptr);
/* nooks_object_count - objects tracked for d (all types). */
unsigned int nooks_object_count(struct nooks_domain *d);

/* nooks_disable_all - call every object's disable hook (recovery step 2). */
void nooks_disable_all(struct nooks_domain *d);
/* nooks_release_all - release and forget every object whose type's late
 * flag equals late; returns how many. */
unsigned int nooks_release_all(struct nooks_domain *d, bool late);

/* nooks_tracker_detach - empty d's table, returning the records as one
 * chain; nooks_release_list releases and frees such a chain (recovery:
 * the late objects of the old instance, after the reload). */
struct nooks_object *nooks_tracker_detach(struct nooks_domain *d);
unsigned int nooks_release_list(struct nooks_domain *d, struct nooks_object *list);

#endif
