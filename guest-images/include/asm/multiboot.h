/*
 * asm/multiboot.h - the Multiboot v1 boot protocol: the header the kernel
 * image carries (kernel/boot.S) and the information structure the boot loader
 * passes in EBX (parsed by kernel/multiboot.c).
 *
 * Machine state at entry: EAX = MULTIBOOT_BOOTLOADER_MAGIC, EBX = physical
 * address of struct multiboot_info, 32-bit protected mode, paging off,
 * CS/DS/ES/FS/GS/SS flat but the GDT is the loader's (reload it), IF = 0.
 *
 * struct multiboot_info (only fields with a flag bit set are valid):
 *
 *   offset  field                 flag bit
 *    0      flags
 *    4      mem_lower (KiB)       0
 *    8      mem_upper (KiB)       0   memory above 1 MiB
 *   12      boot_device           1
 *   16      cmdline               2   physical address, NUL-terminated
 *   20      mods_count            3
 *   24      mods_addr             3   array of struct multiboot_module
 *   28..40  a.out / ELF symbols   4, 5
 *   44      mmap_length           6   bytes of memory map
 *   48      mmap_addr             6   first struct multiboot_mmap_entry
 *   64      boot_loader_name      9
 */
#ifndef _ASM_MULTIBOOT_H
#define _ASM_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC 0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MULTIBOOT_PAGE_ALIGN 0x00000001	/* header flag: modules page-aligned */
#define MULTIBOOT_MEMORY_INFO 0x00000002	/* header flag: want mem_* and mmap */

#define MULTIBOOT_INFO_MEMORY 0x001
#define MULTIBOOT_INFO_BOOTDEV 0x002
#define MULTIBOOT_INFO_CMDLINE 0x004
#define MULTIBOOT_INFO_MODS 0x008
#define MULTIBOOT_INFO_MEM_MAP 0x040
#define MULTIBOOT_INFO_BOOT_LOADER_NAME 0x200

#define MULTIBOOT_MEMORY_AVAILABLE 1

#ifndef __ASSEMBLER__
#include <linux/compiler.h>
#include <linux/types.h>

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
	u32 apm_table;
} __packed;

struct multiboot_module {
	u32 mod_start, mod_end;	/* [start, end) physical */
	u32 string;		/* physical address of its command line */
	u32 reserved;
} __packed;

/* One memory map entry; size does not count the size field itself. */
struct multiboot_mmap_entry {
	u32 size;
	u64 addr, len;
	u32 type;	/* 1 = available RAM */
} __packed;
#endif

#endif
