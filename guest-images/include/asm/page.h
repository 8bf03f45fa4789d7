/*
 * asm/page.h - page sizes and the kernel's virtual memory layout.
 *
 * Virtual layout (one address space; the kernel is identity-mapped):
 *
 *  0x00000000  +------------------------------+
 *              | page 0: never mapped (NULL)  |
 *  0x00001000  +------------------------------+
 *              | low memory, BIOS areas       |  4 KiB pages, global
 *  0x00100000  +------------------------------+
 *              | kernel image (text R/O)      |  4 KiB pages, global
 *              | boot modules, free RAM       |
 *  LOWMEM_4K   +------------------------------+
 *              | rest of RAM                  |  4 MiB pages (PSE), global
 *  top of RAM  +------------------------------+
 *              | unmapped                     |
 *  KMAP_BASE   +------------------------------+
 *              | temporary mappings (4 MiB)   |  page table always present
 *  KMAP_END    +------------------------------+
 *              | free PDEs for self-tests     |  TEST_PDE_BASE .. + 12 MiB
 *              +------------------------------+
 *              | unmapped                     |
 *  IOREMAP_BASE+------------------------------+
 *              | ioremap window (device MMIO, |  4 KiB pages, PCD|PWT
 *              | uncached), 64 MiB            |
 *  IOREMAP_END +------------------------------+
 *              | unmapped                     |
 *  0xffffffff  +------------------------------+
 */
#ifndef _ASM_PAGE_H
#define _ASM_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PGDIR_SHIFT 22
#define PGDIR_SIZE (1ul << PGDIR_SHIFT)	/* 4 MiB: one PDE's reach */
#define PTRS_PER_PGD 1024
#define PTRS_PER_PTE 1024

#define PDX(va) (((unsigned long)(va) >> PGDIR_SHIFT) & 0x3ff)
#define PTX(va) (((unsigned long)(va) >> PAGE_SHIFT) & 0x3ff)

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PFN(addr) ((unsigned long)(addr) >> PAGE_SHIFT)
#define PFN_ADDR(pfn) ((unsigned long)(pfn) << PAGE_SHIFT)

/* RAM below this is mapped with 4 KiB pages; above it with 4 MiB pages. */
#define LOWMEM_4K 0x01000000ul		/* 16 MiB */
/* Highest RAM address the kernel maps and manages. */
#define MAX_PHYS_MEM 0xc0000000ul	/* 3 GiB */

#define KERNEL_LOAD_ADDR 0x00100000ul	/* 1 MiB: where the Multiboot loader puts us */

/* A 4 MiB window for temporary mappings; its page table always exists. */
#define KMAP_BASE 0xe0000000ul
#define KMAP_END 0xe0400000ul
/* Three 4 MiB slots whose PDEs are left empty for tests to fill. */
#define TEST_PDE_BASE 0xe0400000ul
/* ioremap() hands out pages of this window (kernel/mm/ioremap.c). */
#define IOREMAP_BASE 0xe8000000ul
#define IOREMAP_END 0xec000000ul

/* Identity mapping: physical address == virtual address for all RAM. */
#define __pa(va) ((unsigned long)(va))
#define __va(pa) ((void *)(unsigned long)(pa))

#endif
