/*
 * nooks/module.c - isolated modules: the loader hooks (linux/module.h)
 * that put a module marked isolated (nooks=LIST) into its own protection
 * domain, bind its imports to wrappers, run its init/exit through XPC,
 * and reload it from the pristine image when the recovery manager asks.
 *
 * Binding an import S of an isolated module:
 *   - S is data (not in kernel text): bound to the kernel address itself
 *     (readable in the domain; writes fault);
 *   - S is in direct_ok[] (pure functions that only touch their arguments,
 *     e.g. memcpy): bound directly, they run inside the domain;
 *   - netif_rx: bound to nooks_netif_rx_batched, which runs inside the
 *     domain and queues the packet on the domain's deferred-call page
 *     (handed up when the driver call returns; nooks_batch=0 turns it off);
 *   - otherwise: an import thunk in the domain's thunk page,
 *         pushl $target ; jmp nooks_import_trampoline      (xpc.S)
 *     an XPC into the kernel, where target is the hand-written wrapper
 *     for S (nooks/wrappers/, table wrappers[]) or the kernel function.
 * Extension function pointers handed to the kernel become export thunks,
 *         pushl $fn ; pushl $domain ; jmp nooks_export_trampoline
 * an XPC into the domain (nooks_export_thunk).
 */
#include <asm/page.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

extern char _kernel_start[], _etext[];
void nooks_import_trampoline(void);
void nooks_export_trampoline(void);

#define THUNK_SIZE 16
#define MAX_THUNKS (PAGE_SIZE / THUNK_SIZE)

/* nooks_batch=0 boot option: no batching of received packets. */
static bool nooks_batch_rx = true;

/* The domain being refilled by a reload (recovery), if any. */
static struct nooks_domain *reloading;

/* Kernel functions an extension may run inside its domain (no XPC). */
static const char *const direct_ok[] = {
	"memcpy", "memset", "memmove", "memcmp", "strlen", "strnlen", "strcmp", "strncmp",
	"strcpy", "strncpy", "strlcpy", "strchr", "strrchr", "memchr", "snprintf", "vsnprintf",
	"sprintf", "simple_strtoul", "simple_strtol", "__udivdi3", "__umoddi3", "__divdi3",
	"__moddi3", "udelay", "mdelay", NULL,
};

/* in_kernel_text - is addr kernel code (a function, not data)? */
static bool in_kernel_text(unsigned long addr)
{
	return addr >= (unsigned long)_kernel_start && addr < (unsigned long)_etext;
}

/* thunk_page - d's thunk page (kernel memory, read-only in d), allocated on first use. */
static u8 *thunk_page(struct nooks_domain *d)
{
	if (!d->thunks) {
		d->thunks = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!d->thunks)
			return NULL;
		memset(d->thunks, 0xcc, PAGE_SIZE);	/* int3 between thunks */
		d->nr_thunks = 0;
	}
	return d->thunks;
}

/* emit_rel32 - write "opcode rel32" at p jumping/calling to target. */
static void emit_rel32(u8 *p, u8 opcode, unsigned long target)
{
	u32 rel = target - ((unsigned long)p + 5);

	p[0] = opcode;
	memcpy(p + 1, &rel, 4);
}

/* emit_push - write "pushl $imm32" at p. */
static void emit_push(u8 *p, u32 imm)
{
	p[0] = 0x68;
	memcpy(p + 1, &imm, 4);
}

/* find_thunk - an existing thunk of d that pushes imm first, or NULL. */
static void *find_thunk(struct nooks_domain *d, u32 imm, u32 imm2, bool two)
{
	unsigned int i;
	u8 *t;
	u32 v;

	for (i = 0; i < d->nr_thunks; i++) {
		t = d->thunks + i * THUNK_SIZE;
		memcpy(&v, t + 1, 4);
		if (v != imm)
			continue;
		if (!two)
			return t;
		memcpy(&v, t + 6, 4);
		if (t[5] == 0x68 && v == imm2)
			return t;
	}
	return NULL;
}

/* nooks_import_thunk - an import thunk of d for kernel function target. */
void *nooks_import_thunk(struct nooks_domain *d, void *target)
{
	u8 *t;

	if (!thunk_page(d))
		return NULL;
	if ((t = find_thunk(d, (u32)target, 0, false)) && t[5] == 0xe9)
		return t;
	if (d->nr_thunks == MAX_THUNKS)
		return NULL;
	t = d->thunks + d->nr_thunks++ * THUNK_SIZE;
	emit_push(t, (u32)target);
	emit_rel32(t + 5, 0xe9, (unsigned long)nooks_import_trampoline);
	return t;
}

/* nooks_export_thunk - a kernel-callable pointer that runs fn inside d. */
void *nooks_export_thunk(struct nooks_domain *d, void *fn)
{
	u8 *t;

	if (!fn)
		return NULL;
	if (!thunk_page(d))
		return NULL;
	if ((t = find_thunk(d, (u32)fn, (u32)d, true)))
		return t;
	if (d->nr_thunks == MAX_THUNKS)
		return NULL;
	t = d->thunks + d->nr_thunks++ * THUNK_SIZE;
	emit_push(t, (u32)fn);
	emit_push(t + 5, (u32)d);
	emit_rel32(t + 10, 0xe9, (unsigned long)nooks_export_trampoline);
	return t;
}

/* nooks_is_export_thunk - is p one of d's export thunks? */
bool nooks_is_export_thunk(struct nooks_domain *d, const void *p)
{
	unsigned long a = (unsigned long)p, base = (unsigned long)d->thunks;

	return d->thunks && a >= base && a < base + d->nr_thunks * THUNK_SIZE &&
	       !((a - base) % THUNK_SIZE) && ((u8 *)p)[5] == 0x68;
}

/* nooks_export_call - C side of nooks_export_trampoline: fn(args[0..7]) in d. */
u32 nooks_export_call(struct nooks_domain *d, void *fn, const u32 *args)
{
	return (u32)nooks_driver_callv(d, fn, NOOKS_XPC_MAX_ARGS, args);
}

/* ---- the loader hooks ---- */

/* import_hook - see the top of the file. */
static void *import_hook(struct module *mod, const char *name, void *kernel_addr)
{
	struct nooks_domain *d = mod->nooks;
	const struct nooks_wrapper *w;
	unsigned int i;

	if (!d || !in_kernel_text((unsigned long)kernel_addr))
		return kernel_addr;
	for (i = 0; direct_ok[i]; i++)
		if (!strcmp(direct_ok[i], name))
			return kernel_addr;
	if (nooks_batch_rx && !strcmp(name, "netif_rx"))
		return (void *)nooks_netif_rx_batched;	/* runs in the domain, batched */
	for (w = nooks_wrappers; w->name; w++)
		if (!strcmp(w->name, name))
			return nooks_import_thunk(d, w->fn);
	return nooks_import_thunk(d, kernel_addr);
}

/* page_order - the order of whole pages holding size bytes. */
static unsigned int page_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static const struct nooks_domain_ops module_domain_ops;

/* section_alloc_hook - zeroed pages for one region of an isolated module;
 * writable regions become the domain's memory.  Creates the domain at the
 * first region (or reuses the one being reloaded). */
static void *section_alloc_hook(struct module *mod, size_t size, unsigned int flags)
{
	struct nooks_domain *d = mod->nooks;
	unsigned long p;

	if (!d) {
		d = reloading ? reloading : nooks_domain_create(mod->name, &module_domain_ops, mod);
		if (!d)
			return NULL;
		mod->nooks = d;
		d->owner = mod;
	}
	p = __get_free_pages(page_order(size));
	if (!p)
		return NULL;
	memset((void *)p, 0, PAGE_SIZE << page_order(size));
	if ((flags & MOD_SECT_FLAG_WRITE) &&
	    nooks_domain_add_region(d, p, size, NOOKS_REGION_SECTION)) {
		free_pages(p, page_order(size));
		return NULL;
	}
	return (void *)p;
}

/* section_free_hook - give a region's pages back. */
static void section_free_hook(struct module *mod, void *addr, size_t size, unsigned int flags)
{
	(void)mod;
	(void)flags;
	free_pages((unsigned long)addr, page_order(size));
}

/* call_init_hook - init_module through an XPC into the module's domain. */
static int call_init_hook(struct module *mod)
{
	struct nooks_domain *d = mod->nooks;

	return d ? nooks_driver_call(d, (void *)mod->init, 0) : mod->init();
}

/* call_exit_hook - cleanup_module through an XPC (skipped if the domain
 * is not running: recovery already released its resources). */
static void call_exit_hook(struct module *mod)
{
	struct nooks_domain *d = mod->nooks;

	if (!d)
		mod->exit();
	else if (d->state == NOOKS_RUNNING)
		nooks_driver_call(d, (void *)mod->exit, 0);
}

/* module_domain_reload - recovery's reload step: discard the crashed
 * instance and load the module again from its pristine image into d. */
static int module_domain_reload(struct nooks_domain *d)
{
	struct module *old = d->owner, *mod;

	if (old && old->state == MODULE_STATE_GOING)
		return NOOKS_RELOAD_UNLOADING;	/* failed during its removal: let it finish */
	if (!old || old->state != MODULE_STATE_LIVE)
		return -EBUSY;		/* failed during its own init: no reload */
	reloading = d;
	kfree(d->thunks);		/* after release: nothing calls them any more */
	d->thunks = NULL;
	d->nr_thunks = 0;
	mod = module_reload(old, false);
	reloading = NULL;
	if (!mod)
		return -EIO;
	d->owner = mod;
	return mod->nooks == d ? 0 : -EIO;
}

static const struct nooks_domain_ops module_domain_ops = { .reload = module_domain_reload };

/* nooks_module_loaded - loader hook (after relocation, before init). */
void nooks_module_loaded(struct module *mod)
{
	struct nooks_domain *d = mod->nooks;

	if (!mod->isolated || !d)
		return;
	printk("nooks: module %s domain=%s id=%u cr3=%08x thunks=%u\n", mod->name, d->full_name, d->id,
	       d->cr3, d->nr_thunks);
}

/* nooks_module_unloaded - loader hook (after exit, before the regions are
 * freed): release what the module left and destroy its domain, unless the
 * recovery manager is reloading it into the same domain. */
void nooks_module_unloaded(struct module *mod)
{
	struct nooks_domain *d = mod->nooks;
	unsigned int n;

	if (!d || d == reloading)
		return;
	n = nooks_release_all(d, false);
	n += nooks_release_all(d, true);
	kfree(d->thunks);
	d->thunks = NULL;
	printk("nooks: module %s unloaded domain=%s xpc_in=%u xpc_out=%u deferred_in=%u "
	       "deferred_out=%u faults=%u restarts=%u leftover=%u\n", mod->name, d->full_name, d->xpc_in,
	       d->xpc_out, d->deferred_in, d->deferred_out, d->faults, d->restarts, n);
	mod->nooks = NULL;
	nooks_domain_destroy(d);
}

/* nooks_modules_init - install the loader hooks (from nooks_init). */
void nooks_modules_init(void)
{
	module_import_hook = import_hook;
	module_section_alloc_hook = section_alloc_hook;
	module_section_free_hook = section_free_hook;
	module_call_init_hook = call_init_hook;
	module_call_exit_hook = call_exit_hook;
	nooks_batch_rx = cmdline_get_ulong("nooks_batch", 1) != 0;
	nooks_wrappers_init();
}
