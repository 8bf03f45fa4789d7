/*
 * nooks/selftest_nooks.c - self-test area "nooks" (selftest=nooks): the
 * isolation manager's mechanisms, checked with a synthetic in-kernel
 * extension.
 *
 * The synthetic extension's code is ordinary kernel text (readable, hence
 * executable, in every domain); its data is one page (ext) given to the
 * domain as its "section" region, so it is the only kernel-image page the
 * extension may write.  Functions named ext_* run inside the domain;
 * kern_* run in the kernel, called back by the extension.
 */
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/irq.h>
#include <linux/interrupt.h>
#include <linux/tqueue.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>
#include "../kernel/selftest/selftest.h"

#define NEST_MAX 8

struct ext_state {
	u32 flag, irq_cr3, irq_esp, spin_esp;
	u32 counter;
	u32 acc;
	u32 cr3_seen, esp_seen;
	u32 nest_cr3[NEST_MAX], nest_esp[NEST_MAX];
	u32 ptr_seen;
	u32 reloads;
};

/* The extension's data section: a page of its own. */
static union {
	struct ext_state s;
	u8 page[PAGE_SIZE];
} ext __aligned(PAGE_SIZE);

/* Kernel data the extension may read but not write. */
static volatile u32 kernel_word = 0x1234abcd;
static u32 kernel_acc;
static u32 kern_nest_cr3[NEST_MAX], kern_nest_esp[NEST_MAX];
static struct nooks_domain *synth;
static u8 grant_buf[PAGE_SIZE] __aligned(PAGE_SIZE);

/* read_esp - the stack pointer of the caller. */
static inline u32 read_esp(void)
{
	u32 esp;

	__asm__ __volatile__("movl %%esp, %0" : "=r"(esp));
	return esp;
}

/* ---- the synthetic extension (runs inside the domain) ---- */

/* ext_read - *p. */
static __attribute__((noinline)) u32 ext_read(const volatile u32 *p)
{
	return *p;
}

/* ext_write - *p = v (a kernel address: page fault under WP). */
static __attribute__((noinline)) u32 ext_write(volatile u32 *p, u32 v)
{
	*p = v;
	return 0;
}

/* ext_probe - note CR3 and ESP as seen inside; returns the call count. */
static __attribute__((noinline)) u32 ext_probe(void)
{
	ext.s.cr3_seen = read_cr3();
	ext.s.esp_seen = read_esp();
	return ++ext.s.counter;
}

/* ext_sum8 - a weighted sum of eight arguments (argument passing). */
static __attribute__((noinline)) u32 ext_sum8(u32 a, u32 b, u32 c, u32 d, u32 e, u32 f, u32 g,
					      u32 h)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

static u32 kern_nest(u32 n);

/* ext_nest - level n of ext -> kernel -> ext ... nesting. */
static __attribute__((noinline)) u32 ext_nest(u32 n)
{
	if (n < NEST_MAX) {
		ext.s.nest_cr3[n] = read_cr3();
		ext.s.nest_esp[n] = read_esp();
	}
	if (n == 0)
		return 1000;
	return (u32)nooks_kernel_call((void *)kern_nest, 1, n) + 1;
}

/* ext_accumulate / ext_get_acc - deferred-call targets. */
static __attribute__((noinline)) u32 ext_accumulate(u32 x)
{
	ext.s.acc += x;
	return 0;
}

/* ext_get_acc - the accumulated sum. */
static __attribute__((noinline)) u32 ext_get_acc(void)
{
	return ext.s.acc;
}

static u32 kern_accumulate(u32 x);

/* ext_defer_out - queue n calls to the kernel (run after this call returns). */
static __attribute__((noinline)) u32 ext_defer_out(u32 n)
{
	u32 i;

	for (i = 1; i <= n; i++)
		nooks_defer_kernel_call((void *)kern_accumulate, 1, i);
	return n;
}

/* ext_swap - swap the two words at p (a shadow copy: value-result). */
static __attribute__((noinline)) u32 ext_swap(u32 *p)
{
	u32 t = p[0];

	ext.s.ptr_seen = (u32)p;
	p[0] = p[1];
	p[1] = t;
	return 0;
}

/* ext_use_after_free - allocate, use, free, then write again. */
static __attribute__((noinline)) u32 ext_use_after_free(void)
{
	volatile u32 *p = (u32 *)nooks_kernel_call((void *)nooks_wrap_kmalloc, 2, 64, GFP_KERNEL);

	if (!p)
		return 1;
	p[0] = 0x11;
	nooks_kernel_call((void *)nooks_wrap_kfree, 1, p);
	p[1] = 0x22;				/* freed: read-only now */
	return 2;
}

/* ext_double_free - free the same block twice. */
static __attribute__((noinline)) u32 ext_double_free(void)
{
	void *p = (void *)nooks_kernel_call((void *)nooks_wrap_kmalloc, 2, 100, GFP_KERNEL);

	if (!p)
		return 1;
	nooks_kernel_call((void *)nooks_wrap_kfree, 1, p);
	nooks_kernel_call((void *)nooks_wrap_kfree, 1, p);
	return 2;
}

/* ext_alloc_keep - allocate and keep (the tracker must release it). */
static __attribute__((noinline)) u32 ext_alloc_keep(void)
{
	u32 *p = (u32 *)nooks_kernel_call((void *)nooks_wrap_kmalloc, 2, 5000, GFP_KERNEL);

	if (p)
		p[1200] = 7;
	return (u32)p;
}

/* ext_spin - an infinite loop (the livelock timeout must catch it). */
static __attribute__((noinline)) u32 ext_spin(void)
{
	volatile u32 *c = &ext.s.counter;

	for (;;)
		(*c)++;
	return 0;
}

static u32 kern_call_write(void);

/* ext_nest_fault - call the kernel, which calls back into ext_write on
 * kernel data. */
static __attribute__((noinline)) u32 ext_nest_fault(void)
{
	return (u32)nooks_kernel_call((void *)kern_call_write, 0) + 1;
}

static u32 kern_crash(void);

/* ext_call_crash - call a kernel function that faults. */
static __attribute__((noinline)) u32 ext_call_crash(void)
{
	return (u32)nooks_kernel_call((void *)kern_crash, 0) + 1;
}

/* ext_set_flag - called from a timer (softirq) that interrupted the
 * domain: note CR3 and ESP, set the flag ext_wait_flag waits for. */
static __attribute__((noinline)) u32 ext_set_flag(void)
{
	ext.s.irq_cr3 = read_cr3();
	ext.s.irq_esp = read_esp();
	ext.s.flag = 1;
	return 7;
}

/* ext_wait_flag - spin (interrupts on) until the flag is set. */
static __attribute__((noinline)) u32 ext_wait_flag(void)
{
	volatile u32 *flag = &ext.s.flag;

	ext.s.spin_esp = read_esp();
	while (!*flag)
		;
	return 1;
}

/* ext_deep - use about 1 KiB of domain stack per level, then write kernel
 * data at the bottom: the fault arrives with the domain stack nearly full. */
static __attribute__((noinline)) u32 ext_deep(u32 n)
{
	volatile u8 buf[1000];

	buf[0] = (u8)n;
	buf[999] = (u8)n;
	if (!n)
		return ext_write(&kernel_word, 0xdeadbeef);
	return ext_deep(n - 1) + buf[0] + buf[999];
}

/* ---- kernel side of the callbacks ---- */

static u32 kern_write_returned, kern_crash_returned;

/* kern_crash - kernel code called by the extension that dereferences NULL
 * (as a bad argument would make it): blamed on the extension. */
static __attribute__((noinline)) u32 kern_crash(void)
{
	u32 v = *(volatile u32 *)(kern_crash_returned + 12);

	kern_crash_returned = 1;
	return v;
}

/* kern_call_write - from inside the domain: a nested call that faults. */
static u32 kern_call_write(void)
{
	int r = nooks_driver_call(synth, (void *)ext_write, 2, &kernel_word, 0xbad);

	kern_write_returned = 1;
	return (u32)r;
}


/* kern_nest - kernel level n: note CR3/ESP, call back into the extension. */
static u32 kern_nest(u32 n)
{
	if (n < NEST_MAX) {
		kern_nest_cr3[n] = read_cr3();
		kern_nest_esp[n] = read_esp();
	}
	return (u32)nooks_driver_call(synth, (void *)ext_nest, 1, n - 1) + 10;
}

/* kern_accumulate - a kernel function the extension defers calls to. */
static u32 kern_accumulate(u32 x)
{
	kernel_acc += x;
	return 0;
}

/* synth_reload - the synthetic extension's "reload": a fresh data section. */
static int synth_reload(struct nooks_domain *d)
{
	u32 reloads = ext.s.reloads;

	memset(&ext, 0, sizeof(ext));
	ext.s.reloads = reloads + 1;
	return nooks_domain_add_region(d, (unsigned long)&ext, sizeof(ext), NOOKS_REGION_SECTION);
}

static const struct nooks_domain_ops synth_ops = { .reload = synth_reload };

/* ---- tracker test types ---- */

static unsigned int test_released, test_late_released, late_after_reload;

/* release_test / release_test_late - count releases (and their order). */
static void release_test(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	(void)o;
	test_released++;
}

/* release_test_late - count late releases, and those after the reload. */
static void release_test_late(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	(void)o;
	test_late_released++;
	if (ext.s.reloads)
		late_after_reload++;
}

static const struct nooks_obj_type test_type = { "test", release_test, NULL, false, 0 };
static const struct nooks_obj_type test_late_type = { "test-late", release_test_late, NULL, true, 0 };

/* ---- the checks ---- */

/* test_create - a domain exists, with its own CR3, our page writable. */
static bool test_create(void)
{
	synth = nooks_domain_create("synth", &synth_ops, NULL);
	if (!synth) {
		st_fail("create", "nooks_domain_create failed");
		return false;
	}
	if (nooks_domain_add_region(synth, (unsigned long)&ext, sizeof(ext), NOOKS_REGION_SECTION)) {
		st_fail("create", "add_region failed");
		return false;
	}
	synth->max_restarts = 8;	/* this test recovers it many times */
	st_expect("create", synth->cr3 && synth->cr3 != nooks_kernel_cr3 &&
		  synth->magic == NOOKS_DOMAIN_MAGIC && synth->state == NOOKS_RUNNING &&
		  nooks_domain_find(synth->cr3) == synth && !(read_cr4() & X86_CR4_PGE),
		  "cr3 %08x state %u", synth->cr3, synth->state);
	st_expect("rights", nooks_domain_writable(synth, (unsigned long)&ext) &&
		  !nooks_domain_writable(synth, (unsigned long)&kernel_word) &&
		  !nooks_domain_writable(synth, (unsigned long)kernel_pgdir) &&
		  !nooks_domain_writable(synth, (unsigned long)synth->pgdir) &&
		  nooks_domain_writable(synth, synth->stack_lo),
		  "ext %d kernel %d", nooks_domain_writable(synth, (unsigned long)&ext),
		  nooks_domain_writable(synth, (unsigned long)&kernel_word));
	return true;
}

/* test_roundtrip - read kernel memory, CR3 and ESP inside, arguments. */
static void test_roundtrip(void)
{
	struct nooks_stats s0 = nooks_stats;
	u32 in0 = synth->xpc_in;
	int r;

	r = nooks_driver_call(synth, (void *)ext_read, 1, &kernel_word);
	st_expect("read_kernel", (u32)r == 0x1234abcd, "got %08x", r);
	r = nooks_driver_call(synth, (void *)ext_probe, 0);
	st_expect("cr3_inside", ext.s.cr3_seen == synth->cr3 && read_cr3() == nooks_kernel_cr3,
		  "inside %08x domain %08x after %08x", ext.s.cr3_seen, synth->cr3, read_cr3());
	st_expect("stack_swap", nooks_domain_on_stack(synth, ext.s.esp_seen) &&
		  !nooks_domain_on_stack(synth, read_esp()), "esp inside %08x pool %08x-%08x",
		  ext.s.esp_seen, synth->stack_lo, synth->stack_hi);
	r = nooks_driver_call(synth, (void *)ext_sum8, 8, 1, 2, 3, 4, 5, 6, 7, 0x1000000);
	st_expect("args", (u32)r == 1 + 4 + 9 + 16 + 25 + 36 + 49 + 0x8000000u, "got %08x", r);
	st_expect("counters", nooks_stats.xpc_to_ext == s0.xpc_to_ext + 3 &&
		  nooks_stats.cr3_loads == s0.cr3_loads + 6 && synth->xpc_in == in0 + 3 &&
		  nooks_current_domain == NULL && nooks_current_task->depth == 0,
		  "xpc %u cr3 %u depth %u", nooks_stats.xpc_to_ext - s0.xpc_to_ext,
		  nooks_stats.cr3_loads - s0.cr3_loads, nooks_current_task->depth);
}

/* test_nesting - kernel -> ext -> kernel -> ext -> kernel -> ext. */
static void test_nesting(void)
{
	struct nooks_stats s0 = nooks_stats;
	bool cr3ok = true, stackok = true;
	int r, n;

	r = nooks_driver_call(synth, (void *)ext_nest, 1, 2);
	for (n = 0; n <= 2; n++) {
		cr3ok &= ext.s.nest_cr3[n] == synth->cr3;
		if (n)
			cr3ok &= kern_nest_cr3[n] == nooks_kernel_cr3;
		stackok &= nooks_domain_on_stack(synth, ext.s.nest_esp[n]) != 0;
		if (n)
			stackok &= !nooks_domain_on_stack(synth, kern_nest_esp[n]);
	}
	/* the same domain stack is reused, deeper at each level */
	stackok &= ext.s.nest_esp[0] < ext.s.nest_esp[1] && ext.s.nest_esp[1] < ext.s.nest_esp[2] &&
		   nooks_domain_on_stack(synth, ext.s.nest_esp[0]) ==
			   nooks_domain_on_stack(synth, ext.s.nest_esp[2]) &&
		   kern_nest_esp[1] < kern_nest_esp[2];
	st_expect("nest_result", r == 1022, "got %d", r);
	st_expect("nest_cr3", cr3ok, "ext %08x %08x %08x kern %08x %08x", ext.s.nest_cr3[0],
		  ext.s.nest_cr3[1], ext.s.nest_cr3[2], kern_nest_cr3[1], kern_nest_cr3[2]);
	st_expect("nest_stacks", stackok, "ext %08x %08x %08x kern %08x %08x", ext.s.nest_esp[0],
		  ext.s.nest_esp[1], ext.s.nest_esp[2], kern_nest_esp[1], kern_nest_esp[2]);
	st_expect("nest_counters", nooks_stats.xpc_to_ext == s0.xpc_to_ext + 3 &&
		  nooks_stats.xpc_to_kernel == s0.xpc_to_kernel + 2 &&
		  nooks_stats.cr3_loads == s0.cr3_loads + 10 && nooks_current_task->depth == 0,
		  "to_ext %u to_kernel %u cr3 %u", nooks_stats.xpc_to_ext - s0.xpc_to_ext,
		  nooks_stats.xpc_to_kernel - s0.xpc_to_kernel, nooks_stats.cr3_loads - s0.cr3_loads);
}

/* test_deferred - calls queued both ways run at a later crossing. */
static void test_deferred(void)
{
	struct nooks_stats s0 = nooks_stats;
	u32 x0 = nooks_stats.xpc_to_ext;
	int r;

	ext.s.acc = 0;
	nooks_defer_driver_call(synth, (void *)ext_accumulate, 1, 5);
	nooks_defer_driver_call(synth, (void *)ext_accumulate, 1, 7);
	nooks_defer_driver_call(synth, (void *)ext_accumulate, 1, 30);
	r = nooks_driver_call(synth, (void *)ext_get_acc, 0);
	st_expect("deferred_to_ext", r == 42 && nooks_stats.xpc_to_ext == x0 + 1 &&
		  nooks_stats.deferred_to_ext == s0.deferred_to_ext + 3,
		  "acc %d xpcs %u ran %u", r, nooks_stats.xpc_to_ext - x0,
		  nooks_stats.deferred_to_ext - s0.deferred_to_ext);
	kernel_acc = 0;
	r = nooks_driver_call(synth, (void *)ext_defer_out, 1, 4);
	st_expect("deferred_to_kernel", r == 4 && kernel_acc == 10 &&
		  nooks_stats.deferred_to_kernel == s0.deferred_to_kernel + 4 &&
		  nooks_stats.xpc_to_kernel == s0.xpc_to_kernel,
		  "acc %u ran %u", kernel_acc, nooks_stats.deferred_to_kernel - s0.deferred_to_kernel);
}

/* test_objects - per-call objects: a granted page, a value-result copy. */
static void test_objects(void)
{
	struct nooks_xpc_obj o = { .ptr = grant_buf, .size = 64, .flags = NOOKS_OBJ_GRANT };
	u32 args[2] = { (u32)grant_buf, 0x5a5a5a5a };
	u32 pair[2] = { 1, 2 };
	int r;

	r = nooks_driver_call_objs(synth, (void *)ext_write, 2, args, &o, 1);
	st_expect("grant", r == 0 && *(u32 *)grant_buf == 0x5a5a5a5a &&
		  !nooks_domain_writable(synth, (unsigned long)grant_buf),
		  "r %d buf %08x writable after %d", r, *(u32 *)grant_buf,
		  nooks_domain_writable(synth, (unsigned long)grant_buf));
	o.ptr = pair;
	o.size = sizeof(pair);
	o.flags = NOOKS_OBJ_COPY | NOOKS_OBJ_IN | NOOKS_OBJ_OUT;
	o.argno = 0;
	args[0] = (u32)pair;
	r = nooks_driver_call_objs(synth, (void *)ext_swap, 1, args, &o, 1);
	st_expect("copy_in_out", r == 0 && pair[0] == 2 && pair[1] == 1 &&
		  nooks_domain_on_stack(synth, ext.s.ptr_seen),
		  "pair %u %u seen %08x", pair[0], pair[1], ext.s.ptr_seen);
}

/* test_sync - kernel mappings made after the domain exists reach it. */
static void test_sync(void)
{
	unsigned long va = TEST_PDE_BASE + 2 * PGDIR_SIZE;
	unsigned long p1 = get_zeroed_page(), p2 = get_zeroed_page(), p3 = get_zeroed_page();
	int r1, r2;

	if (!p1 || !p2 || !p3) {
		st_fail("sync_new_table", "out of memory");
		return;
	}
	*(u32 *)p1 = 0xfeed0001;
	*(u32 *)p3 = 0xfeed0003;
	map_page(kernel_pgdir, va, p1, PTE_W);		/* new page table: a PDE change */
	r1 = nooks_driver_call(synth, (void *)ext_read, 1, va);
	st_expect("sync_new_table", (u32)r1 == 0xfeed0001 && !nooks_domain_writable(synth, va),
		  "read %08x", r1);
	map_page(kernel_pgdir, va + PAGE_SIZE, p2, PTE_W);
	nooks_domain_add_region(synth, va + PAGE_SIZE, PAGE_SIZE, NOOKS_REGION_MMIO);
	map_page(kernel_pgdir, va + 2 * PAGE_SIZE, p3, PTE_W);	/* lands in a private table */
	r2 = nooks_driver_call(synth, (void *)ext_read, 1, va + 2 * PAGE_SIZE);
	st_expect("sync_private_table", (u32)r2 == 0xfeed0003 &&
		  nooks_domain_writable(synth, va + PAGE_SIZE) &&
		  !nooks_domain_writable(synth, va + 2 * PAGE_SIZE), "read %08x", r2);
	unmap_page(kernel_pgdir, va + 2 * PAGE_SIZE);
	st_expect("sync_unmap", !nooks_domain_writable(synth, va + 2 * PAGE_SIZE), "still mapped");
	/* the region stays in the domain's table; the kernel pages stay mapped */
	(void)p2;
}

/* test_write_fault - a write to kernel data from the domain faults (WP),
 * is unwound (-EFAULT), the kernel keeps running, the domain recovers and
 * the tracker released its objects (late ones after the reload). */
static void test_write_fault(void)
{
	int t = nooks_obj_type_register(&test_type), tl = nooks_obj_type_register(&test_late_type);
	u32 restarts = synth->restarts, faults = nooks_stats.faults;
	int r;

	nooks_track(synth, t, 0x1000, 16, 0);
	nooks_track(synth, t, 0x2000, 16, 0);
	nooks_track(synth, t, 0x3000, 0x100, 0);
	nooks_track(synth, tl, 0x4000, 16, 0);
	st_expect("tracker_valid", nooks_object_valid(synth, t, (void *)0x2000) &&
		  nooks_object_valid(synth, t, (void *)0x3080) &&
		  !nooks_object_valid(synth, t, (void *)0x4000) &&
		  !nooks_object_valid(synth, tl, (void *)0x1000) &&
		  nooks_object_count(synth) == 4 && nooks_track(synth, t, 0x1000, 16, 0) == -EEXIST,
		  "count %u", nooks_object_count(synth));
	r = nooks_driver_call(synth, (void *)ext_alloc_keep, 0);
	st_expect("tracker_heap", r > 0 && nooks_object_valid(synth, NOOKS_OBJ_HEAP, (void *)r) &&
		  nooks_object_count(synth) == 5 && nooks_domain_writable(synth, r + 4800),
		  "r %08x count %u", r, nooks_object_count(synth));
	test_released = test_late_released = late_after_reload = 0;
	r = nooks_driver_call(synth, (void *)ext_write, 2, &kernel_word, 0xdead);
	st_expect("write_fault", r == -EFAULT && kernel_word == 0x1234abcd &&
		  synth->last_vector == 14 && synth->last_cr2 == (u32)&kernel_word &&
		  nooks_stats.faults == faults + 1 && nooks_current_domain == NULL &&
		  nooks_current_task->depth == 0 && read_cr3() == nooks_kernel_cr3,
		  "r %d word %08x vector %u cr2 %08x", r, kernel_word, synth->last_vector,
		  synth->last_cr2);
	st_expect("recovered", synth->state == NOOKS_RUNNING && synth->restarts == restarts + 1 &&
		  ext.s.reloads >= 1, "state %s restarts %u",
		  nooks_domain_state_name(synth->state), synth->restarts);
	st_expect("tracker_release", test_released == 3 && test_late_released == 1 &&
		  late_after_reload == 1 && nooks_object_count(synth) == 0,
		  "released %u late %u after reload %u left %u", test_released, test_late_released,
		  late_after_reload, nooks_object_count(synth));
	r = nooks_driver_call(synth, (void *)ext_probe, 0);
	st_expect("call_after_recovery", r == 1 && ext.s.cr3_seen == synth->cr3,
		  "r %d cr3 %08x/%08x", r, ext.s.cr3_seen, synth->cr3);
}

/* test_nested_fault - a fault in the inner of two nested calls into the
 * domain (kernel -> ext -> kernel -> ext) unwinds the task to the outer
 * crossing: the inner nooks_driver_call never returns. */
static void test_nested_fault(void)
{
	u32 restarts = synth->restarts, unwinds = nooks_stats.unwinds;
	int r;

	kern_write_returned = 0;
	r = nooks_driver_call(synth, (void *)ext_nest_fault, 0);
	st_expect("nested_fault", r == -EFAULT && !kern_write_returned &&
		  kernel_word == 0x1234abcd && synth->restarts == restarts + 1 &&
		  nooks_stats.unwinds == unwinds + 1 && nooks_current_task->depth == 0 &&
		  synth->active_calls == 0, "r %d inner returned %u restarts %u depth %u", r,
		  kern_write_returned, synth->restarts - restarts, nooks_current_task->depth);
	r = nooks_driver_call(synth, (void *)ext_nest, 1, 3);
	st_expect("nest_again", r == 1033, "got %d", r);
}

/* test_kernel_call_fault - a fault in kernel code running for the
 * extension fails the extension, not the kernel. */
static void test_kernel_call_fault(void)
{
	u32 restarts = synth->restarts;
	int r;

	kern_crash_returned = 0;
	r = nooks_driver_call(synth, (void *)ext_call_crash, 0);
	st_expect("kernel_call_fault", r == -EFAULT && !kern_crash_returned &&
		  synth->last_vector == 14 && synth->last_cr2 == 12 &&
		  synth->restarts == restarts + 1 && nooks_current_task->depth == 0 &&
		  read_cr3() == nooks_kernel_cr3, "r %d vector %u cr2 %08x restarts %u", r,
		  synth->last_vector, synth->last_cr2, synth->restarts - restarts);
}

static volatile unsigned long irq_fn, irq_ticks;
static int irq_call_result;

/* irq_tick - a second handler on the timer IRQ: on the second tick after
 * it is armed (irq_fn set) it calls irq_fn inside the domain, while the
 * interrupted task may be inside it too. */
static void irq_tick(int irq, void *dev_id, struct pt_regs *regs)
{
	unsigned long fn = irq_fn;

	(void)irq;
	(void)dev_id;
	(void)regs;
	if (!fn || ++irq_ticks < 2)
		return;
	irq_fn = 0;
	irq_call_result = nooks_driver_call(synth, (void *)fn, 2, &kernel_word, 0xbad);
}

/* test_irq_nesting - a timer interrupt arrives while the task spins in the
 * domain and its handler calls into the same domain: the call runs below
 * the interrupted code on the same domain stack, and both complete.  Then
 * the same with a faulting call from the handler: the handler's call and the
 * interrupted call are both unwound, and the domain is recovered once. */
static void test_irq_nesting(void)
{
	static int cookie;
	u32 restarts = synth->restarts;
	int r;

	if (request_irq(TIMER_IRQ, irq_tick, SA_SHIRQ, "nooks-selftest", &cookie)) {
		st_skip("irq_nesting", "timer IRQ not shareable");
		return;
	}
	ext.s.flag = 0;
	irq_call_result = 0;
	irq_ticks = 0;
	irq_fn = (unsigned long)ext_set_flag;
	r = nooks_driver_call(synth, (void *)ext_wait_flag, 0);
	st_expect("irq_nesting", r == 1 && irq_call_result == 7 && ext.s.irq_cr3 == synth->cr3 &&
		  ext.s.irq_esp < ext.s.spin_esp &&
		  nooks_domain_on_stack(synth, ext.s.irq_esp) ==
			  nooks_domain_on_stack(synth, ext.s.spin_esp) &&
		  nooks_current_task->depth == 0 && nooks_trap_depth == 0,
		  "r %d irq %d cr3 %08x esp %08x spin %08x", r, irq_call_result, ext.s.irq_cr3,
		  ext.s.irq_esp, ext.s.spin_esp);

	ext.s.flag = 0;
	irq_ticks = 0;
	irq_fn = (unsigned long)ext_write;	/* faults on kernel_word */
	r = nooks_driver_call(synth, (void *)ext_wait_flag, 0);
	free_irq(TIMER_IRQ, &cookie);
	flush_scheduled_tasks();
	st_expect("irq_fault", r == -EFAULT && irq_call_result == -EFAULT &&
		  kernel_word == 0x1234abcd && synth->restarts == restarts + 1 &&
		  synth->state == NOOKS_RUNNING && nooks_current_task->depth == 0 &&
		  nooks_trap_depth == 0 && read_cr3() == nooks_kernel_cr3,
		  "r %d irq %d restarts %u state %s", r, irq_call_result, synth->restarts - restarts,
		  nooks_domain_state_name(synth->state));
}

/* test_deep_fault - a fault with the domain stack nearly full (about
 * 15 KiB of 16 used): it is reported and unwound from a kernel stack. */
static void test_deep_fault(void)
{
	u32 restarts = synth->restarts;
	int r;

	r = nooks_driver_call(synth, (void *)ext_deep, 1, 15);
	st_expect("deep_fault", r == -EFAULT && synth->last_vector == 14 &&
		  synth->last_cr2 == (u32)&kernel_word && synth->restarts == restarts + 1 &&
		  nooks_current_task->depth == 0, "r %d vector %u restarts %u", r,
		  synth->last_vector, synth->restarts - restarts);
}

/* test_heap_faults - use-after-free and double free are caught. */
static void test_heap_faults(void)
{
	u32 restarts = synth->restarts, checks = nooks_stats.checks_failed;
	int r;

	r = nooks_driver_call(synth, (void *)ext_use_after_free, 0);
	st_expect("use_after_free", r == -EFAULT && synth->last_vector == 14 &&
		  synth->restarts == restarts + 1 && synth->state == NOOKS_RUNNING,
		  "r %d vector %u restarts %u", r, synth->last_vector, synth->restarts - restarts);
	r = nooks_driver_call(synth, (void *)ext_double_free, 0);
	st_expect("double_free", r == -EFAULT && synth->last_vector == NOOKS_VEC_CHECK &&
		  nooks_stats.checks_failed == checks + 1 && synth->restarts == restarts + 2,
		  "r %d vector %u", r, synth->last_vector);
}

/* test_livelock - an infinite loop inside the domain is timed out. */
static void test_livelock(void)
{
	unsigned long j0 = jiffies;
	int r;

	synth->timeout_ticks = 5;
	r = nooks_driver_call(synth, (void *)ext_spin, 0);
	st_expect("livelock", r == -ETIMEDOUT && synth->last_vector == NOOKS_VEC_TIMEOUT &&
		  jiffies - j0 >= 5 && synth->state == NOOKS_RUNNING,
		  "r %d vector %u ticks %lu", r, synth->last_vector, jiffies - j0);
	synth->timeout_ticks = 50;
	r = nooks_driver_call(synth, (void *)ext_read, 1, &kernel_word);
	st_expect("after_livelock", (u32)r == 0x1234abcd, "got %08x", r);
}

/* test_policy - too many restarts in the window leave the domain disabled. */
static void test_policy(void)
{
	u32 restarts = synth->restarts;
	int r, i;

	synth->max_restarts = restarts + 1 > 4 ? 4 : restarts + 1;
	for (i = 0; i < 2; i++)
		nooks_driver_call(synth, (void *)ext_write, 2, &kernel_word, 1);
	r = nooks_driver_call(synth, (void *)ext_probe, 0);
	st_expect("restart_policy", synth->state == NOOKS_DISABLED && r == -ENODEV,
		  "state %s r %d restarts %u", nooks_domain_state_name(synth->state), r,
		  synth->restarts);
}

/* bench - the same synthetic calls, native and isolated. */
static void test_native(void)
{
	struct nooks_domain *d = nooks_domain_create("bench", &synth_ops, NULL);
	u32 i, sum_n = 0, sum_i = 0, n0;
	u64 t0, t1, t2;
	const u32 calls = 200;

	if (!d || nooks_domain_add_region(d, (unsigned long)&ext, sizeof(ext), NOOKS_REGION_SECTION)) {
		st_fail("native", "no domain");
		return;
	}
	n0 = nooks_stats.native_calls;
	nooks_isolation = false;
	t0 = rdtsc();
	for (i = 0; i < calls; i++)
		sum_n += nooks_driver_call(d, (void *)ext_sum8, 8, i, 1, 2, 3, 4, 5, 6, 7);
	t1 = rdtsc();
	nooks_isolation = true;
	for (i = 0; i < calls; i++)
		sum_i += nooks_driver_call(d, (void *)ext_sum8, 8, i, 1, 2, 3, 4, 5, 6, 7);
	t2 = rdtsc();
	st_expect("native", sum_n == sum_i && nooks_stats.native_calls == n0 + calls,
		  "sums %u %u native %u", sum_n, sum_i, nooks_stats.native_calls - n0);
	printk("nooks-bench: calls=%u native_tsc=%llu isolated_tsc=%llu\n", calls, t1 - t0, t2 - t1);
	nooks_domain_destroy(d);
}

/* selftest_nooks - the area. */
void selftest_nooks(void)
{
	if (!test_create())
		return;
	test_roundtrip();
	test_nesting();
	test_deferred();
	test_objects();
	test_sync();
	test_write_fault();
	test_nested_fault();
	test_kernel_call_fault();
	test_irq_nesting();
	test_deep_fault();
	test_heap_faults();
	test_livelock();
	test_native();
	test_policy();
	printk("nooks: stats xpc_to_ext=%u xpc_to_kernel=%u cr3_loads=%u deferred=%u/%u "
	       "faults=%u recoveries=%u unwinds=%u checks_failed=%u\n", nooks_stats.xpc_to_ext,
	       nooks_stats.xpc_to_kernel, nooks_stats.cr3_loads, nooks_stats.deferred_to_ext,
	       nooks_stats.deferred_to_kernel, nooks_stats.faults, nooks_stats.recoveries,
	       nooks_stats.unwinds, nooks_stats.checks_failed);
}
