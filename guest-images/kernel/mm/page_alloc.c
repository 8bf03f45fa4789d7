/*
 * kernel/mm/page_alloc.c - the physical page allocator (linux/mm.h).
 *
 * One byte per page frame (mem_map, layout in linux/mm.h) says who owns it.
 * A block of 2^order pages is found by scanning size-aligned candidates
 * upwards from the lowest free page; that is slow for big machines but
 * simple, and deterministic: the same boot allocates the same addresses.
 *
 * mem_map itself is placed in the first free pages after the kernel image
 * and the boot modules.  Pages below 1 MiB are never handed out.
 */
#include <asm/multiboot.h>
#include <asm/setup.h>
#include <asm/system.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>

#define FIRST_MANAGED_PFN PFN(0x100000)

static u8 *mem_map;
unsigned long max_pfn;			/* mem_map covers pfn [0, max_pfn) */
static unsigned long free_count, ram_count;
static unsigned long lowest_free;	/* no free page below this pfn */

/* page_state - mem_map[pfn] (layout in linux/mm.h), 0xff beyond RAM. */
u8 page_state(unsigned long pfn)
{
	return pfn < max_pfn ? mem_map[pfn] : 0xff;
}

/* set_page_state - change mem_map[pfn]; for kmalloc and the allocator itself. */
void set_page_state(unsigned long pfn, u8 state)
{
	BUG_ON(pfn >= max_pfn);
	mem_map[pfn] = state;
}

/* nr_free_pages - pages the allocator can still hand out. */
unsigned long nr_free_pages(void)
{
	return free_count;
}

/* nr_ram_pages - pages that were free after boot (managed RAM). */
unsigned long nr_ram_pages(void)
{
	return ram_count;
}

/* reserve_range - mark every page touching [start, end) reserved. */
static void reserve_range(unsigned long start, unsigned long end)
{
	unsigned long pfn;

	for (pfn = PFN(start); pfn < PFN(PAGE_ALIGN(end)) && pfn < max_pfn; pfn++)
		mem_map[pfn] = PAGE_RESERVED;
}

/* ram_top - the end of the highest available region, capped at MAX_PHYS_MEM. */
static unsigned long ram_top(void)
{
	u64 top = 0;
	unsigned int i;

	for (i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];
		if (r->type == MULTIBOOT_MEMORY_AVAILABLE && r->addr + r->len > top)
			top = r->addr + r->len;
	}
	return top > MAX_PHYS_MEM ? MAX_PHYS_MEM : (unsigned long)top;
}

/* first_free_addr - the page after the kernel image and every boot module. */
static unsigned long first_free_addr(void)
{
	unsigned long a = (unsigned long)_kernel_end;
	unsigned int i;

	for (i = 0; i < boot_params.nr_modules; i++)
		if (boot_params.modules[i].end > a)
			a = boot_params.modules[i].end;
	return PAGE_ALIGN(a);
}

/* mem_init - see linux/mm.h. */
void mem_init(void)
{
	unsigned long map_addr, pfn;
	unsigned int i;

	max_pfn = PFN(ram_top());
	map_addr = first_free_addr();
	if (map_addr + max_pfn > PFN_ADDR(max_pfn))
		panic("mem_init: no room for mem_map above 0x%lx", map_addr);
	mem_map = (u8 *)map_addr;
	memset(mem_map, PAGE_RESERVED, max_pfn);

	for (i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];
		u64 first, last;
		if (r->type != MULTIBOOT_MEMORY_AVAILABLE)
			continue;
		first = (r->addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
		last = (r->addr + r->len) >> PAGE_SHIFT;	/* exclusive */
		for (pfn = first; pfn < last && pfn < max_pfn; pfn++)
			if (pfn >= FIRST_MANAGED_PFN)
				mem_map[pfn] = PAGE_FREE;
	}
	reserve_range((unsigned long)_kernel_start, (unsigned long)_kernel_end);
	for (i = 0; i < boot_params.nr_modules; i++)
		reserve_range(boot_params.modules[i].start, boot_params.modules[i].end);
	reserve_range(map_addr, map_addr + max_pfn);

	for (pfn = 0; pfn < max_pfn; pfn++)
		if (mem_map[pfn] == PAGE_FREE)
			free_count++;
	ram_count = free_count;
	lowest_free = FIRST_MANAGED_PFN;
	printk("Memory: %luk free of %luk, kernel 0x%08lx-0x%08lx, mem_map at 0x%08lx\n",
	       free_count * 4, max_pfn * 4, (unsigned long)_kernel_start,
	       (unsigned long)_kernel_end, map_addr);
}

/* block_free - are pfn .. pfn+n-1 all free?  Else *next = a pfn to try next. */
static bool block_free(unsigned long pfn, unsigned long n, unsigned long *next)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (mem_map[pfn + i] != PAGE_FREE) {
			*next = pfn + i + 1;
			return false;
		}
	}
	return true;
}

/* get_free_pages_locked - __get_free_pages with interrupts already off. */
static unsigned long get_free_pages_locked(unsigned int order)
{
	unsigned long n = 1ul << order, pfn, next, i;

	if (order > MAX_ORDER)
		return 0;
	pfn = ALIGN(lowest_free, n);
	while (pfn + n <= max_pfn) {
		if (!block_free(pfn, n, &next)) {
			pfn = ALIGN(next, n);
			continue;
		}
		mem_map[pfn] = PAGE_PAGES | order;
		for (i = 1; i < n; i++)
			mem_map[pfn + i] = PAGE_PAGES | PAGE_TAIL;
		free_count -= n;
		if (order == 0)
			lowest_free = pfn + 1;
		return PFN_ADDR(pfn);
	}
	return 0;
}

/* __get_free_pages - see linux/mm.h.  Safe from interrupt handlers. */
unsigned long __get_free_pages(unsigned int order)
{
	unsigned long flags, p;

	local_irq_save(flags);
	p = get_free_pages_locked(order);
	local_irq_restore(flags);
	return p;
}

/* get_zeroed_page - one page filled with zeroes, or 0. */
unsigned long get_zeroed_page(void)
{
	unsigned long p = __get_free_pages(0);

	if (p)
		memset((void *)p, 0, PAGE_SIZE);
	return p;
}

/* free_pages - see linux/mm.h.  A wrong address or order is a kernel bug. */
void free_pages(unsigned long addr, unsigned int order)
{
	unsigned long pfn = PFN(addr), n = 1ul << order, i, flags;

	if ((addr & (PAGE_SIZE - 1)) || pfn + n > max_pfn ||
	    mem_map[pfn] != (PAGE_PAGES | order))
		panic("free_pages: bad block 0x%08lx order %u (state %02x)", addr, order,
		      page_state(pfn));
	local_irq_save(flags);
	for (i = 0; i < n; i++)
		mem_map[pfn + i] = PAGE_FREE;
	free_count += n;
	if (pfn < lowest_free)
		lowest_free = pfn;
	local_irq_restore(flags);
}
