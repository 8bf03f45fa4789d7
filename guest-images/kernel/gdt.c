/*
 * kernel/gdt.c - the global descriptor table and the task-state segment.
 *
 * The GDT holds flat 4 GiB code and data segments for ring 0 and ring 3 and
 * one TSS, whose only job is to give the CPU a ring 0 stack (ESP0) when a
 * trap arrives from ring 3.  Layout and selectors: asm/segment.h.
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <linux/string.h>
#include <linux/usermode.h>

struct desc_struct gdt[GDT_ENTRIES] __aligned(8);
struct tss_struct init_tss __aligned(128);

/*
 * make_desc - encode base, limit (20 bits) and the access byte and flag
 * nibble into the 8-byte layout drawn in asm/desc.h.
 */
struct desc_struct make_desc(u32 base, u32 limit, u8 access, u8 flags)
{
	struct desc_struct d;

	d.lo = (limit & 0xffff) | (base << 16);
	d.hi = ((base >> 16) & 0xff) | ((u32)access << 8) | (limit & 0xf0000) |
	       ((u32)(flags & 0xf) << 20) | (base & 0xff000000);
	return d;
}

/* set_gdt_entry - write one slot; the caller reloads any register using it. */
void set_gdt_entry(int index, struct desc_struct d)
{
	gdt[index] = d;
}

/* tss_set_esp0 - the ring 0 stack for the next trap from ring 3. */
void tss_set_esp0(u32 esp0)
{
	init_tss.esp0 = esp0;
}

/*
 * gdt_init - fill and load the GDT, reload CS with a far jump and the data
 * segment registers with __KERNEL_DS, load the task register, and load a
 * null LDT (after reset LDTR would describe 64 KiB at address 0).
 * Runs first thing at boot, replacing the boot loader's GDT.
 */
void gdt_init(void)
{
	struct desc_ptr gdtr;

	memset(gdt, 0, sizeof(struct desc_struct) * GDT_ENTRIES);
	gdt[GDT_ENTRY_KERNEL_CS] = make_desc(0, 0xfffff, DESC_CODE_KERNEL, DESC_FLAGS_4K_32);
	gdt[GDT_ENTRY_KERNEL_DS] = make_desc(0, 0xfffff, DESC_DATA_KERNEL, DESC_FLAGS_4K_32);
	gdt[GDT_ENTRY_USER_CS] = make_desc(0, 0xfffff, DESC_CODE_USER, DESC_FLAGS_4K_32);
	gdt[GDT_ENTRY_USER_DS] = make_desc(0, 0xfffff, DESC_DATA_USER, DESC_FLAGS_4K_32);

	memset(&init_tss, 0, sizeof(init_tss));
	init_tss.ss0 = __KERNEL_DS;
	init_tss.esp0 = (u32)user_kstack + USER_KSTACK_SIZE;
	init_tss.io_bitmap_base = sizeof(init_tss);	/* beyond the limit: no I/O map */
	gdt[GDT_ENTRY_TSS] = make_desc((u32)&init_tss, sizeof(init_tss) - 1, DESC_TSS, 0);

	gdtr.limit = sizeof(struct desc_struct) * GDT_ENTRIES - 1;
	gdtr.base = (u32)gdt;
	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp %1, $1f\n"
			     "1:\n\t"
			     "movw %w2, %%ds\n\t"
			     "movw %w2, %%es\n\t"
			     "movw %w2, %%fs\n\t"
			     "movw %w2, %%gs\n\t"
			     "movw %w2, %%ss\n\t"
			     "ltr %w3\n\t"
			     "lldt %w4"
			     :
			     : "m"(gdtr), "i"(__KERNEL_CS), "r"(__KERNEL_DS), "r"(__TSS_SEL), "r"(0)
			     : "memory");
}
