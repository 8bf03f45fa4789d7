/*
 * linux/mm.h - the physical page allocator (kernel/mm/page_alloc.c).
 *
 * Physical memory is handed out in blocks of 2^order pages, aligned to their
 * size.  All RAM is identity-mapped, so the address returned is both the
 * physical and the virtual address of the block.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <asm/page.h>
#include <linux/types.h>

#define MAX_ORDER 10	/* largest block: 2^10 pages = 4 MiB */

/* mem_init - build the allocator from the boot memory map (see asm/setup.h). */
void mem_init(void);

/* __get_free_pages - 2^order contiguous pages, or 0 when none are free. */
unsigned long __get_free_pages(unsigned int order);
unsigned long get_zeroed_page(void);
#define __get_free_page() __get_free_pages(0)

/* free_pages - give back a block; order must match the allocation. */
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages((addr), 0)

/* max_pfn - one past the highest page frame of RAM. */
extern unsigned long max_pfn;

unsigned long nr_free_pages(void);
unsigned long nr_ram_pages(void);

/*
 * Per-page ownership, kept in one byte per page frame (mem_map[pfn]):
 *
 *    7   6   5   4   3   2   1   0
 *  +-------+---+-------------------+
 *  | owner | 0 |       value       |
 *  +-------+---+-------------------+
 *  owner 0: free        value 0
 *  owner 1: reserved    value 0 (not RAM, kernel image, boot modules, mem_map)
 *  owner 2: pages       value = order on the first page, PAGE_TAIL on the rest
 *  owner 3: slab        value = kmalloc size class (kernel/mm/slab.c)
 */
#define PAGE_OWNER_SHIFT 6
#define PAGE_FREE (0u << PAGE_OWNER_SHIFT)
#define PAGE_RESERVED (1u << PAGE_OWNER_SHIFT)
#define PAGE_PAGES (2u << PAGE_OWNER_SHIFT)
#define PAGE_SLAB (3u << PAGE_OWNER_SHIFT)
#define PAGE_OWNER_MASK (3u << PAGE_OWNER_SHIFT)
#define PAGE_VALUE_MASK 0x1fu
#define PAGE_TAIL 0x1fu

/* page_state / set_page_state - read or set mem_map[pfn] (0xff: no such page). */
u8 page_state(unsigned long pfn);
void set_page_state(unsigned long pfn, u8 state);

#endif
