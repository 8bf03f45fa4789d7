/*
 * asm/io.h - x86 port I/O: inb/outb (8 bit), inw/outw (16), inl/outl (32);
 * memory-mapped I/O: ioremap/iounmap (kernel/mm/ioremap.c) and
 * readb/readw/readl, writeb/writew/writel; bus addresses for DMA.
 *
 * Argument order follows Linux: outb(value, port), writel(value, addr).
 * ioremap maps device memory uncached (PTE PCD|PWT) in the ioremap window
 * (asm/page.h); readl/writel are single volatile 32-bit accesses.
 * RAM is identity-mapped and DMA needs no IOMMU, so a bus address equals
 * the physical address equals the kernel virtual address.
 */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include <linux/types.h>

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;
	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;
	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 v, u16 port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* io_delay - a short pause between accesses to slow ISA devices (port 0x80). */
static inline void io_delay(void)
{
	outb(0, 0x80);
}

/*
 * ioremap - map size bytes of device memory at physical address phys into
 * kernel virtual memory, uncached; returns the address for phys (same
 * offset in its page), or NULL when the window is full or size is 0.
 */
void *ioremap(unsigned long phys, unsigned long size);
#define ioremap_nocache ioremap

/* iounmap - undo an ioremap (addr as returned by it). */
void iounmap(void *addr);

static inline u8 readb(const volatile void *a) { return *(const volatile u8 *)a; }
static inline u16 readw(const volatile void *a) { return *(const volatile u16 *)a; }
static inline u32 readl(const volatile void *a) { return *(const volatile u32 *)a; }
static inline void writeb(u8 v, volatile void *a) { *(volatile u8 *)a = v; }
static inline void writew(u16 v, volatile void *a) { *(volatile u16 *)a = v; }
static inline void writel(u32 v, volatile void *a) { *(volatile u32 *)a = v; }

/* virt_to_bus/virt_to_phys - the address a device (DMA) sees for kernel memory. */
static inline unsigned long virt_to_bus(const volatile void *p) { return (unsigned long)p; }
static inline void *bus_to_virt(unsigned long a) { return (void *)a; }
#define virt_to_phys virt_to_bus
#define phys_to_virt bus_to_virt

/* wmb/rmb/mb - order memory accesses (x86 keeps stores ordered; stop the compiler). */
#define mb() __asm__ __volatile__("lock; addl $0,0(%%esp)" ::: "memory")
#define rmb() mb()
#define wmb() __asm__ __volatile__("" ::: "memory")

#endif
