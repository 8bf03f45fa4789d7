/*
 * nooks/wrappers.h - kernel wrappers an isolated extension's imports are
 * bound to (nooks/wrappers/).  Each runs in the kernel domain: it finds the
 * calling domain (nooks_caller_domain), checks its arguments against the
 * object tracker, and does the work on the domain's behalf.
 */
#ifndef _NOOKS_WRAPPERS_H
#define _NOOKS_WRAPPERS_H

#include <linux/types.h>

void *nooks_wrap_kmalloc(size_t size, int gfp);
void *nooks_wrap_kzalloc(size_t size, int gfp);
void nooks_wrap_kfree(const void *p);

#endif
