/*
 * nooks/recovery.c - the recovery manager (nooks/recovery.h): failure
 * detection in the trap path (exceptions inside a domain, the livelock
 * timeout on the timer tick), failed wrapper checks, unwinding, and the
 * recovery sequence with its restart policy.
 *
 * Traps and domains: a ring 0 trap taken inside a domain runs on the
 * domain's stack with the domain's CR3.  nooks_trap_enter (called first
 * thing by trap() in kernel/traps.c) loads the kernel's CR3 before anything
 * in the kernel is written; nooks_trap_exit loads the domain's back last.
 * The failed domain's code is never resumed: its IRET goes to
 * nooks_unwind_trampoline (xpc.S) instead, which unwinds the task to the
 * crossing that entered the domain.
 */
#include <asm/extable.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <nooks/nooks.h>

/* From nooks/xpc.c. */
void nooks_xpc_unwind(struct nooks_domain *d, int error) __attribute__((noreturn));
bool nooks_task_inside(struct nooks_domain *d);
bool nooks_irq_from_domain(struct nooks_domain *d, struct pt_regs *regs);
u32 nooks_kcall_stack(u32 from_cr3);
u32 nooks_call_on_stack(u32 top, u32 (*fn)(void *arg, u32 old_esp), void *arg);

static struct nooks_domain *unwind_domain;

/* nooks_trap_enter state: the interrupted domain (1 KiB aligned) | flags */
#define TS_SWITCHED 1ul		/* we switched CR3 away from a domain */
#define TS_VALID 2ul		/* always set */
#define TS_BLAME 4ul		/* a kernel call made by a domain faulted */

static struct nooks_domain *blame_domain;

/*
 * blame_caller - the domain on whose behalf the kernel was running when it
 * faulted at eip: the current task's innermost crossing, at this trap
 * depth, is a nooks_kernel_call from a running domain, and the kernel has
 * no exception-table fixup for eip.  NULL otherwise (an ordinary oops).
 */
static struct nooks_domain *blame_caller(u32 eip)
{
	struct nooks_xpc_frame *f = nooks_current_task->top;

	if (!f || f->to || !f->from || f->irq || f->trap_depth != nooks_trap_depth ||
	    f->from->state != NOOKS_RUNNING || search_exception_tables(eip))
		return NULL;
	return f->from;
}

/* nooks_fail_domain - see nooks/recovery.h.  Also masks the domain's IRQ
 * lines at once (recovery step 2). */
void nooks_fail_domain(struct nooks_domain *d, u32 vector, u32 eip, u32 cr2, const char *why)
{
	if (d->state != NOOKS_RUNNING && d->state != NOOKS_RECOVERING)
		return;
	d->state = NOOKS_FAILED;
	d->faults++;
	d->last_vector = vector;
	d->last_eip = eip;
	d->last_cr2 = cr2;
	d->last_why = why;
	nooks_stats.faults++;
	printk("nooks: fault domain=%s vector=%u eip=%08x cr2=%08x why=%s\n", d->full_name, vector, eip,
	       cr2, why);
	nooks_disable_all(d);
	printk("nooks: disable domain=%s objects=%u\n", d->full_name, nooks_object_count(d));
}

/* fault_vector - does this exception vector mean the extension failed?
 * (debug traps and NMIs do not; int3 does: no in-guest debugger, and the
 * thunk page is filled with int3) */
static bool fault_vector(u32 v)
{
	return v < NR_EXCEPTION_VECTORS && v != X86_TRAP_DB && v != X86_TRAP_NMI;
}

struct domain_fault {
	struct nooks_domain *d;
	struct pt_regs *regs;
	u32 cr2;
};

/* fail_on_kernel_stack - nooks_fail_domain for an exception (via
 * nooks_call_on_stack). */
static u32 fail_on_kernel_stack(void *arg, u32 old_esp)
{
	struct domain_fault *f = arg;

	(void)old_esp;
	nooks_fail_domain(f->d, f->regs->trapno, f->regs->eip, f->cr2, "exception");
	return 0;
}

/* nooks_unwind_stack - for nooks_unwind_trampoline: a kernel stack to
 * unwind from (below the crossing that entered the failed domain), or 0. */
u32 nooks_unwind_stack(void)
{
	return nooks_kcall_stack(unwind_domain->cr3);
}

/* nooks_trap_enter - see nooks/recovery.h. */
bool nooks_trap_enter(struct pt_regs *regs, unsigned long *state)
{
	struct nooks_domain *d = NULL, *prev;
	struct nooks_xpc_frame *top;
	u32 cr3;

	if (!nooks_kernel_cr3)
		return false;
	cr3 = read_cr3();
	if (cr3 != nooks_kernel_cr3 && (d = nooks_domain_find(cr3)))
		write_cr3(nooks_kernel_cr3);	/* before any write to kernel data */
	prev = nooks_current_domain;
	if (!d && !user_mode(regs) && fault_vector(regs->trapno) &&
	    (d = blame_caller(regs->eip))) {
		/* kernel code running for an extension (nooks_kernel_call)
		 * faulted: the extension's failure, unwound like its own */
		nooks_trap_depth++;
		nooks_current_domain = NULL;
		*state = (unsigned long)prev | TS_VALID | TS_BLAME;
		blame_domain = d;
		nooks_fail_domain(d, regs->trapno, regs->eip,
				  regs->trapno == X86_TRAP_PF ? read_cr2() : 0, "fault in kernel call");
		return true;
	}
	nooks_trap_depth++;
	nooks_current_domain = NULL;
	*state = (unsigned long)(d ? d : prev) | TS_VALID | (d ? TS_SWITCHED : 0);
	if (!d)
		return false;
	if (fault_vector(regs->trapno)) {
		struct domain_fault f = { d, regs, regs->trapno == X86_TRAP_PF ? read_cr2() : 0 };
		u32 top = nooks_kcall_stack(d->cr3);

		/* reported from a kernel stack: the domain's may be nearly full */
		if (top)
			nooks_call_on_stack(top, fail_on_kernel_stack, &f);
		else
			fail_on_kernel_stack(&f, 0);
		return true;			/* not the kernel's fault: no oops */
	}
	if (regs->trapno == FIRST_EXTERNAL_VECTOR + TIMER_IRQ && d->timeout_ticks) {
		top = nooks_current_task->top;
		if (top && top->to == d && jiffies - top->start_jiffies >= d->timeout_ticks)
			nooks_fail_domain(d, NOOKS_VEC_TIMEOUT, regs->eip, 0, "timeout");
	}
	/* an IRQ: handled on a kernel stack, out of the extension's reach */
	if (regs->trapno >= FIRST_EXTERNAL_VECTOR &&
	    regs->trapno < FIRST_EXTERNAL_VECTOR + NR_IRQS && nooks_irq_from_domain(d, regs))
		return true;
	return false;
}

/* nooks_trap_exit - see nooks/recovery.h. */
void nooks_trap_exit(struct pt_regs *regs, unsigned long state)
{
	struct nooks_domain *d = (struct nooks_domain *)(state & ~3ul);

	nooks_trap_depth--;
	nooks_current_domain = d;
	if (state & TS_BLAME) {
		unwind_domain = blame_domain;	/* resume in the unwinder */
		regs->eip = (u32)nooks_unwind_trampoline;
		return;
	}
	if (!(state & TS_SWITCHED))
		return;
	if (d->state == NOOKS_FAILED || d->state == NOOKS_DISABLED) {
		unwind_domain = d;		/* resume in the unwinder, kernel CR3 */
		regs->eip = (u32)nooks_unwind_trampoline;
		return;
	}
	write_cr3(d->cr3);			/* last: the kernel is read-only now */
}

/* nooks_unwind_current - see nooks/recovery.h. */
void nooks_unwind_current(void)
{
	struct nooks_domain *d = unwind_domain;

	nooks_current_domain = NULL;
	nooks_xpc_unwind(d, d->last_vector == NOOKS_VEC_TIMEOUT ? -ETIMEDOUT : -EFAULT);
}

/* nooks_check_failed - see nooks/recovery.h. */
void nooks_check_failed(struct nooks_domain *d, const char *why)
{
	nooks_stats.checks_failed++;
	nooks_fail_domain(d, NOOKS_VEC_CHECK, (u32)__builtin_return_address(0), 0, why);
	if (nooks_task_inside(d)) {
		nooks_current_domain = NULL;
		nooks_xpc_unwind(d, -EFAULT);
	}
	if (!d->active_calls)
		nooks_recover_later(d);
}

/* nooks_signal_failure - see nooks/recovery.h. */
void nooks_signal_failure(struct nooks_domain *d, const char *why)
{
	nooks_fail_domain(d, NOOKS_VEC_SIGNAL, (u32)__builtin_return_address(0), 0, why);
	if (nooks_task_inside(d)) {
		nooks_current_domain = NULL;
		nooks_xpc_unwind(d, -EFAULT);
	}
	if (!d->active_calls)
		nooks_recover_later(d);
}

/* recover_task - the task-queue routine of nooks_recover_later. */
static void recover_task(void *data)
{
	struct nooks_domain *d = data;

	if (d->magic == NOOKS_DOMAIN_MAGIC && d->state == NOOKS_FAILED && !d->active_calls)
		nooks_recover(d);
}

/* nooks_recover_later - see nooks/recovery.h. */
void nooks_recover_later(struct nooks_domain *d)
{
	if (!in_interrupt()) {
		nooks_recover(d);
		return;
	}
	printk("nooks: defer domain=%s recovery to process context\n", d->full_name);
	INIT_TQUEUE(&d->recover_tq, recover_task, d);
	schedule_task(&d->recover_tq);
}

/* recent_restarts - restarts of d within its restart window (the last
 * ARRAY_SIZE(restart_times) of them are remembered). */
static unsigned int recent_restarts(struct nooks_domain *d)
{
	unsigned int i, n = 0, kept = min(d->restarts, (u32)ARRAY_SIZE(d->restart_times));

	for (i = 0; i < kept; i++)
		if (jiffies - d->restart_times[i] < d->restart_window)
			n++;
	return n;
}

/* note_restart - remember the time of this restart (ring of the last few). */
static void note_restart(struct nooks_domain *d)
{
	d->restart_times[d->restarts % ARRAY_SIZE(d->restart_times)] = jiffies;
}

/* nooks_recover - see nooks/recovery.h.  The steps after the unwind:
 * release, restart policy, fresh domain + reload, late release. */
void nooks_recover(struct nooks_domain *d)
{
	struct nooks_object *late;
	unsigned int n;
	int err = -ENOSYS;

	if (d->in_recovery)
		return;			/* a failure of the re-init: reload reports it */
	d->in_recovery = true;
	d->state = NOOKS_RECOVERING;
	n = nooks_release_all(d, false);
	printk("nooks: release domain=%s objects=%u\n", d->full_name, n);
	late = nooks_tracker_detach(d);
	if (recent_restarts(d) >= d->max_restarts || !d->ops || !d->ops->reload) {
		n = nooks_release_list(d, late);
		printk("nooks: release-late domain=%s objects=%u\n", d->full_name, n);
		d->state = NOOKS_DISABLED;
		d->in_recovery = false;
		printk("nooks: disabled domain=%s restarts=%u\n", d->full_name, d->restarts);
		return;
	}
	err = nooks_domain_reset(d);
	d->reloading = true;
	if (!err)
		err = d->ops->reload(d);
	d->reloading = false;
	if (err == NOOKS_RELOAD_UNLOADING) {
		/* The failure hit the extension's removal: its resources are
		 * released and the unload completes; no more calls go in. */
		printk("nooks: reload domain=%s skipped: the extension is being unloaded\n", d->full_name);
		n = nooks_release_list(d, late);
		printk("nooks: release-late domain=%s objects=%u\n", d->full_name, n);
		d->in_recovery = false;
		d->state = NOOKS_DISABLED;
		nooks_stats.recoveries++;
		printk("nooks: recovered domain=%s restarts=%u unload=completed\n", d->full_name, d->restarts);
		return;
	}
	if (err)
		printk("nooks: reload domain=%s failed err=%d\n", d->full_name, err);
	else
		printk("nooks: reload domain=%s ok\n", d->full_name);
	n = nooks_release_list(d, late);
	printk("nooks: release-late domain=%s objects=%u\n", d->full_name, n);
	d->in_recovery = false;
	if (err || d->state != NOOKS_RECOVERING) {
		d->state = NOOKS_DISABLED;
		printk("nooks: disabled domain=%s restarts=%u\n", d->full_name, d->restarts);
		return;
	}
	note_restart(d);
	d->restarts++;
	nooks_stats.recoveries++;
	d->state = NOOKS_RUNNING;
	printk("nooks: recovered domain=%s restarts=%u\n", d->full_name, d->restarts);
}
