/*
 * nooks/wrappers.h - kernel wrappers an isolated extension's imports are
 * bound to (nooks/wrappers/).  Each runs in the kernel domain: it finds the
 * calling domain (nooks_caller_domain), checks its arguments against the
 * object tracker, and does the work on the domain's behalf.
 */
#ifndef _NOOKS_WRAPPERS_H
#define _NOOKS_WRAPPERS_H

#include <linux/types.h>

struct nooks_domain;

/* The import table: a module's import of name is bound (through an import
 * thunk) to fn instead of the kernel function.  Ends with a NULL name. */
struct nooks_wrapper {
	const char *name;
	void *fn;
};
extern const struct nooks_wrapper nooks_wrappers[];

/* nooks_wrappers_init - register the wrappers' object types (boot). */
void nooks_wrappers_init(void);

/* nooks/module.c: thunks and the loader hooks. */
void *nooks_import_thunk(struct nooks_domain *d, void *target);
void *nooks_export_thunk(struct nooks_domain *d, void *fn);
bool nooks_is_export_thunk(struct nooks_domain *d, const void *p);
void nooks_modules_init(void);

/* nooks/wrappers/net.c: netif_rx batched through the deferred-call queue. */
struct sk_buff;
int nooks_netif_rx_batched(struct sk_buff *skb);

void *nooks_wrap_kmalloc(size_t size, int gfp);
void *nooks_wrap_kzalloc(size_t size, int gfp);
void nooks_wrap_kfree(const void *p);

#endif
