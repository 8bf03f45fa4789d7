/*
 * kernel/selftest/cpu.c - processor identification and system state:
 * CPUID vendor and features, a monotonic TSC, writable EFLAGS.ID/AC, the
 * segment and task registers, SGDT/SIDT.
 */
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include "selftest.h"

/* test_cpuid - a printable vendor, leaf 1, and the features the kernel uses. */
static void test_cpuid(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 need = X86_FEATURE_PSE | X86_FEATURE_TSC | X86_FEATURE_CX8 | X86_FEATURE_PGE |
		   X86_FEATURE_CMOV;
	bool printable = true;
	int i;

	for (i = 0; i < 12; i++)
		printable &= isprint(c->vendor[i]);
	printk("cpu: CPUID vendor '%s' max leaf %u signature %08x\n", c->vendor, c->max_leaf,
	       c->signature);
	st_expect("cpuid_vendor", printable && c->max_leaf >= 1, "vendor '%s' max leaf %u",
		  c->vendor, c->max_leaf);
	st_expect("cpuid_features", (c->features & need) == need,
		  "leaf 1 EDX %08x lacks %08x (PSE TSC CX8 PGE CMOV)", c->features,
		  need & ~c->features);
}

/* test_rdtsc - 1000 reads never go backwards and the last is later. */
static void test_rdtsc(void)
{
	u64 first = rdtsc(), prev = first, t;
	int i, backwards = 0;

	for (i = 0; i < 1000; i++) {
		t = rdtsc();
		if (t < prev)
			backwards++;
		prev = t;
	}
	st_expect("rdtsc_monotonic", !backwards && prev > first,
		  "%d backward steps, first %llu last %llu", backwards, first, prev);
}

/* EFLAGS.ID (CPUID present) and EFLAGS.AC (486+) can be toggled. */
static void test_eflags_bits(void)
{
	u32 f = read_eflags(), g;

	write_eflags(f ^ (X86_EFLAGS_ID | X86_EFLAGS_AC));
	g = read_eflags();
	write_eflags(f);
	st_expect("eflags_id_ac", ((f ^ g) & (X86_EFLAGS_ID | X86_EFLAGS_AC)) ==
		  (X86_EFLAGS_ID | X86_EFLAGS_AC), "EFLAGS %08x -> %08x", f, g);
}

/*
 * test_descriptor_tables - SGDT/SIDT read back what gdt_init/trap_init
 * loaded; CS, SS, TR hold the kernel selectors; LTR marked the TSS busy.
 */
static void test_descriptor_tables(void)
{
	struct desc_ptr gdtr, idtr;
	u16 cs, ss, tr = read_tr();

	__asm__ __volatile__("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__("movw %%cs, %0; movw %%ss, %1" : "=r"(cs), "=r"(ss));
	st_expect("descriptor_tables", gdtr.base == (u32)gdt &&
		  gdtr.limit == GDT_ENTRIES * 8 - 1 && idtr.limit == 256 * 8 - 1 &&
		  cs == __KERNEL_CS && ss == __KERNEL_DS && tr == __TSS_SEL &&
		  (gdt[GDT_ENTRY_TSS].hi & 0x0f00) == 0x0b00,
		  "GDT %08x/%x IDT %08x/%x CS %x SS %x TR %x TSS type %x", gdtr.base, gdtr.limit,
		  idtr.base, idtr.limit, cs, ss, tr, (gdt[GDT_ENTRY_TSS].hi >> 8) & 0xf);
}

/* selftest_cpu - the "cpu" area. */
void selftest_cpu(void)
{
	test_cpuid();
	test_rdtsc();
	test_eflags_bits();
	test_descriptor_tables();
}
