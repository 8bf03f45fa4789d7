/*
 * nooks/wrappers/irq_timer.c - interrupt handlers and kernel timers of an
 * isolated driver.
 *
 * request_irq registers a kernel handler (irq_thunk) whose dev_id is a
 * record naming the domain, the driver's handler and its dev_id; the IRQ
 * line is a tracked object (disabled at failure, freed after the reload).
 * A timer the driver arms is shadowed by a kernel-owned timer whose
 * expiry makes the XPC; shadows are tracked and deleted at recovery.
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

static int timer_type, irq_type;

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
	r = nooks_meta_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->d = d;
	r->handler = handler;
	r->dev_id = dev_id;
	r->generation = d->generation;
	err = request_irq(irq, irq_thunk, flags, name, r);
	if (err) {
		nooks_meta_free(r);
		return err;
	}
	nooks_track(d, irq_type, irq, 1, (unsigned long)r);
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
	o = nooks_object_find(d, irq_type, irq);
	r = o ? (struct irq_record *)o->aux : NULL;
	if (!r || r->dev_id != dev_id) {
		nooks_check_failed(d, "free_irq of an IRQ it does not hold");
		return;
	}
	nooks_untrack(d, irq_type, irq);
	free_irq(irq, r);
	nooks_meta_free(r);
}

/*
 * Timers: the kernel never links the driver's struct timer_list (it lives
 * in memory the driver writes, and a corrupted list link would crash the
 * kernel anywhere).  Each one gets a kernel-owned shadow whose function
 * makes the XPC, reading the driver's function and data at expiry.
 */
struct timer_shadow {
	struct timer_list kt;		/* what the kernel's timer list holds */
	struct timer_list *ext;		/* the driver's */
	struct nooks_domain *d;
	u32 generation;
};

/* timer_shadow_fn - expiry of a shadow: the driver's function, in its domain. */
static void timer_shadow_fn(unsigned long data)
{
	struct timer_shadow *sh = (struct timer_shadow *)data;

	if (sh->d->state != NOOKS_RUNNING || sh->d->generation != sh->generation)
		return;
	nooks_driver_call(sh->d, (void *)sh->ext->function, 1, sh->ext->data);
}

/* timer_writable - does t lie in memory d may write (its own timer)? */
static bool timer_writable(struct nooks_domain *d, const struct timer_list *t)
{
	return nooks_domain_writable(d, (unsigned long)t) &&
	       nooks_domain_writable(d, (unsigned long)t + sizeof(*t) - 1);
}

/* shadow_of_timer - t's shadow for d, created (and tracked) if needed;
 * NULL after a failed check (t is not the domain's memory). */
static struct timer_shadow *shadow_of_timer(struct nooks_domain *d, struct timer_list *t)
{
	struct nooks_object *o = nooks_object_find(d, timer_type, (unsigned long)t);
	struct timer_shadow *sh;

	if (o)
		return (struct timer_shadow *)o->aux;
	if (!timer_writable(d, t)) {
		nooks_check_failed(d, "timer outside the extension's memory");
		return NULL;
	}
	sh = nooks_meta_zalloc(sizeof(*sh));
	if (!sh)
		return NULL;
	init_timer(&sh->kt);
	sh->kt.function = timer_shadow_fn;
	sh->kt.data = (unsigned long)sh;
	sh->ext = t;
	sh->d = d;
	sh->generation = d->generation;
	if (nooks_track(d, timer_type, (unsigned long)t, sizeof(*t), (unsigned long)sh)) {
		nooks_meta_free(sh);
		return NULL;
	}
	return sh;
}

/* nooks_wrap_init_timer - init_timer of the driver's own timer only. */
void nooks_wrap_init_timer(struct timer_list *t)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (d && !timer_writable(d, t)) {
		nooks_check_failed(d, "init_timer outside the extension's memory");
		return;
	}
	init_timer(t);
}

/* nooks_wrap_add_timer - arm the shadow for t->expires. */
void nooks_wrap_add_timer(struct timer_list *t)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct timer_shadow *sh;

	if (!d) {
		add_timer(t);
		return;
	}
	if ((sh = shadow_of_timer(d, t)))
		mod_timer(&sh->kt, t->expires);
}

/* nooks_wrap_mod_timer - (re)arm the shadow; 1 if it was pending. */
int nooks_wrap_mod_timer(struct timer_list *t, unsigned long expires)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct timer_shadow *sh;

	if (!d)
		return mod_timer(t, expires);
	if (!(sh = shadow_of_timer(d, t)))
		return 0;
	t->expires = expires;
	return mod_timer(&sh->kt, expires);
}

/* nooks_wrap_del_timer - disarm the shadow (0 if the domain never armed t). */
int nooks_wrap_del_timer(struct timer_list *t)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct nooks_object *o;

	if (!d)
		return del_timer(t);
	o = nooks_object_find(d, timer_type, (unsigned long)t);
	return o ? del_timer(&((struct timer_shadow *)o->aux)->kt) : 0;
}

/* release_timer - recovery or unload: disarm and free the shadow. */
static void release_timer(struct nooks_domain *d, struct nooks_object *o)
{
	struct timer_shadow *sh = (struct timer_shadow *)o->aux;

	(void)d;
	del_timer(&sh->kt);
	nooks_meta_free(sh);
}

/* disable_irq_rec / release_irq_rec - the wrapper's IRQ objects: mask the
 * line at failure; after the reload free it (the record is the dev_id),
 * undo our disable and free the record. */
static void disable_irq_rec(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	disable_irq(o->addr);
}

static void release_irq_rec(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	free_irq(o->addr, (void *)o->aux);
	enable_irq(o->addr);
	nooks_meta_free((void *)o->aux);
}

static const struct nooks_obj_type timer_obj = { "timer", release_timer, NULL, false, 0 };
static const struct nooks_obj_type irq_obj = { "irq", release_irq_rec, disable_irq_rec, true, 0 };

/* nooks_irq_timer_wrappers_init - register the object type (boot). */
void nooks_irq_timer_wrappers_init(void)
{
	timer_type = nooks_obj_type_register(&timer_obj);
	irq_type = nooks_obj_type_register(&irq_obj);
}
