/*
 * nooks/xpc.c - the C side of extension procedure calls (nooks/xpc.h):
 * checks, the per-task chain of crossing frames, stack choice, per-call
 * objects (copy in/out, granted pages), deferred-call queues and counters.
 * The CR3 load and the stack swap themselves are in nooks/xpc.S.
 */
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/irq.h>
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <nooks/nooks.h>

/* A queued call and the two queues, in the domain-writable defer page. */
struct nooks_defer_call {
	void *fn;
	u32 nargs;
	u32 args[NOOKS_XPC_MAX_ARGS];
};

struct nooks_defer_queue {
	u32 head, tail;			/* head == tail: empty */
	struct nooks_defer_call slot[NOOKS_DEFER_SLOTS];
};

struct nooks_defer_area {
	struct nooks_defer_queue to_ext, to_kernel;
	u32 ran_to_ext;			/* counted inside the domain, folded by the kernel */
};
_Static_assert(sizeof(struct nooks_defer_area) <= PAGE_SIZE, "defer area is one page");

u32 nooks_call_on_stack(u32 top, u32 (*fn)(void *arg, u32 old_esp), void *arg);

typedef u32 (*nooks_fn8_t)(u32, u32, u32, u32, u32, u32, u32, u32);

static struct nooks_task init_task = { .name = "init" };
struct nooks_task *nooks_current_task = &init_task;
struct nooks_stats nooks_stats;
bool nooks_isolation = true;
unsigned int nooks_trap_depth;
/* nooks_fail=NAME@N: signal a failure of domain NAME at its N-th driver call. */
char nooks_fail_name[32];
u32 nooks_fail_at;

#define XPC_MAX_DEPTH 32

/* call8 - fn(a[0..7]) as a plain cdecl call (extra arguments are ignored). */
static u32 call8(void *fn, const u32 *a)
{
	return ((nooks_fn8_t)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
}

/*
 * The phases below are kept out of line (__noinline) on purpose: each is a
 * symbol of its own, so the emulator can attribute cycles to it.
 */

/* ---- phase: checks ---- */

/* xpc_check_driver_call - may the kernel call fn in d now?  0 or -errno. */
static __noinline int xpc_check_driver_call(struct nooks_domain *d, void *fn, int nargs)
{
	if (!d || d->magic != NOOKS_DOMAIN_MAGIC || !fn)
		return -EINVAL;
	if (nargs < 0 || nargs > NOOKS_XPC_MAX_ARGS)
		return -E2BIG;
	if (d->state != NOOKS_RUNNING && !(d->state == NOOKS_RECOVERING && d->reloading))
		return -ENODEV;
	if (nooks_current_task->depth >= XPC_MAX_DEPTH)
		return -EBUSY;
	return 0;
}

/* xpc_check_kernel_call - may d call fn in the kernel?  0 or why not. */
static __noinline const char *xpc_check_kernel_call(struct nooks_domain *d, void *fn, int nargs)
{
	(void)d;
	if (!fn)
		return "kernel call to NULL";
	if (nargs < 0 || nargs > NOOKS_XPC_MAX_ARGS)
		return "kernel call with bad nargs";
	if (nooks_current_task->depth >= XPC_MAX_DEPTH)
		return "kernel call nesting too deep";
	return NULL;
}

/* ---- phase: frame and stack ---- */

/* stack_busy - is pool stack slot s of d used by a frame on the chain? */
static bool stack_busy(struct nooks_domain *d, int s)
{
	struct nooks_xpc_frame *f;

	for (f = nooks_current_task->top; f; f = f->prev)
		if (f->to == d && f->fresh_stack && f->stack_slot == s)
			return true;
	return false;
}

/* current_esp - this function's stack pointer (approximately ours). */
static inline u32 current_esp(void)
{
	u32 esp;

	__asm__ __volatile__("movl %%esp, %0" : "=r"(esp));
	return esp;
}

/*
 * pick_domain_stack - where a call into d starts: below the current stack
 * pointer if we already run on one of d's stacks (an IRQ that interrupted
 * d: checked first, it is the deepest point in use), else where the task
 * left d's stack when d last called out (nesting), else a free pool stack.
 * Returns the top, or 0 if every stack is busy.
 */
static __noinline u32 pick_domain_stack(struct nooks_domain *d, struct nooks_xpc_frame *nf)
{
	struct nooks_xpc_frame *f;
	u32 esp = current_esp();
	int s;

	if (nooks_domain_on_stack(d, esp))
		return esp - 1024;	/* leave room for the C calls before the switch */
	for (f = nooks_current_task->top; f; f = f->prev)
		if (f->from == d)
			return f->domain_esp - 64;
	for (s = 0; s < NOOKS_NR_STACKS; s++) {
		if (!stack_busy(d, s)) {
			nf->fresh_stack = true;
			nf->stack_slot = s;
			return d->stacks[s] + NOOKS_STACK_SIZE - 16;
		}
	}
	return 0;
}

/* pick_kernel_stack - where a call from d into the kernel runs: below the
 * kernel frame that entered d; 0 (stay on this stack) if there is none.
 * Reached from the nooks_kernel_call stub through nooks_kcall_stack. */
static __noinline u32 pick_kernel_stack(struct nooks_domain *d)
{
	struct nooks_xpc_frame *f;

	for (f = nooks_current_task->top; f; f = f->prev)
		if (f->to == d)
			return f->from_esp - 64;
	return 0;
}

/* xpc_push_frame - fill in the bookkeeping part of f and link it. */
static __noinline void xpc_push_frame(struct nooks_xpc_frame *f, struct nooks_domain *from,
			   struct nooks_domain *to)
{
	f->from = from;
	f->to = to;
	f->start_jiffies = jiffies;
	f->trap_depth = nooks_trap_depth;
	f->prev = nooks_current_task->top;
	f->magic = NOOKS_FRAME_MAGIC;
	nooks_current_task->top = f;
	nooks_current_task->depth++;
	if (to)
		to->active_calls++;
}

/* xpc_pop_frame - unlink f (the top of the chain). */
static __noinline void xpc_pop_frame(struct nooks_xpc_frame *f)
{
	nooks_current_task->top = f->prev;
	nooks_current_task->depth--;
	f->magic = 0;
	if (f->to)
		f->to->active_calls--;
}

/* ---- phase: per-call objects (copy in / copy out / page tracker) ---- */

/* xpc_copy_in - grant pages and make shadow copies on the domain stack
 * (below f->to_esp, which moves down); -errno on failure. */
static __noinline int xpc_copy_in(struct nooks_xpc_frame *f, struct nooks_domain *d)
{
	unsigned int i;
	unsigned long va;
	struct nooks_xpc_obj *o;
	int err;

	for (i = 0; i < f->nobjs; i++) {
		o = &f->objs[i];
		if (o->flags & NOOKS_OBJ_GRANT) {
			for (va = (unsigned long)o->ptr & PAGE_MASK;
			     va < (unsigned long)o->ptr + o->size; va += PAGE_SIZE)
				if ((err = nooks_grant_page(d, va)))
					return err;
		}
		if (o->flags & NOOKS_OBJ_COPY) {
			if (o->argno < 0 || o->argno >= (int)f->nargs)
				return -EINVAL;
			if (o->size <= 1024) {
				f->to_esp = (f->to_esp - o->size) & ~15u;
				o->shadow = (void *)f->to_esp;
			} else {
				o->shadow = nooks_domain_alloc(d, o->size);
				if (!o->shadow)
					return -ENOMEM;
				o->heap = true;
			}
			if (o->flags & NOOKS_OBJ_IN)
				memcpy(o->shadow, o->ptr, o->size);
			else
				memset(o->shadow, 0, o->size);
			f->args[o->argno] = (u32)o->shadow;
			if ((o->flags & NOOKS_OBJ_ARG2) && o->argno2 >= 0 &&
			    o->argno2 < (int)f->nargs)
				f->args[o->argno2] = (u32)o->shadow + o->off2;
		}
	}
	return 0;
}

/* xpc_copy_out - copy shadows back (unless the call failed) and take
 * granted pages back. */
static __noinline void xpc_copy_out(struct nooks_xpc_frame *f, struct nooks_domain *d, bool ok)
{
	unsigned int i;
	unsigned long va;
	struct nooks_xpc_obj *o;

	for (i = 0; i < f->nobjs; i++) {
		o = &f->objs[i];
		if ((o->flags & NOOKS_OBJ_COPY) && (o->flags & NOOKS_OBJ_OUT) && ok && o->shadow)
			memcpy(o->ptr, o->shadow, o->size);
		if (o->heap && o->shadow) {
			nooks_domain_free(d, o->shadow);
			o->heap = false;
		}
		if (o->flags & NOOKS_OBJ_GRANT)
			for (va = (unsigned long)o->ptr & PAGE_MASK;
			     va < (unsigned long)o->ptr + o->size; va += PAGE_SIZE)
				nooks_ungrant_page(d, va);
	}
}

/* ---- phase: deferred calls ---- */

/*
 * The queues are filled and drained both in process context and from
 * interrupt handlers: an IRQ taken while a queue is being drained (or
 * filled) makes a driver call into the same domain, and that call's
 * return drains the same queue again.  So every update of head or tail,
 * with the slot it covers, happens with interrupts off: a drain nested in
 * an interrupt must never see a call the interrupted drain has already
 * taken (it would run twice - e.g. a second netif_rx of a received skb,
 * which the first one already handed up, and the kernel has freed) nor
 * have its own progress undone by a stale head written back after it.
 * The calls themselves run with interrupts as the caller had them.
 */

/* queue_put - append fn(args) to q; -ENOSPC when full. */
static int queue_put(struct nooks_defer_queue *q, void *fn, int nargs, va_list ap)
{
	u32 args[NOOKS_XPC_MAX_ARGS];
	struct nooks_defer_call *c;
	unsigned long flags;
	int i;

	if (nargs < 0 || nargs > NOOKS_XPC_MAX_ARGS)
		return -E2BIG;
	for (i = 0; i < NOOKS_XPC_MAX_ARGS; i++)
		args[i] = i < nargs ? va_arg(ap, u32) : 0;
	local_irq_save(flags);
	if (q->tail - q->head >= NOOKS_DEFER_SLOTS) {
		local_irq_restore(flags);
		return -ENOSPC;
	}
	c = &q->slot[q->tail % NOOKS_DEFER_SLOTS];
	c->fn = fn;
	c->nargs = nargs;
	for (i = 0; i < NOOKS_XPC_MAX_ARGS; i++)
		c->args[i] = args[i];
	q->tail++;
	local_irq_restore(flags);
	return 0;
}

/* queue_take - remove the oldest queued call into *c; false if empty. */
static bool queue_take(struct nooks_defer_queue *q, struct nooks_defer_call *c)
{
	unsigned long flags;
	bool taken = false;

	local_irq_save(flags);
	if (q->head != q->tail) {
		*c = q->slot[q->head % NOOKS_DEFER_SLOTS];
		q->head++;
		taken = true;
	}
	local_irq_restore(flags);
	return taken;
}

/* queue_run - run and remove every queued call, each taken exactly once
 * even if a nested drain (from an interrupt) runs meanwhile; how many ran. */
static u32 queue_run(struct nooks_defer_queue *q)
{
	struct nooks_defer_call c;
	u32 n = 0;

	while (queue_take(q, &c)) {
		call8(c.fn, c.args);
		n++;
	}
	return n;
}

/* count_ran_to_ext - add n to the defer page's count of deferred calls run
 * in the domain (the kernel folds and clears it, possibly from an IRQ). */
static void count_ran_to_ext(struct nooks_defer_area *q, u32 n)
{
	unsigned long flags;

	local_irq_save(flags);
	q->ran_to_ext += n;
	local_irq_restore(flags);
}

/*
 * xpc_drain_to_ext - runs INSIDE the domain, in place of the called
 * function: first the calls the kernel deferred for this domain (one
 * crossing for all of them), then the real function with its arguments.
 * Touches only the defer page (domain memory) and reads the frame.
 */
static u32 xpc_drain_to_ext(u32 a0, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5, u32 a6, u32 a7)
{
	struct nooks_xpc_frame *f = nooks_current_task->top;
	struct nooks_defer_area *q = f->to->defer;
	u32 a[NOOKS_XPC_MAX_ARGS] = { a0, a1, a2, a3, a4, a5, a6, a7 };

	count_ran_to_ext(q, queue_run(&q->to_ext));
	return call8(f->real_fn, a);
}

/* xpc_drain_to_kernel - run the calls d deferred to the kernel (kernel side). */
static __noinline void xpc_drain_to_kernel(struct nooks_domain *d)
{
	unsigned long flags;
	u32 n;

	if (!d->defer)
		return;
	n = queue_run(&d->defer->to_kernel);
	local_irq_save(flags);		/* counters also updated by nested drains */
	d->deferred_out += n;
	nooks_stats.deferred_to_kernel += n;
	if (d->defer) {			/* d may have been torn down meanwhile */
		n = d->defer->ran_to_ext;
		d->defer->ran_to_ext = 0;
		d->deferred_in += n;
		nooks_stats.deferred_to_ext += n;
	}
	local_irq_restore(flags);
}

/* nooks_defer_driver_call - see nooks/xpc.h. */
int nooks_defer_driver_call(struct nooks_domain *d, void *fn, int nargs, ...)
{
	va_list ap;
	int r;

	if (!d || d->magic != NOOKS_DOMAIN_MAGIC || !d->defer || d->state != NOOKS_RUNNING)
		return -ENODEV;
	va_start(ap, nargs);
	r = queue_put(&d->defer->to_ext, fn, nargs, ap);
	va_end(ap);
	return r;
}

/* nooks_defer_kernel_call - see nooks/xpc.h.  Runs in the domain: writes
 * only the domain's defer page.  Outside a domain: a plain call. */
int nooks_defer_kernel_call(void *fn, int nargs, ...)
{
	struct nooks_domain *d = nooks_current_domain;
	u32 a[NOOKS_XPC_MAX_ARGS] = { 0 };
	va_list ap;
	int r, i;

	va_start(ap, nargs);
	if (d && d->defer) {
		r = queue_put(&d->defer->to_kernel, fn, nargs, ap);
	} else {
		for (i = 0; i < nargs && i < NOOKS_XPC_MAX_ARGS; i++)
			a[i] = va_arg(ap, u32);
		call8(fn, a);
		r = 0;
	}
	va_end(ap);
	return r;
}

/* ---- kernel -> extension ---- */

/* nooks_driver_call_objs - see nooks/xpc.h.  The full path, phase by phase. */
int nooks_driver_call_objs(struct nooks_domain *d, void *fn, int nargs, const u32 *args,
			   struct nooks_xpc_obj *objs, unsigned int nobjs)
{
	struct nooks_xpc_frame f;
	struct nooks_domain *prev = nooks_current_domain;
	int err, i;
	u32 ret;

	if (!nooks_isolation) {			/* nooks=off: a plain call */
		u32 a[NOOKS_XPC_MAX_ARGS] = { 0 };
		for (i = 0; i < nargs && i < NOOKS_XPC_MAX_ARGS; i++)
			a[i] = args[i];
		nooks_stats.native_calls++;
		if (d && d->defer) {
			count_ran_to_ext(d->defer, queue_run(&d->defer->to_ext));
			ret = call8(fn, a);
			xpc_drain_to_kernel(d);
			return (int)ret;
		}
		return (int)call8(fn, a);
	}
	if ((err = xpc_check_driver_call(d, fn, nargs)))
		return err;
	if (unlikely(nooks_fail_at) && d->xpc_in + 1 == nooks_fail_at &&
	    !strcmp(d->full_name, nooks_fail_name)) {
		d->xpc_in++;
		nooks_signal_failure(d, "nooks_fail= signal");
		return -EFAULT;
	}
	memset(&f, 0, sizeof(f));
	f.fn = fn;
	f.nargs = nargs;
	for (i = 0; i < nargs; i++)
		f.args[i] = args[i];
	f.objs = objs;
	f.nobjs = nobjs;
	f.to_cr3 = d->cr3;
	f.from_cr3 = nooks_kernel_cr3;
	f.to_esp = pick_domain_stack(d, &f);
	if (!f.to_esp)
		return -EBUSY;
	if ((err = xpc_copy_in(&f, d))) {
		xpc_copy_out(&f, d, false);
		return err;
	}
	if (d->defer && d->defer->to_ext.head != d->defer->to_ext.tail) {
		/* batch the deferred calls into this crossing */
		f.real_fn = f.fn;
		f.fn = (void *)xpc_drain_to_ext;
	}
	xpc_push_frame(&f, prev, d);
	if (nooks_setjmp(&f.jb)) {
		/* unwound by recovery: the domain failed under this call */
		xpc_copy_out(&f, d, false);
		xpc_pop_frame(&f);
		nooks_current_domain = prev;
		if (!d->active_calls && d->state == NOOKS_FAILED && !d->in_recovery)
			nooks_recover_later(d);
		return f.error;
	}
	d->xpc_in++;
	nooks_stats.xpc_to_ext++;
	if (f.to_cr3 != f.from_cr3)
		nooks_stats.cr3_loads += 2;
	nooks_current_domain = d;
	ret = nooks_xpc_switch(&f);
	nooks_current_domain = prev;
	xpc_pop_frame(&f);
	xpc_copy_out(&f, d, true);
	if (d->sync)
		d->sync(d);			/* shared kernel objects back in shape */
	xpc_drain_to_kernel(d);
	return (int)ret;
}

/* nooks_driver_callv - see nooks/xpc.h. */
int nooks_driver_callv(struct nooks_domain *d, void *fn, int nargs, const u32 *args)
{
	return nooks_driver_call_objs(d, fn, nargs, args, NULL, 0);
}

/* nooks_driver_call - see nooks/xpc.h. */
int nooks_driver_call(struct nooks_domain *d, void *fn, int nargs, ...)
{
	u32 a[NOOKS_XPC_MAX_ARGS] = { 0 };
	va_list ap;
	int i;

	if (nargs < 0 || nargs > NOOKS_XPC_MAX_ARGS)
		return -E2BIG;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		a[i] = va_arg(ap, u32);
	va_end(ap);
	return nooks_driver_call_objs(d, fn, nargs, a, NULL, 0);
}

/* ---- extension -> kernel ---- */

/*
 * nooks_kernel_call_c - the C part of nooks_kernel_call (xpc.S), entered
 * with the kernel's CR3 already loaded, on the kernel stack (the stub moved
 * there; domain_esp is where it left the domain's).  from_cr3 says who
 * called: the kernel (plain call) or a domain.
 */
u32 nooks_kernel_call_c(u32 from_cr3, void *fn, int nargs, const u32 *args, u32 domain_esp)
{
	struct nooks_domain *d = from_cr3 == nooks_kernel_cr3 ? NULL : nooks_domain_find(from_cr3);
	struct nooks_xpc_frame f;
	const char *why;
	u32 ret;
	int i;

	if (!d) {
		u32 a[NOOKS_XPC_MAX_ARGS] = { 0 };
		for (i = 0; i < nargs && i < NOOKS_XPC_MAX_ARGS; i++)
			a[i] = args[i];
		return fn ? call8(fn, a) : (u32)-EINVAL;
	}
	if ((why = xpc_check_kernel_call(d, fn, nargs)))
		nooks_check_failed(d, why);	/* unwinds out of d */
	memset(&f, 0, sizeof(f));
	f.fn = fn;
	f.nargs = nargs;
	for (i = 0; i < nargs; i++)
		f.args[i] = args[i];
	f.to_cr3 = nooks_kernel_cr3;		/* loaded by the entry stub */
	f.from_cr3 = nooks_kernel_cr3;		/* the stub loads d's on the way out */
	f.to_esp = 0;				/* the stub already moved to the kernel stack */
	f.domain_esp = domain_esp;
	xpc_push_frame(&f, d, NULL);
	d->xpc_out++;
	nooks_stats.xpc_to_kernel++;
	nooks_stats.cr3_loads += 2;
	nooks_current_domain = NULL;
	ret = nooks_xpc_switch(&f);
	nooks_current_domain = d;
	xpc_pop_frame(&f);
	/* the livelock clock measures time since the domain last had control */
	if (nooks_current_task->top && nooks_current_task->top->to == d)
		nooks_current_task->top->start_jiffies = jiffies;
	return ret;
}

/* nooks_kcall_stack - for the nooks_kernel_call stub (kernel CR3, still on
 * the domain's stack; only reads): the kernel stack top to run on. */
u32 nooks_kcall_stack(u32 from_cr3)
{
	struct nooks_domain *d = from_cr3 == nooks_kernel_cr3 ? NULL : nooks_domain_find(from_cr3);

	return d ? pick_kernel_stack(d) : 0;
}

/* nooks_caller_domain - see nooks/xpc.h. */
struct nooks_domain *nooks_caller_domain(void)
{
	struct nooks_xpc_frame *f = nooks_current_task->top;

	return f && !f->to && !f->irq ? f->from : NULL;
}

struct irq_from_domain {
	struct nooks_domain *d;
	struct pt_regs *regs;
};

/* irq_on_kernel_stack - runs on a kernel stack (nooks_call_on_stack): the
 * IRQ that interrupted a->d, with a frame on the chain saying where d's
 * stack is in use (domain_esp), so calls into d from the handler continue
 * below it. */
static u32 irq_on_kernel_stack(void *arg, u32 domain_esp)
{
	struct irq_from_domain *a = arg;
	struct nooks_xpc_frame f;

	memset(&f, 0, sizeof(f));
	f.domain_esp = domain_esp;
	f.irq = true;
	xpc_push_frame(&f, a->d, NULL);
	do_IRQ(a->regs->trapno - FIRST_EXTERNAL_VECTOR, a->regs);
	xpc_pop_frame(&f);
	return 0;
}

/* nooks_irq_from_domain - handle the IRQ in regs, taken inside d, on the
 * kernel stack where the task left it when it entered d (like a call from
 * d into the kernel).  false if there is no such stack (the caller then
 * handles it where it is). */
bool nooks_irq_from_domain(struct nooks_domain *d, struct pt_regs *regs)
{
	struct irq_from_domain a = { d, regs };
	u32 top = pick_kernel_stack(d);

	if (!top)
		return false;
	nooks_call_on_stack(top, irq_on_kernel_stack, &a);
	return true;
}

/* ---- unwinding (used by nooks/recovery.c) ---- */

/*
 * nooks_xpc_unwind - send the current task back to the crossing where it
 * entered d: the oldest frame into d among those pushed at the current
 * trap depth.  Frames above it are dropped (granted pages taken back).  The
 * chosen nooks_driver_call returns error.  Does not return; panics if the
 * task is not inside d.
 */
void nooks_xpc_unwind(struct nooks_domain *d, int error)
{
	struct nooks_xpc_frame *f, *target = NULL;

	/* a frame without its magic ends the walk: wild kernel writes made
	 * for a broken extension must not send the unwinder into garbage */
	for (f = nooks_current_task->top; f && f->magic == NOOKS_FRAME_MAGIC &&
	     f->trap_depth == nooks_trap_depth; f = f->prev)
		if (f->to == d)
			target = f;
	if (!target)
		panic("nooks: unwind: task is not inside domain %s", d->full_name);
	while (nooks_current_task->top != target) {
		f = nooks_current_task->top;
		if (f->to && f->nobjs)
			xpc_copy_out(f, f->to, false);
		xpc_pop_frame(f);
	}
	nooks_stats.unwinds++;
	printk("nooks: unwind domain=%s tasks=1 depth=%u\n", d->full_name, nooks_current_task->depth);
	target->error = error;
	nooks_longjmp(&target->jb, 1);
}

/* nooks_task_inside - is the current task inside d (at this trap depth)? */
bool nooks_task_inside(struct nooks_domain *d)
{
	struct nooks_xpc_frame *f;

	for (f = nooks_current_task->top; f && f->magic == NOOKS_FRAME_MAGIC &&
	     f->trap_depth == nooks_trap_depth; f = f->prev)
		if (f->to == d)
			return true;
	return false;
}
