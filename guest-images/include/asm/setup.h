/*
 * asm/setup.h - what the kernel learned at boot (kernel/multiboot.c), kept in
 * its own memory so the loader's structures can be recycled.
 *
 * Boot modules stay where the loader put them; their pages are reserved and
 * never handed out by the page allocator.
 */
#ifndef _ASM_SETUP_H
#define _ASM_SETUP_H

#include <linux/types.h>

#define COMMAND_LINE_SIZE 512
#define MAX_BOOT_MODULES 16
#define MAX_MEM_REGIONS 32
#define MODULE_STRING_SIZE 128

struct boot_module {
	unsigned long start, end;	/* physical [start, end) */
	char string[MODULE_STRING_SIZE];	/* the module's command line */
};

struct mem_region {
	u64 addr, len;
	u32 type;	/* 1 = available RAM (Multiboot numbering) */
};

struct boot_params {
	u32 magic;			/* EAX at entry */
	u32 mb_flags;			/* multiboot_info.flags */
	u32 mem_lower_kb, mem_upper_kb;
	char cmdline[COMMAND_LINE_SIZE];
	char loader_name[64];
	unsigned int nr_modules;
	struct boot_module modules[MAX_BOOT_MODULES];
	unsigned int nr_regions;
	struct mem_region regions[MAX_MEM_REGIONS];
};

extern struct boot_params boot_params;

/* Linker-script symbols bounding the kernel image (kernel/kernel.ld). */
extern char _kernel_start[], _etext[], _text_ro_end[];
extern char __user_text_start[], __user_text_end[];
extern char _data_start[], __bss_start[], __bss_end[];
extern char __user_data_start[], __user_data_end[];
extern char _kernel_end[];

/*
 * multiboot_parse - copy the Multiboot information at info into boot_params.
 * Panics on a wrong magic.  Must run before mem_init().
 */
void multiboot_parse(u32 magic, unsigned long info);

/* multiboot_print - log the command line, memory map and modules. */
void multiboot_print(void);

/* start_kernel - C entry point, called by kernel/boot.S. */
void start_kernel(u32 magic, unsigned long info);

/*
 * kernel_main - what the image does once the machine is up (kernel/main.c in
 * the default image, bench/main.c in the benchmark).  Its return value is
 * the exit status handed to machine_exit().
 */
int kernel_main(void);

#endif
