/*
 * kernel/mm/ioremap.c - ioremap/iounmap (asm/io.h): map device memory into
 * the IOREMAP window of the kernel page table, uncached.
 *
 * The window (asm/page.h) is handed out page by page from a bitmap; each
 * mapping is remembered (start page, page count) so iounmap knows its size.
 */
#include <asm/io.h>
#include <asm/pgtable.h>
#include <asm/system.h>
#include <linux/kernel.h>
#include <linux/string.h>

#define IOREMAP_PAGES ((IOREMAP_END - IOREMAP_BASE) >> PAGE_SHIFT)
#define MAX_IOREMAPS 64

static u32 used[IOREMAP_PAGES / 32];
static struct { unsigned long va; unsigned long pages; } maps[MAX_IOREMAPS];

/* page_used/set_used - the bitmap of window pages. */
static bool page_used(unsigned long i)
{
	return used[i / 32] & (1u << (i % 32));
}

static void set_used(unsigned long i, bool on)
{
	if (on)
		used[i / 32] |= 1u << (i % 32);
	else
		used[i / 32] &= ~(1u << (i % 32));
}

/* find_free - the first run of n free window pages, or -1. */
static long find_free(unsigned long n)
{
	unsigned long i, run = 0;

	for (i = 0; i < IOREMAP_PAGES; i++) {
		run = page_used(i) ? 0 : run + 1;
		if (run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

/* ioremap - see asm/io.h. */
void *ioremap(unsigned long phys, unsigned long size)
{
	unsigned long first = phys & PAGE_MASK, n, va, i, flags;
	long start;
	int slot;

	if (!size || phys + size < phys)
		return NULL;
	n = (PAGE_ALIGN(phys + size) - first) >> PAGE_SHIFT;
	local_irq_save(flags);
	for (slot = 0; slot < MAX_IOREMAPS && maps[slot].pages; slot++)
		;
	start = slot < MAX_IOREMAPS ? find_free(n) : -1;
	if (start < 0) {
		local_irq_restore(flags);
		printk(KERN_ERR "ioremap: no room for %lu pages at 0x%08lx\n", n, phys);
		return NULL;
	}
	va = IOREMAP_BASE + ((unsigned long)start << PAGE_SHIFT);
	for (i = 0; i < n; i++) {
		set_used(start + i, true);
		if (map_page(kernel_pgdir, va + (i << PAGE_SHIFT), first + (i << PAGE_SHIFT),
			     PTE_W | PTE_PCD | PTE_PWT)) {
			while (i--)
				unmap_page(kernel_pgdir, va + (i << PAGE_SHIFT));
			for (i = 0; i < n; i++)
				set_used(start + i, false);
			local_irq_restore(flags);
			return NULL;
		}
	}
	maps[slot].va = va;
	maps[slot].pages = n;
	local_irq_restore(flags);
	return (void *)(va + (phys & ~PAGE_MASK));
}

/* iounmap - see asm/io.h.  An address ioremap did not return is reported. */
void iounmap(void *addr)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK, i, flags;
	int slot;

	local_irq_save(flags);
	for (slot = 0; slot < MAX_IOREMAPS; slot++)
		if (maps[slot].pages && maps[slot].va == va)
			break;
	if (slot == MAX_IOREMAPS) {
		local_irq_restore(flags);
		printk(KERN_WARNING "iounmap: %p was not ioremapped\n", addr);
		return;
	}
	for (i = 0; i < maps[slot].pages; i++) {
		unmap_page(kernel_pgdir, va + (i << PAGE_SHIFT));
		set_used(((va - IOREMAP_BASE) >> PAGE_SHIFT) + i, false);
	}
	maps[slot].pages = 0;
	local_irq_restore(flags);
}

/*
 * ioremap_init - create the window's page tables at boot, so every later
 * copy of the kernel page directory (a Nooks domain) shares them and sees
 * mappings made after the copy.
 */
void ioremap_init(void)
{
	unsigned long va;

	for (va = IOREMAP_BASE; va < IOREMAP_END; va += PGDIR_SIZE)
		if (!pte_lookup(kernel_pgdir, va, true))
			panic("ioremap_init: out of memory");
}
