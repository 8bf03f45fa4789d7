/*
 * kernel/selftest/boot.c - what the boot loader handed over (Multiboot
 * magic, memory map, modules), the kernel image layout, and the console
 * UART (polled loopback).
 */
#include <asm/multiboot.h>
#include <asm/page.h>
#include <asm/setup.h>
#include <asm/system.h>
#include <linux/console.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "selftest.h"

/* test_multiboot - the magic in EAX and a usable memory map. */
static void test_multiboot(void)
{
	const struct boot_params *bp = &boot_params;
	bool high_ram = false;
	unsigned int i;

	st_expect("multiboot_magic", bp->magic == MULTIBOOT_BOOTLOADER_MAGIC,
		  "EAX was %08x", bp->magic);
	for (i = 0; i < bp->nr_regions; i++)
		high_ram |= bp->regions[i].type == MULTIBOOT_MEMORY_AVAILABLE &&
			    bp->regions[i].addr <= 0x100000 &&
			    bp->regions[i].addr + bp->regions[i].len > 0x200000;
	st_expect("memory_map", high_ram && nr_ram_pages() > 256 &&
		  (!(bp->mb_flags & MULTIBOOT_INFO_MEMORY) || bp->mem_upper_kb >= 1024),
		  "%u regions, mem_upper %u KiB, %lu RAM pages", bp->nr_regions,
		  bp->mem_upper_kb, nr_ram_pages());
}

/* Modules: page-aligned (we asked), inside RAM, their pages reserved. */
static void test_modules(void)
{
	unsigned int i;

	for (i = 0; i < boot_params.nr_modules; i++) {
		const struct boot_module *m = &boot_params.modules[i];
		unsigned long pfn;
		bool reserved = true;
		for (pfn = PFN(m->start); pfn < PFN(PAGE_ALIGN(m->end)); pfn++)
			reserved &= page_state(pfn) == PAGE_RESERVED;
		if ((m->start & (PAGE_SIZE - 1)) || m->end < m->start || !reserved ||
		    m->end > PFN_ADDR(max_pfn)) {
			st_fail("modules", "module %u: %08lx-%08lx reserved %d", i, m->start,
				m->end, reserved);
			return;
		}
	}
	st_pass("modules");
}

/* test_image_layout - the linker script: load address and page-aligned groups. */
static void test_image_layout(void)
{
	unsigned long s = (unsigned long)_kernel_start, ro = (unsigned long)_text_ro_end;
	unsigned long bss = (unsigned long)__bss_start, end = (unsigned long)_kernel_end;

	st_expect("image_layout", s == KERNEL_LOAD_ADDR && !(ro & (PAGE_SIZE - 1)) &&
		  !((unsigned long)__user_text_start & (PAGE_SIZE - 1)) &&
		  !((unsigned long)_data_start & (PAGE_SIZE - 1)) && bss < end &&
		  !(end & (PAGE_SIZE - 1)), "start %08lx ro_end %08lx bss %08lx end %08lx",
		  s, ro, bss, end);
}

/* selftest_boot - the "boot" area. */
void selftest_boot(void)
{
	test_multiboot();
	test_modules();
	test_image_layout();
}

/* The UART in loopback mode returns what it sends (polled, IRQs off). */
void selftest_uart(void)
{
	static const u8 pattern[] = { 'N', 'o', 'o', 'k', 's', 0x00, 0xff, 0x55, 0xaa, '\n' };
	unsigned long flags;
	int good;

	local_irq_save(flags);
	good = uart_loopback_test(pattern, sizeof(pattern));
	local_irq_restore(flags);
	st_expect("loopback", good == (int)sizeof(pattern), "%d of %u bytes came back", good,
		  (unsigned)sizeof(pattern));
}
