/*
 * asm/system.h - interrupt flag control: cli/sti and save/restore.
 */
#ifndef _ASM_SYSTEM_H
#define _ASM_SYSTEM_H

#include <asm/processor-flags.h>
#include <linux/types.h>

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long local_save_flags(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfl; popl %0" : "=r"(f) : : "memory");
	return f;
}

/* local_irq_save - disable interrupts, returning the old EFLAGS. */
#define local_irq_save(flags) \
	do { (flags) = local_save_flags(); local_irq_disable(); } while (0)

/* local_irq_restore - put IF back the way local_irq_save found it. */
static inline void local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("pushl %0; popfl" : : "r"(flags) : "memory", "cc");
}

static inline bool irqs_disabled(void)
{
	return !(local_save_flags() & X86_EFLAGS_IF);
}

#endif
