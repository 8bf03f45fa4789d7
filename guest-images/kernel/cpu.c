/*
 * kernel/cpu.c - identify the processor with CPUID.
 *
 * CPUID exists if software can flip EFLAGS.ID (bit 21).  Leaf 0 gives the
 * highest leaf and the vendor string (in EBX, EDX, ECX order); leaf 1 gives
 * the family/model/stepping signature and the feature bits.
 */
#include <asm/processor.h>
#include <linux/kernel.h>
#include <linux/string.h>

struct cpuinfo_x86 boot_cpu_data;

/* have_cpuid - can EFLAGS.ID be toggled? */
static bool have_cpuid(void)
{
	u32 f = read_eflags();

	write_eflags(f ^ X86_EFLAGS_ID);
	bool changed = ((read_eflags() ^ f) & X86_EFLAGS_ID) != 0;
	write_eflags(f);
	return changed;
}

/* cpu_init - see asm/processor.h.  Panics without CPUID. */
void cpu_init(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 a, b, cx, d;

	if (!have_cpuid())
		panic("CPU has no CPUID instruction");
	cpuid(0, &a, &b, &cx, &d);
	c->max_leaf = a;
	memcpy(c->vendor + 0, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	c->vendor[12] = 0;
	if (c->max_leaf >= 1) {
		cpuid(1, &a, &b, &cx, &d);
		c->signature = a;
		c->features = d;
		c->features_ecx = cx;
	}
	printk("CPU: %s family %u model %u stepping %u, features edx %08x ecx %08x\n",
	       c->vendor, (c->signature >> 8) & 0xf, (c->signature >> 4) & 0xf,
	       c->signature & 0xf, c->features, c->features_ecx);
}
