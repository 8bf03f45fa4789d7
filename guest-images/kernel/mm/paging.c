/*
 * kernel/mm/paging.c - the kernel page directory and paging switch-on
 * (asm/pgtable.h; the layout is drawn in asm/page.h, the entries in
 * asm/mmu.h).
 *
 * All RAM is identity-mapped and global.  Below LOWMEM_4K the map uses
 * 4 KiB pages so the kernel image can have per-section rights: text and
 * read-only data are not writable (CR0.WP makes that bind in ring 0), the
 * .user sections are ring 3 accessible, page 0 is absent to catch NULL.
 * Above LOWMEM_4K, 4 MiB pages (CR4.PSE) keep the tables small.
 */
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>

pde_t *kernel_pgdir;

/* Nooks hook (nooks/domain.c; weak, absent without Nooks): copy a change
 * of kernel_pgdir into every protection domain's page table. */
void nooks_sync_kernel_mapping(unsigned long va, pte_t pte) __attribute__((weak));

/* pte_lookup - see asm/pgtable.h. */
pte_t *pte_lookup(pde_t *pgdir, unsigned long va, bool create)
{
	pde_t *pde = &pgdir[PDX(va)];

	if (!(*pde & PTE_P)) {
		unsigned long pt;
		if (!create || !(pt = get_zeroed_page()))
			return NULL;
		*pde = pt | PTE_P | PTE_W | PTE_U;
	}
	if (*pde & PTE_PS)
		return NULL;
	return &((pte_t *)(*pde & PTE_FRAME_MASK))[PTX(va)];
}

/* map_page - see asm/pgtable.h. */
int map_page(pde_t *pgdir, unsigned long va, unsigned long pa, u32 flags)
{
	pte_t *pte = pte_lookup(pgdir, va, true);

	if (!pte)
		return -ENOMEM;
	*pte = (pa & PTE_FRAME_MASK) | (flags & PTE_FLAGS_MASK) | PTE_P;
	flush_tlb_one(va);
	if (pgdir == kernel_pgdir && nooks_sync_kernel_mapping)
		nooks_sync_kernel_mapping(va, *pte);
	return 0;
}

/* unmap_page - see asm/pgtable.h. */
void unmap_page(pde_t *pgdir, unsigned long va)
{
	pte_t *pte = pte_lookup(pgdir, va, false);

	if (pte) {
		*pte = 0;
		flush_tlb_one(va);
		if (pgdir == kernel_pgdir && nooks_sync_kernel_mapping)
			nooks_sync_kernel_mapping(va, 0);
	}
}

/* in_range - is va in [start, end)? */
static bool in_range(unsigned long va, const char *start, const char *end)
{
	return va >= (unsigned long)start && va < (unsigned long)end;
}

/* kernel_pte_flags - the rights of identity page va in the 4 KiB region. */
static u32 kernel_pte_flags(unsigned long va, u32 global)
{
	if (va == 0)
		return 0;					/* NULL page: absent */
	if (in_range(va, _kernel_start, _text_ro_end))
		return PTE_P | global;				/* kernel text, rodata */
	if (in_range(va, __user_text_start, __user_text_end))
		return PTE_P | PTE_U | global;			/* ring 3 code */
	if (in_range(va, __user_data_start, __user_data_end))
		return PTE_P | PTE_W | PTE_U | global;		/* ring 3 data */
	return PTE_P | PTE_W | global;
}

/* paging_init - see asm/pgtable.h.  Panics if it runs out of pages. */
void paging_init(void)
{
	bool pse = boot_cpu_data.features & X86_FEATURE_PSE;
	bool pge = boot_cpu_data.features & X86_FEATURE_PGE;
	u32 global = pge ? PTE_G : 0;
	unsigned long top = ALIGN(PFN_ADDR(max_pfn), PGDIR_SIZE);
	unsigned long low_end = min(top, LOWMEM_4K);
	unsigned long va;
	pte_t *pte;
	u32 flags;

	kernel_pgdir = (pde_t *)get_zeroed_page();
	if (!kernel_pgdir)
		panic("paging_init: out of memory");
	for (va = 0; va < top; va += PAGE_SIZE) {
		if (va >= low_end && pse) {
			kernel_pgdir[PDX(va)] = va | PTE_P | PTE_W | PTE_PS | global;
			va += PGDIR_SIZE - PAGE_SIZE;
			continue;
		}
		if (!(pte = pte_lookup(kernel_pgdir, va, true)))
			panic("paging_init: out of memory");
		flags = va < low_end ? kernel_pte_flags(va, global) : PTE_P | PTE_W | global;
		*pte = flags ? va | flags : 0;
	}
	for (va = KMAP_BASE; va < KMAP_END; va += PGDIR_SIZE)
		if (!pte_lookup(kernel_pgdir, va, true))
			panic("paging_init: out of memory");

	write_cr3(__pa(kernel_pgdir));
	if (pse)
		write_cr4(read_cr4() | X86_CR4_PSE);
	write_cr0(read_cr0() | X86_CR0_PG | X86_CR0_WP);
	if (pge)
		write_cr4(read_cr4() | X86_CR4_PGE);
	printk("paging: identity map 0x00000000-0x%08lx (%lu MiB 4K pages, %lu MiB %s), "
	       "text read-only, WP on, PGE %s\n", top - 1, low_end >> 20,
	       (top - low_end) >> 20, pse ? "4M pages" : "4K pages", pge ? "on" : "off");
}
