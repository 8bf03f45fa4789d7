/*
 * nooks/domain.h - Nooks lightweight kernel protection domains
 * (nooks/domain.c).
 *
 * A domain is a synchronized copy of the kernel page table in which every
 * kernel page is READ-ONLY (CR0.WP makes that bind in ring 0) and the
 * domain's own memory is READ-WRITE: the extension's sections (regions), a
 * domain-local heap, a pool of stacks, device MMIO granted to it and kernel
 * buffers granted for the duration of one call.  Extensions run in ring 0
 * with the same segments; only CR3 differs.
 *
 * How a domain page directory is built from kernel_pgdir:
 *
 *   kernel PDE                      domain PDE
 *   ---------------------------     -------------------------------------------
 *   absent                          absent
 *   4 MiB page (PS)                 same page, R/W cleared  (read-only)
 *   page table T                    T itself, R/W cleared   (shared: every PTE
 *                                   change in T is seen by the domain at once)
 *   any, domain owns a page in it   a PRIVATE page table: the kernel entries
 *                                   with R/W cleared, the domain's own pages R/W
 *
 * A page is writable only if both the PDE and the PTE allow it, so a shared
 * table under a read-only PDE is read-only as a whole.  Kernel changes to
 * PDEs, and to PTEs covered by a private table, are copied by
 * nooks_sync_kernel_mapping() (called from kernel/mm/paging.c).
 *
 * Private PTEs use the three AVL bits to say whose page it is:
 *
 *   31                          12 11  10   9   8 ...  1   0
 *  +------------------------------+----+----+----+------+---+---+
 *  | physical frame               |FREE|GRNT|OWN | G..U |R/W| P |
 *  +------------------------------+----+----+----+------+---+---+
 *   OWN   the page belongs to the domain (section, heap, stack, MMIO)
 *   GRNT  a kernel page granted for the duration of a call (page tracker)
 *   FREE  a heap page the extension freed: kept mapped READ-ONLY until it
 *         is reused, so a use-after-free write page-faults
 *
 * Global pages: the kernel maps itself with PTE_G; a CR3 load would keep the
 * kernel's writable global TLB entries alive inside a domain.  nooks_init()
 * therefore turns CR4.PGE off: every CR3 load flushes the whole TLB, which
 * is exactly the cost Nooks paid on a Pentium 4.
 *
 * ---- The domain table, as the emulator's debugger reads it ----
 *
 * Symbols: nooks_domains (struct nooks_domain[NOOKS_MAX_DOMAINS]),
 * nooks_current_domain (struct nooks_domain *, 0 = the kernel),
 * nooks_kernel_cr3 (u32), nooks_stats (struct nooks_stats).
 * sizeof(struct nooks_domain) == NOOKS_DOMAIN_SIZE (1024).  Fixed prefix of
 * each entry, little-endian, never reordered:
 *
 *   off  size  field
 *   0x00  4    magic        NOOKS_DOMAIN_MAGIC (0x4b4f4f4e, "NOOK") if in use, else 0
 *   0x04  4    id           1..NOOKS_MAX_DOMAINS (slot index + 1)
 *   0x08  4    state        0 free, 1 running, 2 failed, 3 recovering, 4 disabled
 *   0x0c  4    cr3          physical address of the domain page directory
 *   0x10  16   name         NUL-terminated, cut to 15 characters
 *   0x20  4    xpc_in       kernel -> extension calls into this domain
 *   0x24  4    xpc_out      extension -> kernel calls out of this domain
 *   0x28  4    faults       failures detected
 *   0x2c  4    restarts     successful recoveries
 *   0x30  4    deferred_in  deferred calls run in the domain
 *   0x34  4    deferred_out deferred calls run for it in the kernel
 *   0x38  4    stack_lo     lowest address of the stack pool blocks ...
 *   0x3c  4    stack_hi     ... and one past the highest (not contiguous)
 *   0x40  ...  private to the kernel
 */
#ifndef _NOOKS_DOMAIN_H
#define _NOOKS_DOMAIN_H

#include <asm/pgtable.h>
#include <linux/tqueue.h>
#include <linux/types.h>

#define NOOKS_MAX_DOMAINS 8
#define NOOKS_DOMAIN_SIZE 1024
#define NOOKS_DOMAIN_MAGIC 0x4b4f4f4eu
#define NOOKS_NAME_LEN 16

#define NOOKS_PTE_OWN 0x200u
#define NOOKS_PTE_GRANT 0x400u
#define NOOKS_PTE_FREE 0x800u
#define NOOKS_PTE_MINE (NOOKS_PTE_OWN | NOOKS_PTE_GRANT | NOOKS_PTE_FREE)

#define NOOKS_STACK_ORDER 2			/* 16 KiB per stack */
#define NOOKS_STACK_SIZE (PAGE_SIZE << NOOKS_STACK_ORDER)
#define NOOKS_NR_STACKS 4
#define NOOKS_MAX_REGIONS 8
#define NOOKS_HEAP_QUARANTINE 8			/* freed blocks kept RO before reuse */

enum nooks_domain_state {
	NOOKS_FREE = 0,
	NOOKS_RUNNING = 1,
	NOOKS_FAILED = 2,
	NOOKS_RECOVERING = 3,
	NOOKS_DISABLED = 4,
};

struct nooks_domain;

#define NOOKS_RELOAD_UNLOADING 1

/* What the recovery manager asks of whoever owns the extension. */
struct nooks_domain_ops {
	/* reload - put a fresh copy of the extension into the (reset) domain
	 * and re-initialise it; 0, -errno, or NOOKS_RELOAD_UNLOADING when the
	 * extension is being unloaded (the failure hit its removal, which then
	 * simply completes: there is nothing to restart). */
	int (*reload)(struct nooks_domain *d);
};

/* A range of memory the domain may write: a section, MMIO, a heap block. */
struct nooks_region {
	unsigned long start, size;
	u32 kind;			/* NOOKS_REGION_* */
};
#define NOOKS_REGION_SECTION 1
#define NOOKS_REGION_MMIO 2

/* One page-granular heap block (kept on d->heap). */
struct nooks_heap_block {
	struct nooks_heap_block *next;
	unsigned long addr;
	unsigned int order;
	bool free;
	unsigned long freed_seq;	/* for FIFO reuse after quarantine */
};

struct nooks_defer_area;		/* nooks/xpc.h */
struct nooks_tracker;			/* nooks/tracker.h */

struct nooks_domain {
	/* ---- fixed prefix: read by the emulator (layout above) ---- */
	u32 magic;
	u32 id;
	u32 state;
	u32 cr3;
	char name[NOOKS_NAME_LEN];
	u32 xpc_in, xpc_out;
	u32 faults, restarts;
	u32 deferred_in, deferred_out;
	u32 stack_lo, stack_hi;
	/* ---- private ---- */
	pde_t *pgdir;
	u32 private_pt[PTRS_PER_PGD / 32];	/* bitmap: PDX with a private table */
	unsigned long stacks[NOOKS_NR_STACKS];	/* base of each stack block */
	struct nooks_region regions[NOOKS_MAX_REGIONS];
	unsigned int nr_regions;
	struct nooks_heap_block *heap;
	unsigned long heap_seq;
	u16 **grant_count;			/* [PDX] -> u16[1024] grant counts, lazily */
	struct nooks_defer_area *defer;		/* one domain-writable page */
	struct nooks_tracker *tracker;
	const struct nooks_domain_ops *ops;
	void *owner;				/* e.g. the struct module */
	unsigned int active_calls;		/* XPC frames into the domain on the chain */
	unsigned long timeout_ticks;		/* livelock limit for one call, 0 = none */
	unsigned int max_restarts;		/* restart policy: at most this many ... */
	unsigned long restart_window;		/* ... within this many ticks */
	unsigned long restart_times[8];		/* jiffies of the last restarts */
	u32 last_vector, last_eip, last_cr2;	/* the last failure */
	const char *last_why;
	u32 generation;				/* +1 at every reset: stale callbacks check it */
	/* sync - after every call into the domain: re-check the kernel
	 * objects it may write (set by wrappers, e.g. net_device ops) */
	void (*sync)(struct nooks_domain *d);
	char full_name[32];			/* name is cut to 15 characters */
	bool in_recovery;			/* nooks_recover is running */
	bool reloading;				/* ... and is reloading: calls allowed */
	struct tq_struct recover_tq;		/* recovery deferred out of interrupt context */
	u8 *thunks;				/* page of import/export thunks (nooks/module.c) */
	unsigned int nr_thunks;
} __aligned(NOOKS_DOMAIN_SIZE);

extern struct nooks_domain nooks_domains[NOOKS_MAX_DOMAINS];
extern struct nooks_domain *nooks_current_domain;
extern u32 nooks_kernel_cr3;

/* nooks_init - one-time setup (PGE off, kernel CR3); idempotent. */
void nooks_init(void);

/*
 * nooks_domain_create - a new RUNNING domain named name with a page
 * directory, a stack pool and a deferred-call page; NULL if out of slots
 * or memory.  ops may be NULL (no reload: recovery leaves it disabled).
 */
struct nooks_domain *nooks_domain_create(const char *name, const struct nooks_domain_ops *ops,
					 void *owner);

/* nooks_domain_destroy - free everything the domain owns and its slot. */
void nooks_domain_destroy(struct nooks_domain *d);

/*
 * nooks_domain_reset - the "fresh domain" step of recovery: free the heap,
 * stacks, grants, regions and page tables and build new ones, keeping the
 * slot, name, counters and policy.  0 or -ENOMEM.
 */
int nooks_domain_reset(struct nooks_domain *d);

/* nooks_domain_add_region - make [start, start+size) writable in d (page
 * rounded); kind NOOKS_REGION_*.  0 or -errno. */
int nooks_domain_add_region(struct nooks_domain *d, unsigned long start, unsigned long size,
			    u32 kind);

/* nooks_domain_alloc - size bytes of domain heap (whole pages, zeroed,
 * writable in d); NULL if out of memory.  nooks_domain_free gives it back:
 * the pages stay mapped read-only in d until reused.  free returns -EINVAL
 * for a pointer that is not a live block start. */
void *nooks_domain_alloc(struct nooks_domain *d, size_t size);
int nooks_domain_free(struct nooks_domain *d, const void *p);

/* nooks_grant_page / nooks_ungrant_page - the page tracker: map the
 * kernel page holding va writable into d (counted), and take it back. */
int nooks_grant_page(struct nooks_domain *d, unsigned long va);
void nooks_ungrant_page(struct nooks_domain *d, unsigned long va);
/* ... every page of [p, p+size). */
int nooks_grant_range(struct nooks_domain *d, const void *p, unsigned long size);
void nooks_ungrant_range(struct nooks_domain *d, const void *p, unsigned long size);

/* nooks_domain_writable - would a write to va from inside d succeed? */
bool nooks_domain_writable(struct nooks_domain *d, unsigned long va);

/* nooks_domain_on_stack - is addr inside one of d's pool stacks? Returns the
 * stack's top (one past its highest byte) or 0. */
unsigned long nooks_domain_on_stack(struct nooks_domain *d, unsigned long addr);

/* nooks_domain_find - the domain whose page directory is cr3, or NULL. */
struct nooks_domain *nooks_domain_find(u32 cr3);
struct nooks_domain *nooks_domain_by_name(const char *name);

/* nooks_sync_kernel_mapping - kernel_pgdir changed for va (new PTE value
 * pte, or a new page table): copy the change into every domain. */
void nooks_sync_kernel_mapping(unsigned long va, pte_t pte);

/* nooks_domain_state_name - "running", "failed", ... */
const char *nooks_domain_state_name(u32 state);

#endif
