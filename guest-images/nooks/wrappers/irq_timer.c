/*
 * nooks/wrappers/irq_timer.c - interrupt handlers and kernel timers of an
 * isolated driver.
 *
 * request_irq registers a kernel handler (irq_thunk) whose dev_id is a
 * record naming the domain, the driver's handler and its dev_id; the IRQ
 * line is a tracked object (disabled at failure, freed after the reload).
 * A timer's function is replaced by an export thunk (an XPC into the
 * domain) when the driver arms it; armed timers are tracked and deleted
 * at recovery.
 */
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

struct irq_record {
	struct nooks_domain *d;
	irq_handler_t handler;
	void *dev_id;
	u32 generation;
};

static int timer_type;

/* irq_thunk - the kernel's handler for an isolated driver's IRQ: an XPC
 * into its domain (nothing if the domain failed or was reloaded). */
static void irq_thunk(int irq, void *dev_id, struct pt_regs *regs)
{
	struct irq_record *r = dev_id;

	if (r->d->state != NOOKS_RUNNING || r->d->generation != r->generation)
		return;
	nooks_driver_call(r->d, (void *)r->handler, 3, irq, r->dev_id, regs);
}

/* nooks_wrap_request_irq - request_irq for the calling domain. */
int nooks_wrap_request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			   const char *name, void *dev_id)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct irq_record *r;
	int err;

	if (!d)
		return request_irq(irq, handler, flags, name, dev_id);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->d = d;
	r->handler = handler;
	r->dev_id = dev_id;
	r->generation = d->generation;
	err = request_irq(irq, irq_thunk, flags, name, r);
	if (err) {
		kfree(r);
		return err;
	}
	nooks_track(d, NOOKS_OBJ_IRQ, irq, 1, (unsigned long)r);	/* record leaks on release */
	return 0;
}

/* nooks_wrap_free_irq - free_irq: the domain must hold (irq, dev_id). */
void nooks_wrap_free_irq(unsigned int irq, void *dev_id)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;
	struct irq_record *r;

	if (!d) {
		free_irq(irq, dev_id);
		return;
	}
	o = nooks_object_find(d, NOOKS_OBJ_IRQ, irq);
	r = o ? (struct irq_record *)o->aux : NULL;
	if (!r || r->dev_id != dev_id) {
		nooks_check_failed(d, "free_irq of an IRQ it does not hold");
		return;
	}
	nooks_untrack(d, NOOKS_OBJ_IRQ, irq);
	free_irq(irq, r);
	kfree(r);
}

/* wrap_timer_fn - make t->function an export thunk into d (once) and
 * track the timer. */
static void wrap_timer_fn(struct nooks_domain *d, struct timer_list *t)
{
	if (t->function && !nooks_is_export_thunk(d, (void *)t->function))
		t->function = (void (*)(unsigned long))nooks_export_thunk(d, (void *)t->function);
	if (!nooks_object_find(d, timer_type, (unsigned long)t))
		nooks_track(d, timer_type, (unsigned long)t, sizeof(*t), 0);
}

/* nooks_wrap_add_timer / mod_timer / del_timer - the timer calls. */
void nooks_wrap_add_timer(struct timer_list *t)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d)
		wrap_timer_fn(d, t);
	add_timer(t);
}

/* nooks_wrap_mod_timer - mod_timer, wrapping the function first. */
int nooks_wrap_mod_timer(struct timer_list *t, unsigned long expires)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d)
		wrap_timer_fn(d, t);
	return mod_timer(t, expires);
}

/* nooks_wrap_del_timer - del_timer of a timer the domain armed (else 0). */
int nooks_wrap_del_timer(struct timer_list *t)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && nooks_untrack(d, timer_type, (unsigned long)t))
		return 0;		/* never armed by this domain: not pending */
	return del_timer(t);
}

/* release_timer - recovery: disarm the failed driver's timer. */
static void release_timer(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	del_timer((struct timer_list *)o->addr);
}

static const struct nooks_obj_type timer_obj = { "timer", release_timer, NULL, false, 0 };

/* nooks_irq_timer_wrappers_init - register the object type (boot). */
void nooks_irq_timer_wrappers_init(void)
{
	timer_type = nooks_obj_type_register(&timer_obj);
}
