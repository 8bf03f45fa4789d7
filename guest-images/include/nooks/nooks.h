/*
 * nooks/nooks.h - the Nooks isolation manager, everything at once:
 * domains (domain.h), XPC (xpc.h), the object tracker (tracker.h) and
 * recovery (recovery.h).
 */
#ifndef _NOOKS_NOOKS_H
#define _NOOKS_NOOKS_H

#include <nooks/domain.h>
#include <nooks/recovery.h>
#include <nooks/tracker.h>
#include <nooks/xpc.h>

/* nooks/meta.c: metadata on pages of its own (never granted to a domain). */
void *nooks_meta_zalloc(size_t size);
void nooks_meta_free(const void *p);

#endif
