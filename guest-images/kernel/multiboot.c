/*
 * kernel/multiboot.c - read the Multiboot information the loader left in
 * memory (asm/multiboot.h) into boot_params (asm/setup.h).
 *
 * Runs with paging off, before the page allocator exists, so everything is
 * copied into kernel variables; only the module contents stay in place.
 */
#include <asm/multiboot.h>
#include <asm/setup.h>
#include <linux/kernel.h>
#include <linux/string.h>

struct boot_params boot_params;

/* add_region - append one memory map entry (silently drops extras). */
static void add_region(u64 addr, u64 len, u32 type)
{
	struct mem_region *r;

	if (boot_params.nr_regions >= MAX_MEM_REGIONS)
		return;
	r = &boot_params.regions[boot_params.nr_regions++];
	r->addr = addr;
	r->len = len;
	r->type = type;
}

/* copy_modules - keep the first MAX_BOOT_MODULES modules with their strings. */
static void copy_modules(const struct multiboot_info *mbi)
{
	const struct multiboot_module *m = (const void *)mbi->mods_addr;
	unsigned int i;

	for (i = 0; i < mbi->mods_count && i < MAX_BOOT_MODULES; i++) {
		struct boot_module *bm = &boot_params.modules[i];
		bm->start = m[i].mod_start;
		bm->end = m[i].mod_end;
		if (m[i].string)
			strlcpy(bm->string, (const char *)m[i].string, sizeof(bm->string));
	}
	boot_params.nr_modules = i;
	if (mbi->mods_count > MAX_BOOT_MODULES)
		printk(KERN_WARNING "multiboot: %u modules, keeping the first %d\n",
		       mbi->mods_count, MAX_BOOT_MODULES);
}

/* copy_mmap - the memory map; without one, derive it from mem_lower/upper. */
static void copy_mmap(const struct multiboot_info *mbi)
{
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP) {
		unsigned long p = mbi->mmap_addr, end = p + mbi->mmap_length;
		while (p < end) {
			const struct multiboot_mmap_entry *e = (const void *)p;
			add_region(e->addr, e->len, e->type);
			p += e->size + sizeof(e->size);
		}
	} else if (mbi->flags & MULTIBOOT_INFO_MEMORY) {
		add_region(0, (u64)mbi->mem_lower * 1024, MULTIBOOT_MEMORY_AVAILABLE);
		add_region(0x100000, (u64)mbi->mem_upper * 1024, MULTIBOOT_MEMORY_AVAILABLE);
	}
}

/* multiboot_parse - see asm/setup.h. */
void multiboot_parse(u32 magic, unsigned long info)
{
	const struct multiboot_info *mbi = (const void *)info;

	boot_params.magic = magic;
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot loader (EAX=%08x)", magic);
	boot_params.mb_flags = mbi->flags;
	if (mbi->flags & MULTIBOOT_INFO_MEMORY) {
		boot_params.mem_lower_kb = mbi->mem_lower;
		boot_params.mem_upper_kb = mbi->mem_upper;
	}
	if ((mbi->flags & MULTIBOOT_INFO_CMDLINE) && mbi->cmdline)
		strlcpy(boot_params.cmdline, (const char *)mbi->cmdline,
			sizeof(boot_params.cmdline));
	if ((mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME) && mbi->boot_loader_name)
		strlcpy(boot_params.loader_name, (const char *)mbi->boot_loader_name,
			sizeof(boot_params.loader_name));
	if (mbi->flags & MULTIBOOT_INFO_MODS)
		copy_modules(mbi);
	copy_mmap(mbi);
	if (!boot_params.nr_regions)
		panic("multiboot: no memory information (flags %08x)", mbi->flags);
}

/* multiboot_print - see asm/setup.h. */
void multiboot_print(void)
{
	const struct boot_params *bp = &boot_params;
	unsigned int i;

	printk("multiboot: loader '%s' flags 0x%x mem_lower %u KiB mem_upper %u KiB\n",
	       bp->loader_name, bp->mb_flags, bp->mem_lower_kb, bp->mem_upper_kb);
	printk("multiboot: cmdline '%s'\n", bp->cmdline);
	for (i = 0; i < bp->nr_regions; i++) {
		const struct mem_region *r = &bp->regions[i];
		printk("multiboot: mmap [mem 0x%08llx-0x%08llx] %s\n", r->addr,
		       r->addr + r->len - 1,
		       r->type == MULTIBOOT_MEMORY_AVAILABLE ? "available" : "reserved");
	}
	printk("multiboot: %u module(s)\n", bp->nr_modules);
	for (i = 0; i < bp->nr_modules; i++) {
		const struct boot_module *m = &bp->modules[i];
		printk("multiboot: module %u: addr 0x%08lx size %lu '%s'\n", i, m->start,
		       m->end - m->start, m->string);
	}
}
