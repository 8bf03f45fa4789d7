/*
 * nooks/domain.c - the Nooks domain manager: one page directory per
 * extension in which the kernel is read-only and the extension's memory is
 * writable (layout and PTE bits drawn in include/nooks/domain.h).
 *
 * The domain table nooks_domains[] is a fixed array with a documented
 * prefix: the emulator's debugger reads it through ELF symbols.
 */
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/system.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

_Static_assert(sizeof(struct nooks_domain) <= NOOKS_DOMAIN_SIZE, "domain entry too big");

/* The table, padded so that entry i sits at nooks_domains + i * 1024. */
struct nooks_domain nooks_domains[NOOKS_MAX_DOMAINS] __aligned(NOOKS_DOMAIN_SIZE);
_Static_assert(sizeof(nooks_domains) == NOOKS_MAX_DOMAINS * NOOKS_DOMAIN_SIZE,
	       "domain entries must be NOOKS_DOMAIN_SIZE bytes apart");
struct nooks_domain *nooks_current_domain;
u32 nooks_kernel_cr3;
static bool nooks_ready;
/* nooks_timeout=TICKS: the livelock limit new domains get (default 50). */
static unsigned long default_timeout = 50;

static const char *const state_names[] = {
	"free", "running", "failed", "recovering", "disabled",
};

/* nooks_domain_state_name - see nooks/domain.h. */
const char *nooks_domain_state_name(u32 state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

/* parse_fail_option - nooks_fail=NAME@N (see nooks/xpc.c). */
static void parse_fail_option(void)
{
	char opt[40], *at;

	if (!cmdline_get("nooks_fail", opt, sizeof(opt)) || !(at = strchr(opt, '@')))
		return;
	*at = 0;
	strlcpy(nooks_fail_name, opt, 32);
	nooks_fail_at = simple_strtoul(at + 1, NULL, 0);
	printk("nooks: will signal a failure of domain %s at its call %u\n", nooks_fail_name,
	       nooks_fail_at);
}

/* nooks_init - see nooks/domain.h.  Turns CR4.PGE off (see the header). */
void nooks_init(void)
{
	u32 cr4;

	if (nooks_ready)
		return;
	nooks_kernel_cr3 = __pa(kernel_pgdir);
	cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE)
		write_cr4(cr4 & ~X86_CR4_PGE);	/* also flushes global entries */
	nooks_ready = true;
	nooks_modules_init();
	parse_fail_option();
	default_timeout = cmdline_get_ulong("nooks_timeout", 50);
	printk("nooks: init kernel_cr3=%08x pge=off domains=%d\n", nooks_kernel_cr3,
	       NOOKS_MAX_DOMAINS);
}

/* ---- page-table plumbing ---- */

/* test_pt / set_pt - the private-page-table bitmap of d. */
static bool test_pt(struct nooks_domain *d, unsigned int pdx)
{
	return d->private_pt[pdx / 32] & (1u << (pdx % 32));
}

/* set_pt - mark pdx as having a private page table in d. */
static void set_pt(struct nooks_domain *d, unsigned int pdx)
{
	d->private_pt[pdx / 32] |= 1u << (pdx % 32);
}

/* domain_pde - the domain form of a kernel PDE: read-only, not global. */
static pde_t domain_pde(pde_t k)
{
	return (k & PTE_P) ? k & ~(PTE_W | PTE_G) : 0;
}

/*
 * kernel_entry_ro - the kernel's mapping of page va as a 4 KiB PTE, made
 * read-only and not global (0 if the kernel does not map it).  A 4 MiB
 * kernel page yields the matching 4 KiB slice of it.
 */
static pte_t kernel_entry_ro(unsigned long va)
{
	pde_t k = kernel_pgdir[PDX(va)];
	pte_t e;

	if (!(k & PTE_P))
		return 0;
	if (k & PTE_PS)
		return ((k & PDE_4M_FRAME_MASK) + (va & 0x3ff000)) |
		       (k & (PTE_P | PTE_U | PTE_PWT | PTE_PCD));
	e = ((pte_t *)(k & PTE_FRAME_MASK))[PTX(va)];
	return (e & PTE_P) ? e & ~(PTE_W | PTE_G | PTE_A | PTE_D | NOOKS_PTE_MINE) : 0;
}

/*
 * dom_pte - the PTE slot for va in d's page directory, giving the PDX a
 * private page table first (a read-only copy of the kernel's entries) if it
 * has none.  NULL when out of memory.
 */
static pte_t *dom_pte(struct nooks_domain *d, unsigned long va)
{
	unsigned int i = PDX(va), j;
	pte_t *pt;

	if (!test_pt(d, i)) {
		pt = (pte_t *)get_zeroed_page();
		if (!pt)
			return NULL;
		for (j = 0; j < PTRS_PER_PTE; j++)
			pt[j] = kernel_entry_ro(((unsigned long)i << PGDIR_SHIFT) |
						((unsigned long)j << PAGE_SHIFT));
		d->pgdir[i] = __pa(pt) | PTE_P | PTE_W | PTE_U;
		set_pt(d, i);
	}
	return &((pte_t *)(d->pgdir[i] & PTE_FRAME_MASK))[PTX(va)];
}

/* set_dom_pte - write a domain PTE and drop any TLB entry for va. */
static void set_dom_pte(pte_t *pte, unsigned long va, pte_t val)
{
	*pte = val;
	flush_tlb_one(va);
}

/* map_own - make page va writable in d, owned (the kernel's frame). */
static int map_own(struct nooks_domain *d, unsigned long va, u32 extra)
{
	pte_t k = kernel_entry_ro(va), *pte;

	if (!k)
		return -EFAULT;
	if (!(pte = dom_pte(d, va)))
		return -ENOMEM;
	set_dom_pte(pte, va, k | PTE_W | NOOKS_PTE_OWN | extra);
	return 0;
}

/* restore_kernel - page va of d back to the kernel's read-only view. */
static void restore_kernel(struct nooks_domain *d, unsigned long va)
{
	pte_t *pte;

	if (!test_pt(d, PDX(va)))
		return;
	pte = &((pte_t *)(d->pgdir[PDX(va)] & PTE_FRAME_MASK))[PTX(va)];
	set_dom_pte(pte, va, kernel_entry_ro(va));
}

/* build_pgdir - d's page directory: the kernel's PDEs, read-only. */
static int build_pgdir(struct nooks_domain *d)
{
	unsigned int i;

	d->pgdir = (pde_t *)get_zeroed_page();
	if (!d->pgdir)
		return -ENOMEM;
	for (i = 0; i < PTRS_PER_PGD; i++)
		d->pgdir[i] = domain_pde(kernel_pgdir[i]);
	memset(d->private_pt, 0, sizeof(d->private_pt));
	d->cr3 = __pa(d->pgdir);
	return 0;
}

/* free_pgdir - free d's private page tables and its page directory. */
static void free_pgdir(struct nooks_domain *d)
{
	unsigned int i;

	if (!d->pgdir)
		return;
	for (i = 0; i < PTRS_PER_PGD; i++)
		if (test_pt(d, i))
			free_page(d->pgdir[i] & PTE_FRAME_MASK);
	free_page((unsigned long)d->pgdir);
	d->pgdir = NULL;
	d->cr3 = 0;
	memset(d->private_pt, 0, sizeof(d->private_pt));
}

/* nooks_sync_kernel_mapping - see nooks/domain.h. */
void nooks_sync_kernel_mapping(unsigned long va, pte_t pte)
{
	struct nooks_domain *d;
	unsigned int i = PDX(va);
	pte_t *p;

	(void)pte;	/* kernel_pgdir already holds it; re-derive per domain */
	for (d = nooks_domains; d < nooks_domains + NOOKS_MAX_DOMAINS; d++) {
		if (d->magic != NOOKS_DOMAIN_MAGIC || !d->pgdir)
			continue;
		if (!test_pt(d, i)) {
			d->pgdir[i] = domain_pde(kernel_pgdir[i]);
			continue;
		}
		p = &((pte_t *)(d->pgdir[i] & PTE_FRAME_MASK))[PTX(va)];
		if (!(*p & NOOKS_PTE_MINE))
			set_dom_pte(p, va, kernel_entry_ro(va));
	}
}

/* ---- stacks and the deferred-call page ---- */

/* setup_memory - a fresh stack pool and deferred-call page for d. */
static int setup_memory(struct nooks_domain *d)
{
	unsigned long base, va;
	int s, err;

	d->stack_lo = 0xffffffffu;
	d->stack_hi = 0;
	for (s = 0; s < NOOKS_NR_STACKS; s++) {
		base = __get_free_pages(NOOKS_STACK_ORDER);
		if (!base)
			return -ENOMEM;
		d->stacks[s] = base;
		for (va = base; va < base + NOOKS_STACK_SIZE; va += PAGE_SIZE)
			if ((err = map_own(d, va, 0)))
				return err;
		d->stack_lo = min(d->stack_lo, (u32)base);
		d->stack_hi = max(d->stack_hi, (u32)(base + NOOKS_STACK_SIZE));
	}
	d->defer = (struct nooks_defer_area *)get_zeroed_page();
	if (!d->defer)
		return -ENOMEM;
	return map_own(d, (unsigned long)d->defer, 0);
}

/* free_memory - give back d's stacks, heap, deferred page; forget regions/grants. */
static void free_memory(struct nooks_domain *d)
{
	struct nooks_heap_block *b, *n;
	int s;

	for (s = 0; s < NOOKS_NR_STACKS; s++) {
		if (d->stacks[s])
			free_pages(d->stacks[s], NOOKS_STACK_ORDER);
		d->stacks[s] = 0;
	}
	for (b = d->heap; b; b = n) {
		n = b->next;
		free_pages(b->addr, b->order);
		nooks_meta_free(b);
	}
	d->heap = NULL;
	if (d->defer)
		free_page((unsigned long)d->defer);
	d->defer = NULL;
	d->nr_regions = 0;
	if (d->grant_count) {
		for (s = 0; s < PTRS_PER_PGD; s++)
			if (d->grant_count[s])
				free_page((unsigned long)d->grant_count[s]);
		free_page((unsigned long)d->grant_count);
		d->grant_count = NULL;
	}
	d->stack_lo = d->stack_hi = 0;
}

/* ---- domains ---- */

/* nooks_domain_create - see nooks/domain.h. */
struct nooks_domain *nooks_domain_create(const char *name, const struct nooks_domain_ops *ops,
					 void *owner)
{
	struct nooks_domain *d;
	int i;

	nooks_init();
	for (i = 0; i < NOOKS_MAX_DOMAINS; i++)
		if (nooks_domains[i].magic != NOOKS_DOMAIN_MAGIC)
			break;
	if (i == NOOKS_MAX_DOMAINS)
		return NULL;
	d = &nooks_domains[i];
	memset(d, 0, sizeof(*d));
	d->id = i + 1;
	strncpy(d->name, name, NOOKS_NAME_LEN - 1);
	strlcpy(d->full_name, name, sizeof(d->full_name));
	d->ops = ops;
	d->owner = owner;
	d->timeout_ticks = default_timeout;	/* 0.5 s at HZ=100 unless nooks_timeout= */
	d->max_restarts = 5;
	d->restart_window = 1000;		/* 10 s */
	if (build_pgdir(d) || nooks_tracker_init(d))
		goto fail;
	d->magic = NOOKS_DOMAIN_MAGIC;		/* now visible to sync */
	if (setup_memory(d))
		goto fail;
	d->state = NOOKS_RUNNING;
	printk("nooks: domain %s id=%u cr3=%08x stacks=%08x-%08x\n", d->full_name, d->id, d->cr3,
	       d->stack_lo, d->stack_hi);
	return d;
fail:
	nooks_domain_destroy(d);
	return NULL;
}

/* nooks_domain_destroy - see nooks/domain.h. */
void nooks_domain_destroy(struct nooks_domain *d)
{
	d->magic = 0;
	free_memory(d);
	free_pgdir(d);
	nooks_tracker_destroy(d);
	d->state = NOOKS_FREE;
}

/* nooks_domain_reset - see nooks/domain.h. */
int nooks_domain_reset(struct nooks_domain *d)
{
	int err;

	d->generation++;
	free_memory(d);
	free_pgdir(d);
	if ((err = build_pgdir(d)) || (err = setup_memory(d)))
		return err;
	return 0;
}

/* nooks_domain_add_region - see nooks/domain.h. */
int nooks_domain_add_region(struct nooks_domain *d, unsigned long start, unsigned long size,
			    u32 kind)
{
	unsigned long va, end = PAGE_ALIGN(start + size);
	int err;

	if (d->nr_regions == NOOKS_MAX_REGIONS)
		return -ENOSPC;
	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		if ((err = map_own(d, va, 0)))
			return err;
	d->regions[d->nr_regions].start = start;
	d->regions[d->nr_regions].size = size;
	d->regions[d->nr_regions].kind = kind;
	d->nr_regions++;
	return 0;
}

/* ---- the domain-local heap (page granular, freed pages kept read-only) ---- */

/* order_for - the smallest page order holding size bytes. */
static unsigned int order_for(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* reuse_block - the oldest freed block of this order, if more than
 * NOOKS_HEAP_QUARANTINE freed blocks wait; else NULL. */
static struct nooks_heap_block *reuse_block(struct nooks_domain *d, unsigned int order)
{
	struct nooks_heap_block *b, *oldest = NULL;
	unsigned int n = 0;

	for (b = d->heap; b; b = b->next) {
		if (!b->free)
			continue;
		n++;
		if (b->order == order && (!oldest || b->freed_seq < oldest->freed_seq))
			oldest = b;
	}
	return n > NOOKS_HEAP_QUARANTINE ? oldest : NULL;
}

/* nooks_domain_alloc - see nooks/domain.h. */
void *nooks_domain_alloc(struct nooks_domain *d, size_t size)
{
	unsigned int order = order_for(size ? size : 1);
	struct nooks_heap_block *b;
	unsigned long va;

	if (order > MAX_ORDER)
		return NULL;
	b = reuse_block(d, order);
	if (!b) {
		b = nooks_meta_zalloc(sizeof(*b));
		if (!b)
			return NULL;
		b->addr = __get_free_pages(order);
		if (!b->addr) {
			nooks_meta_free(b);
			return NULL;
		}
		b->order = order;
		b->next = d->heap;
		d->heap = b;
	}
	b->free = false;
	for (va = b->addr; va < b->addr + (PAGE_SIZE << order); va += PAGE_SIZE)
		map_own(d, va, 0);
	memset((void *)b->addr, 0, PAGE_SIZE << order);
	return (void *)b->addr;
}

/* nooks_domain_free - see nooks/domain.h.  The block is poisoned and its
 * pages made read-only (NOOKS_PTE_FREE) in d. */
int nooks_domain_free(struct nooks_domain *d, const void *p)
{
	struct nooks_heap_block *b;
	unsigned long va;
	pte_t *pte;

	for (b = d->heap; b; b = b->next)
		if (b->addr == (unsigned long)p && !b->free)
			break;
	if (!b)
		return -EINVAL;
	b->free = true;
	b->freed_seq = ++d->heap_seq;
	memset((void *)b->addr, 0x6b, PAGE_SIZE << b->order);
	for (va = b->addr; va < b->addr + (PAGE_SIZE << b->order); va += PAGE_SIZE) {
		pte = dom_pte(d, va);
		if (pte)
			set_dom_pte(pte, va, (*pte & ~PTE_W) | NOOKS_PTE_FREE);
	}
	return 0;
}

/* ---- the page tracker: kernel pages granted for one call ---- */

/* grant_slot - the grant counter of page va in d (created if create). */
static u16 *grant_slot(struct nooks_domain *d, unsigned long va, bool create)
{
	unsigned int i = PDX(va);

	if (!d->grant_count) {
		if (!create)
			return NULL;
		d->grant_count = (u16 **)get_zeroed_page();	/* 1024 pointers */
		if (!d->grant_count)
			return NULL;
	}
	if (!d->grant_count[i]) {
		if (!create)
			return NULL;
		d->grant_count[i] = (u16 *)get_zeroed_page();	/* 2 KiB used */
		if (!d->grant_count[i])
			return NULL;
	}
	return &d->grant_count[i][PTX(va)];
}

/* nooks_grant_page - see nooks/domain.h.  A page the domain owns needs no
 * grant (and is not counted).  Counted per page: O(1). */
int nooks_grant_page(struct nooks_domain *d, unsigned long va)
{
	unsigned long page = va & PAGE_MASK;
	pte_t *pte, k;
	u16 *cnt;

	pte = dom_pte(d, page);
	if (!pte)
		return -ENOMEM;
	if ((*pte & NOOKS_PTE_OWN) && !(*pte & NOOKS_PTE_FREE))
		return 0;
	if (!(cnt = grant_slot(d, page, true)))
		return -ENOMEM;
	if ((*cnt)++)
		return 0;
	if (!(k = kernel_entry_ro(page))) {
		(*cnt)--;
		return -EFAULT;
	}
	set_dom_pte(pte, page, k | PTE_W | NOOKS_PTE_GRANT);
	return 0;
}

/* nooks_ungrant_page - see nooks/domain.h. */
void nooks_ungrant_page(struct nooks_domain *d, unsigned long va)
{
	unsigned long page = va & PAGE_MASK;
	u16 *cnt = grant_slot(d, page, false);

	if (cnt && *cnt && !--*cnt)
		restore_kernel(d, page);
}

/* nooks_grant_range / nooks_ungrant_range - every page of [p, p+size). */
int nooks_grant_range(struct nooks_domain *d, const void *p, unsigned long size)
{
	unsigned long va, end = (unsigned long)p + size;
	int err;

	for (va = (unsigned long)p & PAGE_MASK; va < end; va += PAGE_SIZE)
		if ((err = nooks_grant_page(d, va)))
			return err;
	return 0;
}

/* nooks_ungrant_range - see nooks/domain.h. */
void nooks_ungrant_range(struct nooks_domain *d, const void *p, unsigned long size)
{
	unsigned long va, end = (unsigned long)p + size;

	for (va = (unsigned long)p & PAGE_MASK; va < end; va += PAGE_SIZE)
		nooks_ungrant_page(d, va);
}

/* ---- queries ---- */

/* nooks_domain_writable - see nooks/domain.h (walks d's tables). */
bool nooks_domain_writable(struct nooks_domain *d, unsigned long va)
{
	pde_t pde = d->pgdir[PDX(va)];
	pte_t pte;

	if ((pde & (PTE_P | PTE_W)) != (PTE_P | PTE_W))
		return false;
	if (pde & PTE_PS)
		return true;
	pte = ((pte_t *)(pde & PTE_FRAME_MASK))[PTX(va)];
	return (pte & (PTE_P | PTE_W)) == (PTE_P | PTE_W);
}

/* nooks_domain_on_stack - see nooks/domain.h. */
unsigned long nooks_domain_on_stack(struct nooks_domain *d, unsigned long addr)
{
	int s;

	for (s = 0; s < NOOKS_NR_STACKS; s++)
		if (d->stacks[s] && addr >= d->stacks[s] && addr < d->stacks[s] + NOOKS_STACK_SIZE)
			return d->stacks[s] + NOOKS_STACK_SIZE;
	return 0;
}

/* nooks_domain_find - see nooks/domain.h. */
struct nooks_domain *nooks_domain_find(u32 cr3)
{
	struct nooks_domain *d;

	for (d = nooks_domains; d < nooks_domains + NOOKS_MAX_DOMAINS; d++)
		if (d->magic == NOOKS_DOMAIN_MAGIC && d->cr3 == cr3)
			return d;
	return NULL;
}

/* nooks_domain_by_name - see nooks/domain.h. */
struct nooks_domain *nooks_domain_by_name(const char *name)
{
	struct nooks_domain *d;

	for (d = nooks_domains; d < nooks_domains + NOOKS_MAX_DOMAINS; d++)
		if (d->magic == NOOKS_DOMAIN_MAGIC && !strcmp(d->full_name, name))
			return d;
	return NULL;
}
