/*
 * asm/processor.h - CPU identification and privileged register access:
 * CPUID, RDTSC, CR0/CR2/CR3/CR4, EFLAGS, HLT.
 */
#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#include <asm/processor-flags.h>
#include <linux/types.h>

/* CPUID leaf 1 EDX feature bits this kernel cares about. */
#define X86_FEATURE_FPU (1u << 0)
#define X86_FEATURE_PSE (1u << 3)
#define X86_FEATURE_TSC (1u << 4)
#define X86_FEATURE_CX8 (1u << 8)
#define X86_FEATURE_PGE (1u << 13)
#define X86_FEATURE_CMOV (1u << 15)

/* What kernel/cpu.c found out at boot. */
struct cpuinfo_x86 {
	char vendor[13];	/* "GenuineIntel", "AuthenticAMD", ... NUL-terminated */
	u32 max_leaf;		/* highest basic CPUID leaf */
	u32 signature;		/* leaf 1 EAX: family/model/stepping */
	u32 features;		/* leaf 1 EDX */
	u32 features_ecx;	/* leaf 1 ECX */
};
extern struct cpuinfo_x86 boot_cpu_data;

/* cpu_init - identify the CPU (CPUID) and fill boot_cpu_data. */
void cpu_init(void);

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#define DEFINE_CR_ACCESS(n)						\
	static inline u32 read_cr##n(void)				\
	{								\
		u32 v;							\
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));	\
		return v;						\
	}								\
	static inline void write_cr##n(u32 v)				\
	{								\
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

static inline u32 read_eflags(void)
{
	u32 f;
	__asm__ __volatile__("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void write_eflags(u32 f)
{
	__asm__ __volatile__("pushl %0; popfl" : : "r"(f) : "memory", "cc");
}

/* halt - sleep until the next interrupt (returns after it was handled). */
static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/* safe_halt - enable interrupts and sleep, with no window between the two. */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
