/*
 * asm/pgtable.h - page tables and TLB control (kernel/mm/paging.c).
 *
 * kernel_pgdir is the one page directory of the kernel.  Code that maps or
 * unmaps pages must flush the TLB for that address (flush_tlb_one) before
 * relying on the change; see asm/mmu.h for the entry formats.
 */
#ifndef _ASM_PGTABLE_H
#define _ASM_PGTABLE_H

#include <asm/mmu.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/types.h>

typedef u32 pte_t;
typedef u32 pde_t;

extern pde_t *kernel_pgdir;

/* paging_init - build kernel_pgdir, load CR3, enable PSE, paging, WP, PGE. */
void paging_init(void);

/*
 * pte_lookup - the PTE slot for va in pgdir, or NULL if va has no page table
 * (or is covered by a 4 MiB PDE).  With create, a missing page table is
 * allocated (zeroed, PDE = P|W|U so the PTE alone decides the rights).
 */
pte_t *pte_lookup(pde_t *pgdir, unsigned long va, bool create);

/* map_page - map va -> pa with flags (PTE_P is implied); flushes the TLB entry. */
int map_page(pde_t *pgdir, unsigned long va, unsigned long pa, u32 flags);

/* unmap_page - clear the PTE of va (if any) and flush its TLB entry. */
void unmap_page(pde_t *pgdir, unsigned long va);

/* ioremap_init - create the page tables of the ioremap window (boot). */
void ioremap_init(void);

/* flush_tlb_one - drop the TLB entry for one page (INVLPG), global or not. */
static inline void flush_tlb_one(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* flush_tlb - reload CR3: drops every non-global TLB entry. */
static inline void flush_tlb(void)
{
	write_cr3(read_cr3());
}

/* flush_tlb_all - toggle CR4.PGE: drops every TLB entry, global ones too. */
static inline void flush_tlb_all(void)
{
	u32 cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		flush_tlb();
	}
}

#endif
