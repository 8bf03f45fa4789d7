/*
 * kernel/setup.c - start_kernel(): bring the machine up in order, then run
 * the image's kernel_main() and leave with its status.
 *
 *   console (COM1) -> GDT/TSS -> IDT -> Multiboot info -> CPUID
 *   -> page allocator -> paging -> kmalloc -> PICs -> PIT -> COM1 input -> sti
 */
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/system.h>
#include <asm/timex.h>
#include <asm/traps.h>
#include <linux/cmdline.h>
#include <linux/console.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/string.h>

/* start_kernel - see asm/setup.h. */
void start_kernel(u32 magic, unsigned long info)
{
	char buf[16];

	console_init();
	printk("nooks-toy kernel (i386, Multiboot) booting\n");
	gdt_init();
	trap_init();
	multiboot_parse(magic, info);
	if (cmdline_get("exit", buf, sizeof(buf)) && !strcmp(buf, "debug"))
		exit_use_debug_port(true);
	cpu_init();
	multiboot_print();
	mem_init();
	paging_init();
	kmalloc_init();
	init_8259A();
	time_init();
	console_enable_rx_irq();
	local_irq_enable();
	machine_exit(kernel_main());
}
