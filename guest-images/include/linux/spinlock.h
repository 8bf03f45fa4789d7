/*
 * linux/spinlock.h - spin locks on a uniprocessor.
 *
 * There is one CPU and no preemption, so a lock only has to keep interrupt
 * handlers out: spin_lock_irqsave/irq mask interrupts, spin_lock alone only
 * records the owner state (it protects against nothing but documents
 * intent, as on a UP Linux 2.4).  The locked flag lets code and the
 * debugger see a held lock; taking a held lock is a deadlock on one CPU and
 * is reported with BUG().
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <asm/system.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

typedef struct {
	volatile unsigned int locked;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED ((spinlock_t){ 0 })
#define spin_lock_init(l) ((l)->locked = 0)
#define spin_is_locked(l) ((l)->locked != 0)

/* spin_lock - take l (BUG if already held: that would spin forever on UP). */
static inline void spin_lock(spinlock_t *l)
{
	BUG_ON(l->locked);
	l->locked = 1;
	barrier();
}

/* spin_unlock - release l. */
static inline void spin_unlock(spinlock_t *l)
{
	barrier();
	l->locked = 0;
}

/* spin_trylock - take l if free; 1 on success. */
static inline int spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return 0;
	l->locked = 1;
	barrier();
	return 1;
}

#define spin_lock_irqsave(l, flags) \
	do { local_irq_save(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { spin_unlock(l); local_irq_restore(flags); } while (0)
#define spin_lock_irq(l) do { local_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l) do { spin_unlock(l); local_irq_enable(); } while (0)
/* Bottom halves run only from do_softirq, which never nests: nothing to mask. */
#define spin_lock_bh(l) spin_lock(l)
#define spin_unlock_bh(l) spin_unlock(l)

#endif
