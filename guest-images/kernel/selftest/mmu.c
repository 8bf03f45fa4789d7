/*
 * kernel/selftest/mmu.c - paging: the kernel's own map, accessed and dirty
 * bits written by the CPU, TLB flushing (INVLPG, CR3 reload, CR4.PGE
 * toggle; only what the architecture guarantees: after the flush the NEW
 * mapping is seen), aliases, CR0.WP, read-only PDEs, 4 MiB pages.
 *
 * Two test pages are tagged with different words; a test virtual page in
 * the KMAP window is pointed at one or the other.
 */
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/traps.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "selftest.h"

#define TAG1 0x7a61c001u
#define TAG2 0x7a61c002u
#define TEST_VA (KMAP_BASE + 0x10000)
#define ALIAS_VA (KMAP_BASE + 0x11000)

static unsigned long page1, page2;

/* peek - read the word at va (not cached by the compiler). */
static u32 peek(unsigned long va)
{
	return *(volatile u32 *)va;
}

/* poke - write the word at va. */
static void poke(unsigned long va, u32 v)
{
	*(volatile u32 *)va = v;
}

/* try_write - write v at va; false if it faulted (#PF is fixed up). */
static bool try_write(unsigned long va, u32 v, u32 *err)
{
	unsigned long before = nr_fixups;

	__asm__ __volatile__("1: movl %[v], (%[a])\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : : [a] "r"(va), [v] "r"(v) : "memory");
	*err = last_fixup.err;
	return nr_fixups == before;
}

/* try_read - read va into *v; false if it faulted. */
static bool try_read(unsigned long va, u32 *v)
{
	unsigned long before = nr_fixups;

	__asm__ __volatile__("1: movl (%[a]), %[v]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [v] "+r"(*v) : [a] "r"(va) : "memory");
	return nr_fixups == before;
}

/* test_control_regs - PE, PG, WP in CR0; PSE, PGE in CR4; CR3 = kernel_pgdir. */
static void test_control_regs(void)
{
	u32 cr0 = read_cr0(), cr4 = read_cr4(), cr3 = read_cr3();

	st_expect("control_regs", (cr0 & (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)) ==
		  (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP) &&
		  (cr4 & (X86_CR4_PSE | X86_CR4_PGE)) == (X86_CR4_PSE | X86_CR4_PGE) &&
		  cr3 == __pa(kernel_pgdir), "CR0 %08x CR3 %08x CR4 %08x", cr0, cr3, cr4);
}

/* The kernel map: rights per section, page 0 absent, 4 MiB pages above 16 MiB. */
static void test_kernel_map(void)
{
	pte_t text = *pte_lookup(kernel_pgdir, (unsigned long)_kernel_start, false);
	pte_t data = *pte_lookup(kernel_pgdir, (unsigned long)_data_start, false);
	pte_t utext = *pte_lookup(kernel_pgdir, (unsigned long)__user_text_start, false);
	pte_t udata = *pte_lookup(kernel_pgdir, (unsigned long)__user_data_start, false);
	pte_t zero = *pte_lookup(kernel_pgdir, 0, false);
	pde_t big = kernel_pgdir[PDX(LOWMEM_4K)];
	bool ok = (text & (PTE_P | PTE_W | PTE_U | PTE_G)) == (PTE_P | PTE_G) &&
		  (data & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W) &&
		  (utext & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_U) &&
		  (udata & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W | PTE_U) && !(zero & PTE_P);

	if (PFN_ADDR(max_pfn) > LOWMEM_4K)
		ok &= (big & (PTE_P | PTE_PS | PTE_G)) == (PTE_P | PTE_PS | PTE_G) &&
		      (big & PDE_4M_FRAME_MASK) == LOWMEM_4K;
	st_expect("kernel_map", ok, "text %03x data %03x utext %03x udata %03x page0 %03x "
		  "pde(16M) %08x", text & 0xfff, data & 0xfff, utext & 0xfff, udata & 0xfff,
		  zero & 0xfff, big);
}

/* test_accessed_dirty - the CPU sets A on the first read, D on the first write. */
static void test_accessed_dirty(pte_t *pte)
{
	pte_t after_read, after_write;
	u32 v;

	*pte = page1 | PTE_P | PTE_W;
	flush_tlb_one(TEST_VA);
	v = peek(TEST_VA);
	after_read = *pte;
	poke(TEST_VA + 4, 0);
	after_write = *pte;
	st_expect("accessed_dirty", v == TAG1 && (after_read & (PTE_A | PTE_D)) == PTE_A &&
		  (after_write & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
		  "read %08x; PTE after read %03x, after write %03x", v, after_read & 0xfff,
		  after_write & 0xfff);
}

/* Each case: map page1, touch it, switch the PTE to page2, flush, expect TAG2. */
static void test_flushes(pte_t *pte)
{
	u32 v1, v2;

	*pte = page1 | PTE_P | PTE_W;
	flush_tlb_one(TEST_VA);
	v1 = peek(TEST_VA);
	*pte = page2 | PTE_P | PTE_W;
	flush_tlb_one(TEST_VA);
	v2 = peek(TEST_VA);
	st_expect("invlpg", v1 == TAG1 && v2 == TAG2, "before %08x after %08x", v1, v2);

	v1 = peek(TEST_VA);
	*pte = page1 | PTE_P | PTE_W;	/* no INVLPG: a CR3 load must drop it */
	flush_tlb();
	v2 = peek(TEST_VA);
	st_expect("cr3_reload", v1 == TAG2 && v2 == TAG1, "before %08x after %08x", v1, v2);

	*pte = page1 | PTE_P | PTE_W | PTE_G;
	flush_tlb_one(TEST_VA);
	v1 = peek(TEST_VA);
	*pte = page2 | PTE_P | PTE_W | PTE_G;
	flush_tlb_one(TEST_VA);		/* INVLPG drops global entries too */
	v2 = peek(TEST_VA);
	st_expect("global_invlpg", v1 == TAG1 && v2 == TAG2, "before %08x after %08x", v1, v2);

	*pte = page1 | PTE_P | PTE_W | PTE_G;
	flush_tlb_one(TEST_VA);
	v1 = peek(TEST_VA);
	*pte = page2 | PTE_P | PTE_W | PTE_G;
	flush_tlb_all();		/* CR4.PGE off and on: drops everything */
	v2 = peek(TEST_VA);
	st_expect("global_pge_toggle", v1 == TAG1 && v2 == TAG2, "before %08x after %08x", v1, v2);
	*pte = 0;
	flush_tlb_one(TEST_VA);
}

/* Two virtual pages on one frame see each other's writes. */
static void test_alias(void)
{
	u32 v;

	map_page(kernel_pgdir, TEST_VA, page1, PTE_W);
	map_page(kernel_pgdir, ALIAS_VA, page1, PTE_W);
	poke(TEST_VA + 8, 0xa11a5001);
	v = peek(ALIAS_VA + 8);
	st_expect("alias", v == 0xa11a5001 && peek(page1 + 8) == 0xa11a5001,
		  "via alias %08x, via identity %08x", v, peek(page1 + 8));
	unmap_page(kernel_pgdir, ALIAS_VA);
	unmap_page(kernel_pgdir, TEST_VA);
}

/* Demand paging: fault on an absent page, map it, retry. */
static void test_map_after_fault(void)
{
	u32 v = 0;
	bool first, second;

	unmap_page(kernel_pgdir, TEST_VA);
	first = try_read(TEST_VA, &v);
	map_page(kernel_pgdir, TEST_VA, page2, 0);
	second = try_read(TEST_VA, &v);
	st_expect("map_after_fault", !first && second && v == TAG2,
		  "first read %s, second %s, value %08x", first ? "ok" : "faulted",
		  second ? "ok" : "faulted", v);
	unmap_page(kernel_pgdir, TEST_VA);
}

/* CR0.WP: ring 0 writes to a read-only page fault only while it is set. */
static void test_write_protect(void)
{
	u32 err1 = 0, err2 = 0, cr0 = read_cr0();
	bool w1, w2, w3;

	map_page(kernel_pgdir, TEST_VA, page1, 0);	/* present, read-only */
	w1 = try_write(TEST_VA + 12, 0x1111, &err1);
	write_cr0(cr0 & ~X86_CR0_WP);
	w2 = try_write(TEST_VA + 12, 0x2222, &err2);
	write_cr0(cr0);
	w3 = try_write(TEST_VA + 12, 0x3333, &err2);
	st_expect("wp", !w1 && err1 == (PF_ERR_P | PF_ERR_W) && w2 && !w3 &&
		  peek(page1 + 12) == 0x2222, "WP=1: %s (err %x), WP=0: %s, WP=1 again: %s, "
		  "value %08x", w1 ? "written" : "faulted", err1, w2 ? "written" : "faulted",
		  w3 ? "written" : "faulted", peek(page1 + 12));
	unmap_page(kernel_pgdir, TEST_VA);
}

/* A read-only PDE makes every page under it read-only, whatever the PTE says. */
static void test_pde_readonly(void)
{
	unsigned long va = TEST_PDE_BASE + 0x5000, pt = get_zeroed_page();
	u32 v = 0, err = 0;
	bool r, w;

	if (!pt) {
		st_fail("pde_readonly", "out of memory");
		return;
	}
	((pte_t *)pt)[PTX(va)] = page2 | PTE_P | PTE_W;
	kernel_pgdir[PDX(va)] = pt | PTE_P;		/* no PTE_W */
	flush_tlb_one(va);
	r = try_read(va, &v);
	w = try_write(va, 0, &err);
	kernel_pgdir[PDX(va)] = 0;
	flush_tlb_one(va);
	free_page(pt);
	st_expect("pde_readonly", r && v == TAG2 && !w && err == (PF_ERR_P | PF_ERR_W),
		  "read %s %08x, write %s err %x", r ? "ok" : "faulted", v,
		  w ? "went through" : "faulted", err);
}

/* A 4 MiB page (PDE.PS): every offset maps linearly; A and D land in the PDE. */
static void test_pse(void)
{
	unsigned long va = TEST_PDE_BASE + 2 * PGDIR_SIZE, block = __get_free_pages(10);
	u32 v1, v2;
	pde_t pde;

	if (!block) {
		st_skip("pse_4m", "no free 4 MiB block");
		return;
	}
	poke(block + 0x123454, 0x45e00001);
	kernel_pgdir[PDX(va)] = block | PTE_P | PTE_W | PTE_PS;
	flush_tlb_one(va);
	v1 = peek(va + 0x123454);
	poke(va + 0x3ffffc, 0x45e00002);
	v2 = peek(block + 0x3ffffc);
	pde = kernel_pgdir[PDX(va)];
	kernel_pgdir[PDX(va)] = 0;
	flush_tlb_one(va);
	free_pages(block, 10);
	st_expect("pse_4m", v1 == 0x45e00001 && v2 == 0x45e00002 &&
		  (pde & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
		  "read %08x, written %08x, PDE %08x", v1, v2, pde);
}

/* selftest_mmu - the "mmu" area. */
void selftest_mmu(void)
{
	pte_t *pte = pte_lookup(kernel_pgdir, TEST_VA, false);

	test_control_regs();
	test_kernel_map();
	page1 = get_zeroed_page();
	page2 = get_zeroed_page();
	if (!pte || !page1 || !page2) {
		st_fail("setup", "no KMAP page table or no free pages");
		return;
	}
	poke(page1, TAG1);
	poke(page2, TAG2);
	test_accessed_dirty(pte);
	test_flushes(pte);
	test_alias();
	test_map_after_fault();
	test_write_protect();
	test_pde_readonly();
	test_pse();
	free_page(page1);
	free_page(page2);
}
