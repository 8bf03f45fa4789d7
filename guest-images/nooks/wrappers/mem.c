/*
 * nooks/wrappers/mem.c - kernel wrappers for memory an extension allocates
 * (kmalloc/kzalloc/kfree).  They run in the kernel domain, reached from an
 * extension through nooks_kernel_call (or bound to its imports by the module
 * loader): memory comes from the calling domain's heap and is tracked, so
 * a free of a pointer the domain does not hold (double free, wild free)
 * fails the check, and freed pages stay read-only in the domain.
 * Called from the kernel itself (no calling domain) they are the plain
 * functions.
 */
#include <asm/page.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nooks/nooks.h>

/* nooks_wrap_kmalloc - kmalloc for the calling domain: domain heap, tracked. */
void *nooks_wrap_kmalloc(size_t size, int gfp)
{
	struct nooks_domain *d = nooks_caller_domain();
	void *p;

	if (!d)
		return kmalloc(size, gfp);
	p = nooks_domain_alloc(d, size);
	if (p && nooks_track(d, NOOKS_OBJ_HEAP, (unsigned long)p, PAGE_ALIGN(size ? size : 1), 0)) {
		nooks_domain_free(d, p);
		p = NULL;
	}
	return p;
}

/* nooks_wrap_kzalloc - the same, zeroed: kmalloc does not zero for kernel
 * callers, and a domain heap block may be reused after its quarantine. */
void *nooks_wrap_kzalloc(size_t size, int gfp)
{
	void *p = nooks_wrap_kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

/* nooks_wrap_kfree - kfree for the calling domain: the pointer must be a
 * live block of its heap, else the check fails (the domain is recovered). */
void nooks_wrap_kfree(const void *p)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (!d) {
		kfree(p);
		return;
	}
	if (!p)
		return;
	if (!nooks_object_find(d, NOOKS_OBJ_HEAP, (unsigned long)p)) {
		nooks_check_failed(d, "kfree of memory the extension does not hold");
		return;
	}
	nooks_untrack(d, NOOKS_OBJ_HEAP, (unsigned long)p);
	nooks_domain_free(d, p);
}
